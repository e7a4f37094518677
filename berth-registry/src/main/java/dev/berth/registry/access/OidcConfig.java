package dev.berth.registry.access;

import dev.berth.registry.RegistryConfigFile;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code [auth.oidc]} table: the identity provider's issuer, the registry's client credentials
 * there, which claims name the user and their groups, and how long a token made by a device
 * sign-in lasts. Keys are documented in docs/access.md.
 *
 * @param redirectUrl the registry's own external base URL, or null to derive it from each request
 * @param clientSecret null for a public client
 */
public record OidcConfig(URI issuer, String clientId, String clientSecret, String usernameClaim, String groupsClaim,
                         List<String> scopes, URI redirectUrl, Duration deviceTokenLifetime) {
    private static final Set<String> KEYS = Set.of("issuer", "client-id", "client-secret", "username-claim",
            "groups-claim", "scopes", "redirect-url", "device-token-lifetime");

    public OidcConfig {
        scopes = List.copyOf(scopes);
    }

    /** Made from the table's keys as written; throws IllegalArgumentException naming a bad key. */
    public static OidcConfig from(Map<String, String> keys) {
        for (String key : keys.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("[auth.oidc] has no key " + key + ": the keys are " + new TreeSet<>(KEYS));
            }
        }
        if (!keys.containsKey("issuer")) {
            throw new IllegalArgumentException("[auth.oidc] needs issuer, e.g. issuer = \"https://idp.example.org/realms/uni\"");
        }
        // The issuer is compared byte for byte with the ID token's iss claim, trailing slash and all.
        URI issuer = url(keys, "issuer", false);
        URI redirect = keys.containsKey("redirect-url") ? url(keys, "redirect-url", true) : null;
        List<String> scopes = List.of(keys.getOrDefault("scopes", "openid profile").strip().split("[ ,]+"));
        if (!scopes.contains("openid")) {
            throw new IllegalArgumentException("[auth.oidc] scopes must include openid, e.g. scopes = \"openid profile\"");
        }
        Duration lifetime;
        try {
            lifetime = RegistryConfigFile.duration(keys.getOrDefault("device-token-lifetime", "90d"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[auth.oidc] device-token-lifetime: " + e.getMessage());
        }
        return new OidcConfig(issuer, keys.getOrDefault("client-id", "berth"), keys.get("client-secret"),
                keys.getOrDefault("username-claim", "preferred_username"), keys.getOrDefault("groups-claim", "groups"),
                scopes, redirect, lifetime);
    }

    private static URI url(Map<String, String> keys, String key, boolean dropTrailingSlash) {
        String text = keys.get(key).strip();
        try {
            URI uri = new URI(dropTrailingSlash && text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(text, "not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("[auth.oidc] " + key + " is not an http(s) URL: " + text);
        }
    }
}
