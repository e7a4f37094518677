package dev.berth.registry.access;

import java.util.List;
import java.util.Set;

/**
 * Who a request acts for: an account, or no one (anonymous). {@code groups} are those a directory
 * (LDAP, OpenID Connect) reported at the account's last sign-in. A personal access token narrows
 * what its account may do to the token's scopes; an empty list means no narrowing. A robot
 * ({@code robotOf} its project) may do exactly what its scopes say, in its project only.
 */
public record Principal(String name, boolean admin, Set<String> groups, List<TokenScope> limits, String robotOf,
                        boolean runner) {
    public static final Principal ANONYMOUS = new Principal(null, false, Set.of(), List.of(), null, false);

    public Principal {
        groups = Set.copyOf(groups);
        limits = List.copyOf(limits);
    }

    public boolean anonymous() {
        return name == null;
    }

    public boolean robot() {
        return robotOf != null;
    }

    /** For logs and the audit: the account's name, or "anonymous". */
    public String label() {
        return anonymous() ? "anonymous" : name;
    }
}
