package dev.berth.distribution.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Waiting for a server the tests started to accept connections on 127.0.0.1. */
final class Listening {
    private Listening() {
    }

    /** Returns once {@code port} accepts; stops {@code process} and fails with its log when it exits or 20 s pass. */
    static void await(Process process, int port, Path log, String name) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IOException(name + " did not start listening: " + Files.readString(log));
    }
}
