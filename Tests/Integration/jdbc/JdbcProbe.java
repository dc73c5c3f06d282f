import java.math.BigDecimal;
import java.sql.*;

/** Drives `basalt serve` through pgJDBC: metadata, a prepared statement, typed getters.
 *  Prints one line per check; the Python test compares them. */
public class JdbcProbe {
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0], args[1], args[2])) {
            DatabaseMetaData md = c.getMetaData();
            System.out.println("product " + md.getDatabaseProductName() + " " + md.getDatabaseMajorVersion());
            try (ResultSet rs = md.getTables(null, "test", "%", new String[] {"TABLE"})) {
                StringBuilder names = new StringBuilder();
                while (rs.next()) names.append(rs.getString("TABLE_NAME")).append(",");
                System.out.println("tables " + names);
            }
            try (ResultSet rs = md.getColumns(null, "test", "orders", null)) {
                StringBuilder cols = new StringBuilder();
                while (rs.next()) cols.append(rs.getString("COLUMN_NAME")).append(":").append(rs.getString("TYPE_NAME")).append(",");
                System.out.println("columns " + cols);
            }
            // What BI tools ask next: keys and indexes (a lake table has none) and schemas.
            int keys = 0;
            try (ResultSet rs = md.getPrimaryKeys(null, "test", "orders")) { while (rs.next()) keys++; }
            try (ResultSet rs = md.getImportedKeys(null, "test", "orders")) { while (rs.next()) keys++; }
            try (ResultSet rs = md.getIndexInfo(null, "test", "orders", false, true)) { while (rs.next()) keys++; }
            System.out.println("keys " + keys);
            try (ResultSet rs = md.getSchemas()) {
                StringBuilder names = new StringBuilder();
                while (rs.next()) names.append(rs.getString("TABLE_SCHEM")).append(",");
                System.out.println("schemas " + names);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT order_id, amount, order_date, status FROM test.orders WHERE customer_id = ? ORDER BY order_id")) {
                ps.setLong(1, 1L);
                try (ResultSet rs = ps.executeQuery()) {
                    StringBuilder rows = new StringBuilder();
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        BigDecimal amount = rs.getBigDecimal(2);
                        Date day = rs.getDate(3);
                        rows.append(id).append("|").append(amount).append("|").append(day).append("|").append(rs.getString(4)).append(";");
                    }
                    System.out.println("rows " + rows);
                }
            }
            // Server-side prepare kicks in after 5 executions (prepareThreshold): run it 7 times.
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM test.orders WHERE quantity > ?")) {
                long last = -1;
                for (int i = 0; i < 7; i++) {
                    ps.setInt(1, 1);
                    try (ResultSet rs = ps.executeQuery()) { rs.next(); last = rs.getLong(1); }
                }
                System.out.println("count " + last);
            }
        }
    }
}
