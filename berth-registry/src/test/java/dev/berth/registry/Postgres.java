package dev.berth.registry;

import dev.berth.registry.access.AccessConfig;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's PostgreSQL (package {@code postgresql}) as the metadata database of a test class's
 * registries, each registry root with a database of its own (as each has its own {@code meta.db}
 * with SQLite). Registered on a static field, it is ready before the class's {@code @BeforeAll}.
 * One cluster serves every class of the test run: made by initdb in a folder under /tmp and run by
 * pg_ctl as an ordinary user (PostgreSQL refuses to run as root; as root the tests use the user
 * {@value #USER}), listening on 127.0.0.1 on a free port only and asking for a password; at the end
 * of the run it is stopped and its folder deleted. The system's own cluster, if any, is not used.
 */
final class Postgres implements MetaDatabase, BeforeAllCallback {
    static final String USER = "berth-pg";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Postgres.class);

    private final Map<Path, String> databases = new ConcurrentHashMap<>();
    private Cluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Cluster.class, type -> Cluster.start(), Cluster.class);
    }

    /** A database for the registry on {@code root}, made on first use; the same one each time for that root. */
    @Override
    public AccessConfig configure(Path root, AccessConfig auth) {
        String name = databases.computeIfAbsent(root.toAbsolutePath(), cluster::createDatabase);
        return auth.withDatabase(cluster.url(name), Cluster.SUPERUSER, cluster.password);
    }

    /** The cluster's files (tables, indexes, write-ahead log), which hold every database of the run. */
    @Override
    public String storedText(Path root) throws IOException {
        return MetaDatabase.text(cluster.data(), name -> true);
    }

    /** The running cluster; closing it (the test run's end) stops it and deletes its folder. */
    private static final class Cluster implements ExtensionContext.Store.CloseableResource {
        private static final String SUPERUSER = "berth";
        private static final Path INSTALLED = Path.of("/usr/lib/postgresql");
        private static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);
        private static final int READY_WITHIN_SECONDS = 30;

        private final Path bin;
        private final Path directory;
        private final String password;
        private final AtomicInteger created = new AtomicInteger();
        private int port;

        private Cluster(Path bin, Path directory, String password) {
            this.bin = bin;
            this.directory = directory;
            this.password = password;
        }

        static Cluster start() {
            try {
                Path bin = newestInstalledBin();
                if (runAsRoot()) {
                    ensureUser();
                }
                byte[] secret = new byte[16];
                new SecureRandom().nextBytes(secret);
                Cluster cluster = new Cluster(bin, Files.createTempDirectory(Path.of("/tmp"), "berth-postgres-"),
                        HexFormat.of().formatHex(secret));
                try {
                    cluster.initAndStart();
                    return cluster;
                } catch (IOException | InterruptedException | RuntimeException e) {
                    try {
                        cluster.close();
                    } catch (IOException | InterruptedException | RuntimeException cleanup) {
                        e.addSuppressed(cleanup);
                    }
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting PostgreSQL", e);
            }
        }

        private void initAndStart() throws IOException, InterruptedException {
            Path passwordFile = directory.resolve("password");
            Files.writeString(passwordFile, password + "\n");
            if (runAsRoot()) {
                ok(List.of("chown", "-R", USER + ":", directory.toString()));
            }
            asOwner("initdb", "--pgdata=" + data(), "--username=" + SUPERUSER, "--pwfile=" + passwordFile,
                    "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync");
            Files.delete(passwordFile);
            port = freePort();
            // fsync off: nobody needs test data after a crash; the socket stays in the cluster's own folder.
            Files.writeString(data().resolve("postgresql.conf"), String.join("\n", "",
                    "listen_addresses = '127.0.0.1'", "port = " + port, "unix_socket_directories = '" + directory + "'",
                    "fsync = off", "max_connections = 50", ""), StandardOpenOption.APPEND);
            Files.writeString(data().resolve("pg_hba.conf"), "host all all 127.0.0.1/32 scram-sha-256\n");
            asOwner("pg_ctl", "start", "--pgdata=" + data(), "--log=" + log(), "--wait", "--timeout=" + READY_WITHIN_SECONDS);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                if (Files.exists(data().resolve("postmaster.pid"))) {
                    asOwner("pg_ctl", "stop", "--pgdata=" + data(), "--mode=fast", "--wait", "--timeout=" + READY_WITHIN_SECONDS);
                }
            } finally {
                ok(List.of("rm", "-rf", directory.toString()));
            }
        }

        Path data() {
            return directory.resolve("data");
        }

        String url(String database) {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
        }

        String createDatabase(Path root) {
            String name = "registry_" + created.incrementAndGet();
            try (Connection connection = DriverManager.getConnection(url("postgres"), SUPERUSER, password);
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
                return name;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create database " + name + " for " + root + ": " + e.getMessage()
                        + logText(), e);
            }
        }

        private static boolean runAsRoot() {
            return "root".equals(System.getProperty("user.name"));
        }

        private static Path newestInstalledBin() throws IOException {
            List<Path> versions = new ArrayList<>();
            if (Files.isDirectory(INSTALLED)) {
                try (Stream<Path> listed = Files.list(INSTALLED)) {
                    listed.filter(version -> version.getFileName().toString().matches("\\d+"))
                            .filter(version -> Files.isExecutable(version.resolve("bin/initdb"))).forEach(versions::add);
                }
            }
            return versions.stream()
                    .max(Comparator.comparingInt(version -> Integer.parseInt(version.getFileName().toString())))
                    .map(version -> version.resolve("bin"))
                    .orElseThrow(() -> new IOException("PostgreSQL is not installed (no " + INSTALLED
                            + "/*/bin/initdb): install Debian's package postgresql (scripts/test does, as root)"));
        }

        /** Makes {@value Postgres#USER} unless it exists; another test JVM may be making it at the same time. */
        private static void ensureUser() throws IOException, InterruptedException {
            if (Tools.run(null, COMMAND_LIMIT, List.of("id", USER)).exitCode() == 0) {
                return;
            }
            Tools.Result added = Tools.run(null, COMMAND_LIMIT, List.of("useradd", "--system", "--no-create-home",
                    "--shell", "/usr/sbin/nologin", USER));
            if (added.exitCode() != 0 && Tools.run(null, COMMAND_LIMIT, List.of("id", USER)).exitCode() != 0) {
                throw new IOException("cannot create the user " + USER + " to run PostgreSQL as: " + added.output());
            }
        }

        /** Runs one of PostgreSQL's programs as the cluster's owner: {@value Postgres#USER} as root, else the tests' user. */
        private void asOwner(String program, String... arguments) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            if (runAsRoot()) {
                command.addAll(List.of("runuser", "-u", USER, "--"));
            }
            command.add(bin.resolve(program).toString());
            command.addAll(List.of(arguments));
            ok(command);
        }

        private void ok(List<String> command) throws IOException, InterruptedException {
            Tools.Result result = Tools.run(directory, COMMAND_LIMIT, command);
            if (result.exitCode() != 0) {
                throw new IOException(String.join(" ", command) + " exited " + result.exitCode() + ":\n" + result.output()
                        + logText());
            }
        }

        private Path log() {
            return directory.resolve("postgres.log");
        }

        private String logText() {
            try {
                return Files.exists(log()) ? "\n" + log() + ":\n" + Files.readString(log()) : "";
            } catch (IOException e) {
                return "\n(cannot read " + log() + ": " + e.getMessage() + ")";
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
    }
}
