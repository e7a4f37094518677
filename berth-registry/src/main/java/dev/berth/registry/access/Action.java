package dev.berth.registry.access;

import java.util.Locale;

/**
 * What a request does to a repository. The first three are the token spec's actions
 * ({@code pull}, {@code push}, {@code delete}); ADMINISTER covers a project's members and class.
 */
public enum Action {
    PULL, PUSH, DELETE, ADMINISTER;

    /** The name in a token's {@code access} claim and in a scope. */
    public String label() {
        return this == ADMINISTER ? "*" : name().toLowerCase(Locale.ROOT);
    }

    /** The action a scope word names, or null for words berth does not grant. */
    public static Action ofLabel(String label) {
        for (Action action : values()) {
            if (action.label().equals(label)) {
                return action;
            }
        }
        return null;
    }
}
