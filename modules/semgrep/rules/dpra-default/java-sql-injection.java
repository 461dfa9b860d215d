import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

public class FruitDao {
    private final Connection connection;

    public FruitDao(Connection connection) {
        this.connection = connection;
    }

    public ResultSet byName(String name) throws SQLException {
        Statement stmt = connection.createStatement();
        // ruleid: dpra.java.sql-built-from-strings
        return stmt.executeQuery("SELECT * FROM fruits WHERE name = '" + name + "'");
    }

    public PreparedStatement byColour(String colour) throws SQLException {
        // ruleid: dpra.java.sql-built-from-strings
        return connection.prepareStatement(String.format("SELECT * FROM fruits WHERE colour = '%s'", colour));
    }

    public int delete(String id) throws SQLException {
        String sql = "DELETE FROM fruits WHERE id = " + id;
        Statement stmt = connection.createStatement();
        // ruleid: dpra.java.sql-built-from-strings
        return stmt.executeUpdate(sql);
    }

    public ResultSet byId(long id) throws SQLException {
        // ok: dpra.java.sql-built-from-strings
        PreparedStatement ps = connection.prepareStatement("SELECT * FROM fruits WHERE id = ?");
        ps.setLong(1, id);
        // ok: dpra.java.sql-built-from-strings
        return ps.executeQuery();
    }

    public ResultSet all() throws SQLException {
        Statement stmt = connection.createStatement();
        // ok: dpra.java.sql-built-from-strings
        return stmt.executeQuery("SELECT * FROM fruits ORDER BY id");
    }
}
