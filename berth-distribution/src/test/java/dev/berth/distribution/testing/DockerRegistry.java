package dev.berth.distribution.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The CNCF reference registry ({@code docker-registry}, Debian) on 127.0.0.1 and a free port,
 * configured per test: anonymous, htpasswd, token auth, TLS. Fails, never skips, when the
 * program is missing.
 */
public final class DockerRegistry implements TestRegistry {
    private final Process process;
    private final int port;
    private final Path log;

    private DockerRegistry(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    public static final class Builder {
        private final Path workDir;
        private final List<String> authYaml = new ArrayList<>();
        private String tlsYaml = "";
        private String middlewareYaml = "";

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        /** htpasswd auth; the file must hold bcrypt entries ({@code htpasswd -Bbn}). */
        public Builder htpasswd(Path file) {
            authYaml.add("  htpasswd:\n    realm: berth-test\n    path: " + file + "\n");
            return this;
        }

        public Builder token(String realm, String service, String issuer, Path rootCertBundle) {
            authYaml.add("  token:\n    realm: " + realm + "\n    service: " + service + "\n    issuer: " + issuer
                    + "\n    rootcertbundle: " + rootCertBundle + "\n");
            return this;
        }

        /**
         * Answers blob GETs with a redirect to {@code baseUrl} plus the blob's path in the storage
         * directory, as registries on S3 or a CDN do; serve {@link #storage} there.
         */
        public Builder redirectBlobsTo(String baseUrl) {
            middlewareYaml = "middleware:\n  storage:\n    - name: redirect\n      options:\n        baseurl: " + baseUrl + "\n";
            return this;
        }

        /** Where the registry keeps its files. */
        public Path storage() {
            return workDir.resolve("storage");
        }

        public Builder tls(Path certificate, Path key) {
            tlsYaml = "  tls:\n    certificate: " + certificate + "\n    key: " + key + "\n";
            return this;
        }

        /** TLS that also demands a client certificate issued by (or being) {@code clientCa}. */
        public Builder mutualTls(Path certificate, Path key, Path clientCa) {
            tls(certificate, key);
            tlsYaml += "    clientcas:\n      - " + clientCa + "\n";
            return this;
        }

        public DockerRegistry start() throws IOException, InterruptedException {
            Files.createDirectories(workDir);
            int port = freePort();
            String config = "version: 0.1\n"
                    + "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
                    + "storage:\n  filesystem:\n    rootdirectory: " + storage() + "\n"
                    + "  delete:\n    enabled: true\n"
                    + "http:\n  addr: 127.0.0.1:" + port + "\n  secret: berth-test-secret\n" + tlsYaml
                    + (authYaml.isEmpty() ? "" : "auth:\n" + String.join("", authYaml)) + middlewareYaml;
            Path configFile = workDir.resolve("config.yml");
            Files.writeString(configFile, config);
            Path log = workDir.resolve("registry.log");
            Process process = new ProcessBuilder("docker-registry", "serve", configFile.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            DockerRegistry registry = new DockerRegistry(process, port, log);
            Listening.await(process, port, log, "docker-registry");
            return registry;
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }


    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(10))) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
