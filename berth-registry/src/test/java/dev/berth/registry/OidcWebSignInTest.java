package dev.berth.registry;

import dev.berth.registry.access.OidcConfig;
import dev.berth.registry.oidc.OidcPerson;
import dev.berth.registry.oidc.OidcProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The web sign-in (authorization code with PKCE) against a real OpenID Connect provider, in a
 * browser that keeps cookies and submits forms: the page says who you are and makes personal
 * access tokens; a callback that the registry did not start, or that was already used, is refused.
 */
class OidcWebSignInTest {
    private static final String SECRET = "client-secret-for-tests";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("<code>(berth_pat_[A-Za-z0-9_-]+)</code>");

    @TempDir
    static Path dir;
    static OidcProvider provider;
    static AuthRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        provider = OidcProvider.start(dir, SECRET, "http://127.0.0.1/auth/oidc/callback");
        registry = AuthRegistry.start(dir.resolve("registry"), config -> config.withAuth(config.auth().withOidc(
                OidcConfig.from(Map.of("issuer", provider.issuer(), "client-id", OidcProvider.CLIENT_ID,
                        "client-secret", SECRET)))));
        String admin = registry.adminPassword();
        registry.expect(201, "admin", admin, "POST", "projects", Map.of("name", "lab", "class", "private"));
        registry.expect(200, "admin", admin, "PUT", "projects/lab/members/alice", Map.of("role", "developer"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void aSignedInBrowserSeesWhoItIsAndMakesAScopedTokenThatIsShownOnce() throws Exception {
        OidcPerson alice = provider.person("alice");
        URI callback = alice.signInOnTheWeb(login());
        HttpResponse<String> page = alice.open(callback);
        assertThat(page.body()).contains("Signed in as alice").contains("lab-staff");
        assertThat(page.headers().firstValue("Set-Cookie").orElseThrow())
                .contains("HttpOnly").contains("SameSite=Strict").doesNotContain("Secure");

        HttpResponse<String> created = alice.submit(tokens(), Map.of("csrf", find(CSRF, page.body()), "name", "laptop",
                "scopes", "lab/*:pull", "expires", "30d"));
        String token = find(TOKEN, created.body());
        assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");

        String granted = registry.token("alice", token, "repository:lab/tool:pull,push");
        HttpResponse<byte[]> push = registry.api.send("POST", "/v2/lab/tool/blobs/uploads/", null,
                "Authorization", AuthRegistry.bearer(granted));
        assertThat(push.statusCode()).as("the token was made for pull only").isEqualTo(401);
        HttpResponse<byte[]> pull = registry.api.get("/v2/lab/tool/tags/list", "Authorization", AuthRegistry.bearer(granted));
        assertThat(pull.statusCode()).as(Api.text(pull)).isNotEqualTo(401);
    }

    @Test
    void aTokenFormWithoutTheSessionsCsrfTokenIsRefused() throws Exception {
        OidcPerson alice = provider.person("alice");
        alice.open(alice.signInOnTheWeb(login()));
        assertThatThrownBy(() -> alice.submit(tokens(), Map.of("csrf", "guessed", "name", "forged", "expires", "1d")))
                .hasMessageContaining("answered 403").hasMessageContaining("did not come from your sign-in page");
    }

    @Test
    void aTokenFormWithoutASessionIsRefused() {
        OidcPerson stranger = provider.person("alice");
        assertThatThrownBy(() -> stranger.submit(tokens(), Map.of("csrf", "x", "name", "forged")))
                .hasMessageContaining("answered 401").hasMessageContaining("not signed in");
    }

    @Test
    void aCallbackWithAnotherStateIsRefused() throws Exception {
        OidcPerson alice = provider.person("alice");
        URI callback = alice.signInOnTheWeb(login());
        URI forged = URI.create(callback.toString().replaceAll("state=[^&]+", "state=forged"));
        assertThat(forged).isNotEqualTo(callback);
        assertThatThrownBy(() -> alice.open(forged)).hasMessageContaining("answered 400")
                .hasMessageContaining("this sign-in is unknown, used or expired");
    }

    @Test
    void aReplayedCallbackIsRefused() throws Exception {
        OidcPerson alice = provider.person("alice");
        URI callback = alice.signInOnTheWeb(login());
        assertThat(alice.open(callback).body()).contains("Signed in as alice");
        OidcPerson attacker = provider.person("carol");
        assertThatThrownBy(() -> attacker.open(callback)).hasMessageContaining("answered 400")
                .hasMessageContaining("this sign-in is unknown, used or expired");
    }

    @Test
    void aCancelledSignInSaysSo() throws Exception {
        OidcPerson carol = provider.person("carol");
        URI callback = carol.signInOnTheWeb(login());
        URI cancelled = URI.create(callback.toString().replaceAll("code=[^&]+", "error=access_denied"));
        assertThatThrownBy(() -> carol.open(cancelled)).hasMessageContaining("answered 403")
                .hasMessageContaining("the identity provider ended the sign-in (access_denied)");
    }

    private static URI login() {
        return URI.create(registry.server.url() + "/auth/oidc/login");
    }

    private static URI tokens() {
        return URI.create(registry.server.url() + "/auth/oidc/tokens");
    }

    private static String find(Pattern pattern, String page) {
        Matcher matcher = pattern.matcher(page);
        assertThat(matcher.find()).as(page).isTrue();
        return matcher.group(1);
    }
}
