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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

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
