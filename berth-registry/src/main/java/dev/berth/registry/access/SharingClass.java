package dev.berth.registry.access;

import dev.berth.oci.BerthException;

import java.util.Locale;

/**
 * Who may pull beyond a project's members: anyone ({@code public}), any signed-in user
 * ({@code internal}), those who meet the conditions ({@code restricted}), no one else
 * ({@code private}); {@code exec-only} content is pulled only by runner robots and the project's
 * maintainers, so it runs on the facility's nodes but its users cannot download it.
 */
public enum SharingClass {
    PUBLIC, INTERNAL, RESTRICTED, PRIVATE, EXEC_ONLY;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether someone with no role in the project may pull, given the class's conditions. */
    public boolean letsNonMembersPull(Principal principal, Conditions conditions, String address) {
        return switch (this) {
            case PUBLIC -> true;
            case INTERNAL -> !principal.anonymous();
            case RESTRICTED -> conditions.holdFor(principal, address);
            case PRIVATE, EXEC_ONLY -> false;
        };
    }

    /** Whether a member with {@code role} may pull: in exec-only projects only maintainers and owners. */
    public boolean letsMemberPull(Role role) {
        return this != EXEC_ONLY || role.compareTo(Role.MAINTAINER) >= 0;
    }

    public static SharingClass parse(String text) {
        for (SharingClass sharing : values()) {
            if (sharing.label().equals(text)) {
                return sharing;
            }
        }
        throw new BerthException("CLASS_INVALID", "unknown sharing class \"" + text
                + "\": use public, internal, restricted, private or exec-only");
    }
}
