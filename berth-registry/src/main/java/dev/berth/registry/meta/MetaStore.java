package dev.berth.registry.meta;

import dev.berth.oci.BerthException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registry's metadata database: an SQLite file under the registry root by default, PostgreSQL
 * when configured (what several registry nodes share). Opening migrates the schema to the newest
 * version with Flyway. Connections come from a small pool (HikariCP): opening one costs more
 * than most of the queries a request makes. SQLite runs in WAL mode, so readers do not wait for
 * the writer, with {@code synchronous=NORMAL}: a commit survives the registry's crash, and only
 * a power loss may take the last ones. SQLite allows one writer at a time and makes the others
 * retry after sleeps of up to 100 ms, so this process queues its SQLite writes itself.
 */
public final class MetaStore implements AutoCloseable {
    private static final String MIGRATIONS = "classpath:dev/berth/registry/meta/migration";

    private static final int POOL_SIZE = 8;

    private final HikariDataSource pool;
    /** Held for each write transaction on SQLite; null on PostgreSQL, which has row locks. */
    private final Lock writer;

    private MetaStore(HikariDataSource pool, boolean singleWriter) {
        this.pool = pool;
        this.writer = singleWriter ? new ReentrantLock(true) : null;
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
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setPoolName("berth-meta");
        if (url.startsWith("jdbc:sqlite:")) {
            // Requests on many threads share one file: wait for the writer instead of failing at once.
            config.addDataSourceProperty("busy_timeout", "10000");
            config.addDataSourceProperty("foreign_keys", "true");
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "NORMAL");
        }
        MetaStore store;
        try {
            store = new MetaStore(new HikariDataSource(config), url.startsWith("jdbc:sqlite:"));
        } catch (RuntimeException e) {
            throw new BerthException("META_UNAVAILABLE", "cannot open the metadata database " + url
                    + ": " + e.getMessage() + "; check the [auth] database settings");
        }
        try {
            Flyway.configure(MetaStore.class.getClassLoader())
                    .dataSource(store.pool)
                    .locations(MIGRATIONS)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            store.close();
            throw new BerthException("META_UNAVAILABLE", "cannot prepare the metadata database " + url
                    + ": " + e.getMessage() + "; check the [auth] database settings");
        }
        return store;
    }

    /** Runs {@code work}, which only reads, in one transaction: it sees one state of the database. */
    public <T> T read(SqlWork<T> work) {
        return inTransaction(work);
    }

    /** Runs {@code work}, which writes, in one transaction. */
    public <T> T write(SqlWork<T> work) {
        if (writer == null) {
            return inTransaction(work);
        }
        writer.lock();
        try {
            return inTransaction(work);
        } finally {
            writer.unlock();
        }
    }

    private <T> T inTransaction(SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
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

    @Override
    public void close() {
        pool.close();
    }
}
