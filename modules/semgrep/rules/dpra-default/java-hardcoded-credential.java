import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

public class Settings {
    // ruleid: dpra.java.hardcoded-credential
    private static final String DB_PASSWORD = "s3cr3t-Passw0rd";

    // ruleid: dpra.java.hardcoded-credential
    static String apiKey = "k-4f9a1c2e7b"; // gitleaks:allow (a fake value for the rule test)

    private String token;

    void login() {
        // ruleid: dpra.java.hardcoded-credential
        this.token = "eyJhbGciOiJIUzI1NiJ9.e30.x"; // gitleaks:allow
    }

    // ok: dpra.java.hardcoded-credential
    private static final String PASSWORD_ENV = "DB_PASSWORD";

    // ok: dpra.java.hardcoded-credential
    private static final String EMPTY_SECRET = "";

    Connection connect() throws SQLException {
        // ok: dpra.java.hardcoded-credential
        String password = System.getenv(PASSWORD_ENV);
        return DriverManager.getConnection("jdbc:postgresql://db/fruit", "fruit", password);
    }
}
