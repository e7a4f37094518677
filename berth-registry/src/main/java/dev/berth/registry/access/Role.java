package dev.berth.registry.access;

import dev.berth.oci.BerthException;

import java.util.Locale;

/** A member's role in a project; each role may do what the one before it may, and more. */
public enum Role {
    GUEST, DEVELOPER, MAINTAINER, OWNER;

    public boolean allows(Action action) {
        return switch (action) {
            case PULL -> true;
            case PUSH -> compareTo(DEVELOPER) >= 0;
            case DELETE -> compareTo(MAINTAINER) >= 0;
            case ADMINISTER -> this == OWNER;
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.label().equals(text)) {
                return role;
            }
        }
        throw new BerthException("ROLE_INVALID", "unknown role \"" + text + "\": use guest, developer, maintainer or owner");
    }
}
