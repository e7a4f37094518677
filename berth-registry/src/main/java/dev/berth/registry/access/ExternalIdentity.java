package dev.berth.registry.access;

import java.util.Set;

/**
 * A user a directory vouched for: the account name berth gives them, which directory ({@code ldap},
 * {@code oidc}), and the groups it reports now (LDAP group {@code cn}s, or the OIDC groups claim as given).
 */
public record ExternalIdentity(String name, String source, Set<String> groups) {
    public ExternalIdentity {
        groups = Set.copyOf(groups);
    }
}
