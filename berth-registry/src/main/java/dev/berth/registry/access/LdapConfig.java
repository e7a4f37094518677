package dev.berth.registry.access;

import java.util.Map;

/**
 * The {@code [auth.ldap]} table: where the directory is, how a user's entry is found (a DN template
 * to bind to directly, or a search), and where their groups come from ({@code memberOf}-style
 * attribute, or a group search). Keys are documented in docs/access.md.
 */
public record LdapConfig(Map<String, String> keys) {
    public LdapConfig {
        keys = Map.copyOf(keys);
        if (!keys.containsKey("url")) {
            throw new IllegalArgumentException("[auth.ldap] needs url, e.g. url = \"ldaps://ldap.example.org\"");
        }
    }

    /** Made from the table's keys as written; throws IllegalArgumentException naming a bad key. */
    public static LdapConfig from(Map<String, String> keys) {
        return new LdapConfig(keys);
    }
}
