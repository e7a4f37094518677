package dev.berth.registry.access;

import dev.berth.oci.BerthException;

import java.util.Locale;

/** Who may pull from a project beyond its members: anyone, any signed-in user, or no one else. */
public enum SharingClass {
    PUBLIC, INTERNAL, PRIVATE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether someone with no role in the project may pull from it. */
    public boolean letsNonMembersPull(Principal principal) {
        return switch (this) {
            case PUBLIC -> true;
            case INTERNAL -> !principal.anonymous();
            case PRIVATE -> false;
        };
    }

    public static SharingClass parse(String text) {
        for (SharingClass sharing : values()) {
            if (sharing.label().equals(text)) {
                return sharing;
            }
        }
        throw new BerthException("CLASS_INVALID", "unknown sharing class \"" + text
                + "\": use public, internal or private (restricted and exec-only are not supported yet)");
    }
}
