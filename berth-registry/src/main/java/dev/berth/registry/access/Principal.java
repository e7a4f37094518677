package dev.berth.registry.access;

import java.util.List;

/**
 * Who a request acts for: an account, or no one (anonymous). A personal access token narrows what
 * its account may do to the token's scopes; an empty list means no narrowing.
 */
public record Principal(String name, boolean admin, List<TokenScope> limits) {
    public static final Principal ANONYMOUS = new Principal(null, false, List.of());

    public Principal {
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
