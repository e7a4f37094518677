package dev.berth.cli.client;

import dev.berth.distribution.testing.TestRegistry;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.RegistryServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** {@code berth serve} in this JVM on a free loopback port, as the registry under test. */
final class BerthServe implements TestRegistry {
    private final RegistryServer server;

    private BerthServe(RegistryServer server) {
        this.server = server;
    }

    static BerthServe start(Path root) throws IOException {
        return new BerthServe(RegistryServer.start(RegistryConfig.defaults(root).withListen("127.0.0.1", 0)));
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
