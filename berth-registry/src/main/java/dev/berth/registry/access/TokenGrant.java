package dev.berth.registry.access;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What a verified registry token lets its bearer do: the token's subject (null for an anonymous
 * token), the actions per repository, and whether it may list the catalog.
 */
public record TokenGrant(String subject, Map<String, Set<Action>> repositories, boolean catalog, Instant expires) {
    public TokenGrant {
        repositories = Map.copyOf(repositories);
    }

    public boolean allows(String repository, Action action) {
        Set<Action> actions = repositories.get(repository);
        return actions != null && actions.contains(action);
    }
}
