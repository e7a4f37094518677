package dev.berth.registry;

import java.util.regex.Pattern;

/** The repository-name and tag grammars of the distribution-spec. */
public final class Names {
    private static final Pattern REPOSITORY =
            Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    /** Clients limit host + "/" + name to 255 characters; this leaves room for a host and port. */
    public static final int MAX_REPOSITORY_LENGTH = 229;

    private Names() {
    }

    public static boolean isRepository(String name) {
        return name.length() <= MAX_REPOSITORY_LENGTH && REPOSITORY.matcher(name).matches();
    }

    public static boolean isTag(String tag) {
        return TAG.matcher(tag).matches();
    }

    public static String requireRepository(String name) {
        if (!isRepository(name)) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "invalid repository name \"" + name
                    + "\": use lower-case letters, digits and separators (. _ __ - /), at most "
                    + MAX_REPOSITORY_LENGTH + " characters");
        }
        return name;
    }

    public static String requireTag(String tag) {
        if (!isTag(tag)) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, "invalid tag \"" + tag
                    + "\": use letters, digits, '_', '.' and '-', at most 128 characters, not starting with '.' or '-'");
        }
        return tag;
    }
}
