import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;

public class Restore {
    public Object fromBytes(byte[] data) throws IOException, ClassNotFoundException {
        ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data));
        // ruleid: dpra.java.unsafe-deserialisation
        return in.readObject();
    }

    public Object fromStream(InputStream stream) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(stream)) {
            // ruleid: dpra.java.unsafe-deserialisation
            return in.readUnshared();
        }
    }

    public Object filtered(InputStream stream) throws IOException, ClassNotFoundException {
        ObjectInputStream in = new ObjectInputStream(stream);
        in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("com.example.Fruit;!*"));
        // ok: dpra.java.unsafe-deserialisation
        return in.readObject();
    }

    public int count(InputStream stream) throws IOException {
        ObjectInputStream in = new ObjectInputStream(stream);
        // ok: dpra.java.unsafe-deserialisation
        return in.readInt();
    }
}
