package dev.berth.distribution.auth;

import com.sun.net.httpserver.HttpServer;
import dev.berth.distribution.RegistryException;
import dev.berth.distribution.http.Http1Client;
import dev.berth.distribution.http.Proxies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What berth does with what a token service sends back. */
class AuthenticatorTest {
    private final Http1Client http = new Http1Client(() -> (SSLSocketFactory) SSLSocketFactory.getDefault(), Proxies.NONE,
            Duration.ofSeconds(5), Duration.ofSeconds(5));
    private HttpServer tokenService;

    @AfterEach
    void stop() {
        http.close();
        if (tokenService != null) {
            tokenService.stop(0);
        }
    }

    @Test
    void aTokenIsSentAsTheServiceIssuedIt() throws IOException {
        Authenticator authenticator = challengedBy(serviceAnswering("{\"token\":\"abc.def-ghi\",\"expires_in\":300}"));

        assertThat(authenticator.authorization(Scope.pull("lib/tool"))).isEqualTo("Bearer abc.def-ghi");
    }

    @Test
    void anOAuthAccessTokenIsUsedWhateverTypeItsLifetimeHas() throws IOException {
        Authenticator authenticator = challengedBy(serviceAnswering(
                "{\"access_token\":\"oauth-token\",\"expires_in\":\"300\",\"issued_at\":{\"nested\":[1,2]}}"));

        assertThat(authenticator.authorization(Scope.pull("lib/tool"))).isEqualTo("Bearer oauth-token");
    }

    @Test
    void aTokenThatWouldBreakTheHeaderLineIsRefused() throws IOException {
        Authenticator authenticator = challengedBy(serviceAnswering("{\"token\":\"abc\\r\\nX-Injected: 1\"}"));

        assertThatThrownBy(() -> authenticator.authorization(Scope.pull("lib/tool")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("not printable ASCII");
    }

    @Test
    void aRealmThatIsNotAnHttpUrlIsRefused() throws IOException {
        Authenticator authenticator = new Authenticator("registry.test", http, Optional::empty);
        authenticator.challenged("Bearer realm=\"ftp://tokens.test/token\",service=\"registry\"", Scope.pull("lib/tool"), null);

        assertThatThrownBy(() -> authenticator.authorization(Scope.pull("lib/tool")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("invalid token realm");
    }

    @Test
    void aTokenServiceThatNeverAnswersIsGivenUpOnWithItsUrlNamed() throws Exception {
        // The client would wait a minute for one read: the token request's own bound must end it first.
        try (Http1Client patient = new Http1Client(() -> (SSLSocketFactory) SSLSocketFactory.getDefault(), Proxies.NONE,
                Duration.ofSeconds(60), Duration.ofSeconds(60));
             SilentServer silent = new SilentServer()) {
            String realm = "http://127.0.0.1:" + silent.port() + "/token";
            Authenticator authenticator = new Authenticator("registry.test", patient, Optional::empty, Duration.ofMillis(300));
            authenticator.challenged("Bearer realm=\"" + realm + "\",service=\"registry\"", Scope.pull("lib/tool"), null);

            assertThatThrownBy(() -> authenticator.authorization(Scope.pull("lib/tool")))
                    .isInstanceOf(RegistryException.class)
                    .hasMessage("the token service of registry.test at " + realm
                            + " did not answer within 300 ms; check that it is up, or try again later");
            assertThat(silent.accepted()).isEqualTo(1);
            // and berth hung up rather than leaving the connection open
            assertThat(new String(silent.receivedOnFirst(), StandardCharsets.ISO_8859_1)).startsWith("GET /token?");
        }
    }

    /** Accepts connections on 127.0.0.1 and never sends a byte. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final Thread acceptor = Thread.ofPlatform().daemon().start(this::acceptUntilClosed);

        SilentServer() throws IOException {
        }

        int port() {
            return socket.getLocalPort();
        }

        int accepted() {
            return held.size();
        }

        /** Everything the first client sent until it closed; fails when it has not closed within 10 s. */
        byte[] receivedOnFirst() throws IOException {
            Socket first = held.getFirst();
            first.setSoTimeout(10_000);
            return first.getInputStream().readAllBytes();
        }

        private void acceptUntilClosed() {
            try {
                while (held.size() < 8) {
                    held.add(socket.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            for (Socket connection : held) {
                connection.close();
            }
            acceptor.join(5000);
        }
    }

    private String serviceAnswering(String json) throws IOException {
        tokenService = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tokenService.createContext("/token", exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        tokenService.start();
        return "http://127.0.0.1:" + tokenService.getAddress().getPort() + "/token";
    }

    private Authenticator challengedBy(String realm) throws IOException {
        Authenticator authenticator = new Authenticator("registry.test", http, Optional::empty);
        authenticator.challenged("Bearer realm=\"" + realm + "\",service=\"registry\"", Scope.pull("lib/tool"), null);
        return authenticator;
    }
}
