package dev.berth.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The cap on open connections, which keeps the server's memory bounded. */
class ResourceLimitsTest {

    @Test
    void connectionsBeyondTheCapAreClosedAndServiceResumesWhenIdleOnesGo(@TempDir Path root) throws Exception {
        try (TestRegistry registry = TestRegistry.start(root, config -> config.withLimits(20, 4))) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    Socket socket = connect(registry);
                    idle.add(socket);
                    // one answered request each: the server has set the connection up, which is now idle
                    assertThat(statusLine(ping(socket))).isEqualTo("HTTP/1.1 200 OK");
                }
                try (Socket beyond = connect(registry)) {
                    assertThat(ping(beyond)).as("a connection beyond the cap").isEmpty();
                }
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
            String answer = "";
            for (int attempt = 0; attempt < 100 && answer.isEmpty(); attempt++) {
                Thread.sleep(50);
                try (Socket socket = connect(registry)) {
                    answer = ping(socket);
                }
            }
            assertThat(statusLine(answer)).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    private static Socket connect(TestRegistry registry) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), registry.server().port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /**
     * Sends {@code GET /v2/} and returns the response head, or "" when the server closed the
     * connection without answering.
     */
    private static String ping(Socket socket) throws IOException {
        try {
            socket.getOutputStream().write("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0; ) {
                head.append((char) b);
            }
            // the body, "{}", so the connection is idle and ready for another request
            if (head.toString().contains("Content-Length: 2")) {
                in.readNBytes(2);
            }
            return head.toString();
        } catch (java.net.SocketException reset) {
            return "";
        }
    }

    private static String statusLine(String head) {
        int end = head.indexOf("\r\n");
        return end < 0 ? head : head.substring(0, end);
    }
}
