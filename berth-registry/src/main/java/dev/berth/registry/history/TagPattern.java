package dev.berth.registry.history;

import dev.berth.oci.BerthException;

import java.util.regex.Pattern;

/**
 * A glob over tag names, as sites write immutable-tag rules: {@code *} is any run of characters,
 * {@code ?} one character, everything else itself ({@code v*}, {@code release-?.?}, {@code *}).
 */
public final class TagPattern {
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_.\\-*?]{1,128}");

    private final String glob;
    private final Pattern regex;

    private TagPattern(String glob) {
        this.glob = glob;
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        this.regex = Pattern.compile(regex.toString());
    }

    public static TagPattern parse(String glob) {
        if (!WELL_FORMED.matcher(glob).matches()) {
            throw new BerthException("TAG_PATTERN_INVALID", "\"" + glob + "\" is not a tag pattern: up to 128 of"
                    + " letters, digits, '_', '.', '-' and the wildcards '*' and '?'");
        }
        return new TagPattern(glob);
    }

    public boolean matches(String tag) {
        return regex.matcher(tag).matches();
    }

    @Override
    public String toString() {
        return glob;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TagPattern pattern && pattern.glob.equals(glob);
    }

    @Override
    public int hashCode() {
        return glob.hashCode();
    }
}
