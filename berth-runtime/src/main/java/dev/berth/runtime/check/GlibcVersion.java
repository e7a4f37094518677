package dev.berth.runtime.check;

import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A glibc symbol version such as GLIBC_2.34, ordered as versions are (2.4 before 2.34). */
public record GlibcVersion(int[] parts) implements Comparable<GlibcVersion> {
    private static final Pattern NAME = Pattern.compile("GLIBC_(\\d{1,4}(?:\\.\\d{1,4}){1,3})");

    /** The highest GLIBC_x.y among {@code names}; GLIBC_PRIVATE and other libraries' versions do not count. */
    public static Optional<GlibcVersion> highest(Collection<String> names) {
        return names.stream().map(NAME::matcher).filter(Matcher::matches)
                .map(match -> new GlibcVersion(Arrays.stream(match.group(1).split("\\.")).mapToInt(Integer::parseInt).toArray()))
                .max(GlibcVersion::compareTo);
    }

    @Override
    public int compareTo(GlibcVersion other) {
        return Arrays.compare(parts, other.parts);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GlibcVersion version && Arrays.equals(parts, version.parts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(parts);
    }

    @Override
    public String toString() {
        return Arrays.stream(parts).mapToObj(Integer::toString).collect(Collectors.joining("."));
    }
}
