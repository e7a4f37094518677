package dev.berth.registry.access;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a verified registry token lets its bearer do: the token's subject (null for an anonymous
 * token), the actions per repository, whether it may list the catalog, and the scopes of the
 * personal or robot token its subject signed in with (empty: none).
 */
public record TokenGrant(String subject, Map<String, Set<Action>> repositories, boolean catalog, Instant expires,
                         List<TokenScope> limits) {
    public TokenGrant {
        repositories = Map.copyOf(repositories);
        limits = List.copyOf(limits);
    }

    public boolean allows(String repository, Action action) {
        Set<Action> actions = repositories.get(repository);
        return actions != null && actions.contains(action);
    }
}
