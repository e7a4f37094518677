package dev.berth.runtime.check;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The x86-64 micro-architecture levels of the psABI: what a binary built with
 * {@code -march=x86-64-v3} needs, and what a CPU offers. Each level needs the one before it.
 */
public enum X86Level {
    BASELINE("x86-64", List.of()),
    V2("x86-64-v2", List.of("cx16", "lahf_lm", "popcnt", "sse4_1", "sse4_2", "ssse3")),
    // /proc/cpuinfo calls LZCNT "abm" (AMD's name, which Intel CPUs report too)
    V3("x86-64-v3", List.of("avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave")),
    V4("x86-64-v4", List.of("avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"));

    private final String label;
    private final List<String> cpuFlags;

    X86Level(String label, List<String> cpuFlags) {
        this.label = label;
        this.cpuFlags = cpuFlags;
    }

    /** The highest level whose flags, and those of every level below, {@code flags} (of /proc/cpuinfo) all has. */
    public static X86Level ofCpu(Set<String> flags) {
        X86Level reached = BASELINE;
        for (X86Level level : values()) {
            if (!flags.containsAll(level.cpuFlags)) {
                break;
            }
            reached = level;
        }
        return reached;
    }

    /** The highest level set in GNU_PROPERTY_X86_ISA_1_NEEDED's bits (1 baseline, 2 v2, 4 v3, 8 v4); empty when none is. */
    public static Optional<X86Level> ofIsaNeeded(int bits) {
        for (int i = values().length - 1; i >= 0; i--) {
            if ((bits & (1 << i)) != 0) {
                return Optional.of(values()[i]);
            }
        }
        return Optional.empty();
    }

    /** "x86-64-v3", "v3" or "3" (the baseline: "x86-64", "v1", "1"); empty for anything else. */
    public static Optional<X86Level> parse(String text) {
        if (text.isBlank()) {
            return Optional.empty();
        }
        String level = text.strip().toLowerCase(Locale.ROOT).replaceFirst("^x86-64-?", "").replaceFirst("^v", "");
        return switch (level) {
            case "", "1", "baseline" -> Optional.of(BASELINE);
            case "2" -> Optional.of(V2);
            case "3" -> Optional.of(V3);
            case "4" -> Optional.of(V4);
            default -> Optional.empty();
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
