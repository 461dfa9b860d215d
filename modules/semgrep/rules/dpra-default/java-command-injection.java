import java.io.IOException;

public class Tools {
    public Process ping(String host) throws IOException {
        // ruleid: dpra.java.command-built-from-strings
        return Runtime.getRuntime().exec("ping -c 1 " + host);
    }

    public Process archive(String folder) throws IOException {
        String cmd = "tar czf /tmp/out.tgz " + folder;
        Runtime runtime = Runtime.getRuntime();
        // ruleid: dpra.java.command-built-from-strings
        return runtime.exec(cmd);
    }

    public Process shell(String folder) throws IOException {
        // ruleid: dpra.java.command-built-from-strings
        return new ProcessBuilder("/bin/sh", "-c", "ls -l " + folder).start();
    }

    public Process pingSafe(String host) throws IOException {
        // ok: dpra.java.command-built-from-strings
        return new ProcessBuilder("ping", "-c", "1", host).start();
    }

    public Process pingArray(String host) throws IOException {
        // ok: dpra.java.command-built-from-strings
        return Runtime.getRuntime().exec(new String[] {"ping", "-c", "1", host});
    }

    public Process constant() throws IOException {
        // ok: dpra.java.command-built-from-strings
        return Runtime.getRuntime().exec("sync");
    }
}
