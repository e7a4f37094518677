package dev.berth.registry.access;

import java.util.List;
import java.util.Set;

/**
 * Who a request acts for: an account, or no one (anonymous). {@code groups} are those a directory
 * (LDAP, OpenID Connect) reported at the account's last sign-in. A personal access token narrows
 * what its account may do to the token's scopes; an empty list means no narrowing.
 */
public record Principal(String name, boolean admin, Set<String> groups, List<TokenScope> limits) {
    public static final Principal ANONYMOUS = new Principal(null, false, Set.of(), List.of());

    public Principal {
        groups = Set.copyOf(groups);
        limits = List.copyOf(limits);
    }

    public boolean anonymous() {
        return name == null;
    }

    /** For logs and the audit: the account's name, or "anonymous". */
    public String label() {
        return anonymous() ? "anonymous" : name;
    }
}
