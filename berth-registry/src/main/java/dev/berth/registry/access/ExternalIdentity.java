package dev.berth.registry.access;

import java.util.Set;

/**
 * A user a directory vouched for: the account name berth gives them, which directory ({@code ldap},
 * {@code oidc}), and the groups it reports now (LDAP group {@code cn}s, or the OIDC groups claim as given).
 */
public record ExternalIdentity(String name, String source, Set<String> groups) {
    /** The longest group name kept (the metadata column's size); a directory's longer names are dropped. */
    public static final int MAX_GROUP_NAME = 255;

    public ExternalIdentity {
        groups = groups.stream().filter(group -> !group.isBlank() && group.length() <= MAX_GROUP_NAME)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
