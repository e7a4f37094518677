package dev.berth.registry.meta;

import dev.berth.oci.BerthException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The registry's metadata database: an SQLite file under the registry root by default, PostgreSQL
 * when configured (what several registry nodes share). Opening migrates the schema to the newest
 * version with Flyway; each operation takes its own short connection.
 */
public final class MetaStore {
    private static final String MIGRATIONS = "classpath:dev/berth/registry/meta/migration";

    private final String url;
    private final String user;
    private final String password;
    private final boolean sqlite;

    private MetaStore(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.sqlite = url.startsWith("jdbc:sqlite:");
    }

    /** The default store: {@code meta.db} in the registry's root. */
    public static MetaStore sqlite(Path root) {
        return open("jdbc:sqlite:" + root.toAbsolutePath().resolve("meta.db"), null, null);
    }

    public static MetaStore open(String url, String user, String password) {
        if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            throw new BerthException("CONFIG_INVALID", "metadata database " + url
                    + " is not supported: use jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB");
        }
        MetaStore store = new MetaStore(url, user, password);
        try {
            Flyway.configure(MetaStore.class.getClassLoader())
                    .dataSource(url, user, password)
                    .locations(MIGRATIONS)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new BerthException("META_UNAVAILABLE", "cannot prepare the metadata database " + url
                    + ": " + e.getMessage() + "; check the [auth] database settings");
        }
        return store;
    }

    /** A connection in auto-commit mode; the caller closes it. */
    public Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(url, user, password);
        if (sqlite) {
            try (Statement statement = connection.createStatement()) {
                // Requests on many threads share one file: wait for the writer instead of failing at once.
                statement.execute("PRAGMA busy_timeout = 10000");
                statement.execute("PRAGMA foreign_keys = ON");
            }
        }
        return connection;
    }

    /** Runs {@code work} in one transaction. */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new MetaException(e);
        }
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
