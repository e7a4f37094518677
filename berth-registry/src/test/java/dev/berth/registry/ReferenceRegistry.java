package dev.berth.registry;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CNCF reference registry (Debian's docker-registry, distribution 2.8) on a free loopback port. */
final class ReferenceRegistry implements AutoCloseable {
    private final Process process;
    private final int port;

    private ReferenceRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ReferenceRegistry start(Path directory) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path storage = Files.createDirectories(directory.resolve("storage"));
        Path config = directory.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(storage, port));
        Process process;
        try {
            process = new ProcessBuilder("docker-registry", "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("docker-registry.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IOException("docker-registry is not installed (scripts/test installs it): " + e.getMessage(), e);
        }
        ReferenceRegistry registry = new ReferenceRegistry(process, port);
        HttpClient client = HttpClient.newHttpClient();
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return registry;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        registry.close();
        throw new IOException("docker-registry did not start: " + Files.readString(directory.resolve("docker-registry.log")));
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
