package dev.berth.distribution.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's squid as a real forward proxy on 127.0.0.1, for CONNECT tunnels and plain HTTP
 * forwarding. Names given to {@link #start} resolve to 127.0.0.1 for squid only (its own hosts
 * file), so a registry on this machine can be reached by a name berth does not count as loopback,
 * which berth would never send through a proxy.
 */
public final class Squid implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private Squid(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static Squid start(List<String> loopbackNames) throws IOException, InterruptedException {
        // squid drops to the proxy user when started as root, and writes its logs as that user
        Path dir = Files.createTempDirectory("berth-squid-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 " + String.join(" ", loopbackNames) + "\n");
        int port = DockerRegistry.freePort();
        Path config = Files.writeString(dir.resolve("squid.conf"), String.join("\n",
                "http_port 127.0.0.1:" + port,
                "hosts_file " + hosts,
                "dns_nameservers 127.0.0.1",
                "http_access allow all",
                "cache deny all",
                "access_log stdio:" + dir.resolve("access.log"),
                "cache_log " + dir.resolve("cache.log"),
                "pid_filename " + dir.resolve("squid.pid"),
                "coredump_dir " + dir,
                "cache_effective_user proxy",
                "shutdown_lifetime 0 seconds",
                "pinger_enable off", ""));
        Path log = dir.resolve("squid.out");
        Process process = new ProcessBuilder("squid", "-N", "-f", config.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Listening.await(process, port, log, "squid");
        return new Squid(process, port, dir);
    }

    /** For HTTPS_PROXY and HTTP_PROXY. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Map<String, String> environment() {
        return Map.of("HTTPS_PROXY", url(), "HTTP_PROXY", url());
    }

    /** One line per request squid handled: method, URL, result; written as each request ends. */
    public List<String> requests() throws IOException {
        Path log = dir.resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
