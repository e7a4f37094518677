package dev.berth.registry.access;

import java.util.Map;

/**
 * The {@code [auth.oidc]} table: the identity provider's issuer, the registry's client credentials
 * there, and which claims name the user and their groups. Keys are documented in docs/access.md.
 */
public record OidcConfig(Map<String, String> keys) {
    public OidcConfig {
        keys = Map.copyOf(keys);
        if (!keys.containsKey("issuer")) {
            throw new IllegalArgumentException("[auth.oidc] needs issuer, e.g. issuer = \"https://idp.example.org/realms/uni\"");
        }
    }

    /** Made from the table's keys as written; throws IllegalArgumentException naming a bad key. */
    public static OidcConfig from(Map<String, String> keys) {
        return new OidcConfig(keys);
    }
}
