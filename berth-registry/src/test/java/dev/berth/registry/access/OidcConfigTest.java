package dev.berth.registry.access;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code [auth.oidc]} table as a site admin writes it: defaults, and a clear line for each mistake. */
class OidcConfigTest {
    @Test
    void onlyTheIssuerIsNeeded() {
        OidcConfig config = OidcConfig.from(Map.of("issuer", "https://idp.example.org/realms/uni"));
        assertThat(config.issuer()).isEqualTo(URI.create("https://idp.example.org/realms/uni"));
        assertThat(config.clientId()).isEqualTo("berth");
        assertThat(config.clientSecret()).isNull();
        assertThat(config.usernameClaim()).isEqualTo("preferred_username");
        assertThat(config.groupsClaim()).isEqualTo("groups");
        assertThat(config.scopes()).containsExactly("openid", "profile");
        assertThat(config.redirectUrl()).isNull();
        assertThat(config.deviceTokenLifetime()).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void everyKeyIsRead() {
        OidcConfig config = OidcConfig.from(Map.of("issuer", "https://tenant.example.com/", "client-id", "registry",
                "client-secret", "s3cret", "username-claim", "email_local", "groups-claim", "roles",
                "scopes", "openid profile groups", "redirect-url", "https://registry.example.org/",
                "device-token-lifetime", "30d"));
        assertThat(config.issuer()).as("an issuer is compared as written").hasToString("https://tenant.example.com/");
        assertThat(config.redirectUrl()).hasToString("https://registry.example.org");
        assertThat(config.scopes()).isEqualTo(List.of("openid", "profile", "groups"));
        assertThat(config.deviceTokenLifetime()).isEqualTo(Duration.ofDays(30));
        assertThat(config.clientSecret()).isEqualTo("s3cret");
    }

    @Test
    void mistakesNameTheKey() {
        assertThatThrownBy(() -> OidcConfig.from(Map.of())).hasMessageContaining("needs issuer");
        assertThatThrownBy(() -> OidcConfig.from(Map.of("issuer", "https://idp", "client_id", "x")))
                .hasMessageContaining("has no key client_id").hasMessageContaining("client-id");
        assertThatThrownBy(() -> OidcConfig.from(Map.of("issuer", "idp.example.org")))
                .hasMessageContaining("issuer is not an http(s) URL");
        assertThatThrownBy(() -> OidcConfig.from(Map.of("issuer", "https://idp", "scopes", "profile")))
                .hasMessageContaining("scopes must include openid");
        assertThatThrownBy(() -> OidcConfig.from(Map.of("issuer", "https://idp", "device-token-lifetime", "forever")))
                .hasMessageContaining("device-token-lifetime");
    }
}
