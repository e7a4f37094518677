package dev.berth.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Locale;

/** The os/architecture/variant an image runs on, as in an index's {@code platform} field. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Platform(
        @JsonProperty("architecture") String architecture,
        @JsonProperty("os") String os,
        @JsonProperty("os.version") String osVersion,
        @JsonProperty("os.features") List<String> osFeatures,
        @JsonProperty("variant") String variant) {

    public static Platform of(String os, String architecture, String variant) {
        return new Platform(architecture, os, null, null, variant);
    }

    /** Parses {@code OS/ARCH[/VARIANT]}, e.g. {@code linux/arm64/v8}. */
    public static Platform parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()
                || (parts.length == 3 && parts[2].isEmpty())) {
            throw new BerthException("PLATFORM_INVALID", "invalid platform \"" + text + "\": expected OS/ARCH[/VARIANT], e.g. linux/amd64");
        }
        return of(parts[0].toLowerCase(Locale.ROOT), normaliseArchitecture(parts[1].toLowerCase(Locale.ROOT)),
                parts.length == 3 ? parts[2].toLowerCase(Locale.ROOT) : null);
    }

    /** The platform of the machine berth runs on. */
    public static Platform host() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux") ? "linux"
                : System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = normaliseArchitecture(System.getProperty("os.arch").toLowerCase(Locale.ROOT));
        return of(os, arch, arch.equals("arm64") ? "v8" : null);
    }

    /**
     * True when an image for this platform runs on {@code wanted}: same os and architecture, and
     * the same variant where both name one (arm64 without a variant means v8).
     */
    public boolean satisfies(Platform wanted) {
        if (!nullToEmpty(os).equals(nullToEmpty(wanted.os))
                || !normaliseArchitecture(nullToEmpty(architecture)).equals(normaliseArchitecture(nullToEmpty(wanted.architecture)))) {
            return false;
        }
        String mine = effectiveVariant();
        String theirs = wanted.effectiveVariant();
        return mine.isEmpty() || theirs.isEmpty() || mine.equals(theirs);
    }

    private String effectiveVariant() {
        if (variant != null && !variant.isEmpty()) {
            return variant;
        }
        return "arm64".equals(normaliseArchitecture(nullToEmpty(architecture))) ? "v8" : "";
    }

    private static String normaliseArchitecture(String arch) {
        return switch (arch) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            case "i386", "i686", "x86" -> "386";
            default -> arch;
        };
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }
}
