package dev.berth.distribution.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP/1.1 client against a server that answers each request with scripted bytes. */
class Http1ClientTest {
    private final ScriptedServer server = new ScriptedServer();
    private static final Supplier<SSLSocketFactory> TLS = () -> (SSLSocketFactory) SSLSocketFactory.getDefault();
    private final Http1Client client = new Http1Client(TLS, Proxies.NONE,
            Duration.ofSeconds(5), Duration.ofMillis(500));

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
    }

    @Test
    void aConnectionIsKeptAliveForTheNextRequest() throws IOException {
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond");

        assertThat(body(get("/a"))).isEqualTo("first");
        assertThat(body(get("/b"))).isEqualTo("second");

        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.requests()).containsExactly("GET /a HTTP/1.1", "GET /b HTTP/1.1");
    }

    @Test
    void aResponseClosedUnreadStillLeavesItsConnectionUsable() throws IOException {
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

        get("/v2/").close();

        assertThat(body(get("/v2/x/manifests/1"))).isEqualTo("ok");
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void chunkedBodiesAreDecodedWithExtensionsAndTrailers() throws IOException {
        server.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer-Field: x\r\n\r\n");
        server.answer("HTTP/1.1 204 No Content\r\n\r\n");

        assertThat(body(get("/chunked"))).isEqualTo("hello, world");
        try (Response next = get("/next")) {
            assertThat(next.status()).isEqualTo(204);
        }
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void aBodyCutShortFailsInsteadOfEndingEarly() throws IOException {
        server.answerAndClose("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + "x".repeat(40));

        try (Response response = get("/blob")) {
            assertThatThrownBy(() -> response.body().readAllBytes())
                    .isInstanceOf(EOFException.class)
                    .hasMessageContaining("after 40 of 100 bytes");
        }
    }

    @Test
    void aChunkedBodyCutShortFails() throws IOException {
        server.answerAndClose("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\nabc");

        try (Response response = get("/blob")) {
            assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void aKeptConnectionTheServerDroppedIsReplacedByANewOne() throws IOException {
        server.answerAndClose("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none");
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo");

        assertThat(body(get("/1"))).isEqualTo("one");
        assertThat(body(get("/2"))).isEqualTo("two");

        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void aServerThatSaysCloseIsNotAskedAgainOnTheSameConnection() throws IOException {
        server.answer("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\none");
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo");

        assertThat(body(get("/1"))).isEqualTo("one");
        assertThat(body(get("/2"))).isEqualTo("two");

        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void aBodyWithoutLengthRunsUntilTheServerCloses() throws IOException {
        server.answerAndClose("HTTP/1.1 200 OK\r\n\r\nall of it");

        assertThat(body(get("/stream"))).isEqualTo("all of it");
    }

    @Test
    void headResponsesHaveNoBodyWhateverTheirLength() throws IOException {
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

        try (Response head = client.send("HEAD", server.uri("/blob"), List.of(), null)) {
            assertThat(head.header("content-length")).contains("1234");
            assertThat(head.body().read()).isEqualTo(-1);
        }
        assertThat(body(get("/after"))).isEqualTo("ok");
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void interimResponsesAreSkipped() throws IOException {
        server.answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n");

        try (Response response = client.send("PUT", server.uri("/upload"), List.of(), RequestBody.of(new byte[] {1, 2, 3}))) {
            assertThat(response.status()).isEqualTo(201);
            assertThat(response.header("Location")).contains("/x");
        }
    }

    @Test
    void requestBodiesGoWithTheirLengthAndEmptyPostsSayZero() throws IOException {
        server.answer("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
        server.answer("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
        server.answer("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");

        client.send("PATCH", server.uri("/upload?state=1"), List.of("Content-Type", "application/octet-stream"),
                RequestBody.of("0123456789".getBytes(StandardCharsets.UTF_8))).close();
        client.send("POST", server.uri("/start"), List.of(), null).close();
        client.send("PATCH", server.uri("/upload?state=2"), List.of(), RequestBody.streamed(4,
                () -> new java.io.ByteArrayInputStream("abcdef".getBytes(StandardCharsets.UTF_8)))).close();

        assertThat(server.heads().get(0)).contains("PATCH /upload?state=1 HTTP/1.1", "Content-Length: 10",
                "Content-Type: application/octet-stream", "Host: 127.0.0.1:" + server.port());
        assertThat(server.bodies().get(0)).isEqualTo("0123456789");
        assertThat(server.heads().get(1)).contains("POST /start HTTP/1.1", "Content-Length: 0");
        assertThat(server.heads().get(2)).contains("PATCH /upload?state=2 HTTP/1.1", "Content-Length: 4");
        assertThat(server.bodies().get(2)).as("a stream sends what its length announces").isEqualTo("abcd");
    }

    @Test
    void aStreamedBodyThatEndsShortFailsTheRequestInsteadOfSendingLess() {
        assertThatThrownBy(() -> client.send("PUT", server.uri("/upload"), List.of(), RequestBody.streamed(10,
                () -> new java.io.ByteArrayInputStream(new byte[3])))).isInstanceOf(IOException.class)
                .hasMessageContaining("ended 7 bytes short of the 10 announced");
    }

    @Test
    void aHeaderValueThatWouldEndItsLineIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> client.send("GET", server.uri("/"), List.of("Authorization", "Bearer x\r\nX-Evil: 1"), null))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(server.connections()).isZero();
    }

    @Test
    void aServerThatSendsNothingTimesOutAsAFailureThatMayBeRetried() {
        server.answerNothing();

        assertThatThrownBy(() -> get("/slow"))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(InterruptedIOException.class)
                .hasMessageContaining("sent nothing for");
    }

    @Test
    void aTlsHandshakeThatNeverCompletesTimesOutAsAFailureThatMayBeRetried() {
        URI secure = URI.create("https://127.0.0.1:" + server.port() + "/v2/");

        assertThatThrownBy(() -> client.send("GET", secure, List.of(), null))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(InterruptedIOException.class)
                .hasMessageContaining("stopped answering while a secure connection was set up");
    }

    @Test
    void aServerThatDoesNotSpeakHttpIsReportedAsSuch() {
        server.answerAndClose("SSH-2.0-OpenSSH_9.2\r\n");

        assertThatThrownBy(() -> get("/v2/")).isInstanceOf(IOException.class).hasMessageContaining("did not answer in HTTP/1.1");
    }

    @Test
    void plainHttpGoesThroughTheProxyAsAnAbsoluteUrlWithTheProxysLogin() throws IOException {
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        Proxies proxies = Proxies.fromEnvironment(Map.of("HTTP_PROXY", "http://lab:secret@127.0.0.1:" + server.port()));
        try (Http1Client proxied = new Http1Client(TLS, proxies, Duration.ofSeconds(5),
                Duration.ofSeconds(5))) {
            assertThat(body(proxied.send("GET", URI.create("http://registry.test:5000/v2/"), List.of(), null)))
                    .isEqualTo("{}");
        }

        assertThat(server.heads().getFirst()).startsWith("GET http://registry.test:5000/v2/ HTTP/1.1\r\n")
                .contains("Host: registry.test:5000", "Proxy-Authorization: Basic bGFiOnNlY3JldA==");
    }

    @Test
    void aProxyThatWantsALoginForATunnelSaysSo() {
        server.answerAndClose("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n");
        Proxies proxies = Proxies.fromEnvironment(Map.of("https_proxy", "127.0.0.1:" + server.port()));
        Http1Client proxied = new Http1Client(TLS, proxies, Duration.ofSeconds(5), Duration.ofSeconds(5));

        assertThatThrownBy(() -> proxied.send("GET", URI.create("https://registry.test/v2/"), List.of(), null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("requires a login for registry.test");
        assertThat(server.requests()).containsExactly("CONNECT registry.test:443 HTTP/1.1");
    }

    private Response get(String path) throws IOException {
        return client.send("GET", server.uri(path), List.of(), null);
    }

    private static String body(Response response) throws IOException {
        try (response) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Accepts connections on 127.0.0.1 and answers each request, in order, with the next scripted
     * response: the bytes as given, then optionally closing the connection.
     */
    private static final class ScriptedServer implements AutoCloseable {
        private record Script(String response, boolean close, boolean silent) {
        }

        private final ServerSocket socket;
        private final Queue<Script> scripts = new ConcurrentLinkedQueue<>();
        private final List<String> heads = Collections.synchronizedList(new ArrayList<>());
        private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger connections = new AtomicInteger();
        private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());

        ScriptedServer() {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread.ofPlatform().daemon().name("scripted-server").start(this::accept);
        }

        void answer(String response) {
            scripts.add(new Script(response, false, false));
        }

        void answerAndClose(String response) {
            scripts.add(new Script(response, true, false));
        }

        void answerNothing() {
            scripts.add(new Script("", false, true));
        }

        int port() {
            return socket.getLocalPort();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port() + path);
        }

        int connections() {
            return connections.get();
        }

        List<String> heads() {
            return heads;
        }

        List<String> requests() {
            return heads.stream().map(head -> head.substring(0, head.indexOf("\r\n"))).toList();
        }

        List<String> bodies() {
            return bodies;
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    connections.incrementAndGet();
                    open.add(connection);
                    Thread.ofPlatform().daemon().start(() -> serve(connection));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection) {
                InputStream in = new BufferedInputStream(connection.getInputStream());
                OutputStream out = connection.getOutputStream();
                while (true) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    heads.add(head);
                    bodies.add(new String(in.readNBytes(contentLength(head)), StandardCharsets.ISO_8859_1));
                    Script script = scripts.poll();
                    if (script == null || script.silent()) {
                        in.read(); // until the client gives up
                        return;
                    }
                    out.write(script.response().getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (script.close()) {
                        return;
                    }
                }
            } catch (IOException gone) {
                // the client closed the connection
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            for (int b; (b = in.read()) >= 0; ) {
                head.append((char) b);
                if (head.toString().endsWith("\r\n\r\n")) {
                    return head.toString();
                }
            }
            return null;
        }

        private static int contentLength(String head) {
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    return Integer.parseInt(line.substring(15).trim());
                }
            }
            return 0;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (open) {
                for (Socket connection : open) {
                    connection.close();
                }
            }
        }
    }
}
