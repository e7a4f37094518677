package dev.berth.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A berth registry running in this JVM on a free loopback port, over a test's directory. */
final class TestRegistry implements AutoCloseable {
    private final RegistryServer server;
    final Path root;

    private TestRegistry(RegistryServer server, Path root) {
        this.server = server;
        this.root = root;
    }

    static TestRegistry start(Path root) throws IOException {
        return start(root, UnaryOperator.identity());
    }

    static TestRegistry start(Path root, UnaryOperator<RegistryConfig> customise) throws IOException {
        RegistryConfig config = RegistryConfig.defaults(root).withListen("127.0.0.1", 0)
                .withGc(Duration.ZERO, Duration.ofHours(1)).withAccessLog(false);
        return new TestRegistry(RegistryServer.start(customise.apply(config)), root);
    }

    String url() {
        return server.url();
    }

    /** host:port, as container tools want it in image references. */
    String hostPort() {
        return "127.0.0.1:" + server.port();
    }

    RegistryServer server() {
        return server;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
