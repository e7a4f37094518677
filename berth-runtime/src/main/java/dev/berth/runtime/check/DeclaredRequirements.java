package dev.berth.runtime.check;

import dev.berth.oci.ByteSize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The requirements an image declares in its config's labels, compared with what a container may
 * use here ({@link Allocation}). Cheap: labels and a few host files, so {@code exec} runs it too.
 *
 * <ul>
 *   <li>{@code dev.berth.requires.memory}: memory, with a unit: {@code 512M}, {@code 16G}, {@code 1T}
 *       (a {@link ByteSize}: binary units, as SLURM's {@code --mem})</li>
 *   <li>{@code dev.berth.requires.cores}: processors, a whole number</li>
 *   <li>{@code dev.berth.requires.gpus}: NVIDIA GPUs, a whole number</li>
 *   <li>{@code dev.berth.requires.x86-64-level}: {@code x86-64-v2}, {@code v3}, {@code v4}</li>
 * </ul>
 */
public final class DeclaredRequirements {
    public static final String PREFIX = "dev.berth.requires.";
    public static final String MEMORY = PREFIX + "memory";
    public static final String CORES = PREFIX + "cores";
    public static final String GPUS = PREFIX + "gpus";
    public static final String X86_64_LEVEL = PREFIX + "x86-64-level";
    private static final List<String> KNOWN = List.of(MEMORY, CORES, GPUS, X86_64_LEVEL);
    private static final Pattern WHOLE = Pattern.compile("\\d{1,9}");

    private DeclaredRequirements() {
    }

    /** The labels of {@code labels} that declare a requirement, in name order. */
    public static Map<String, String> of(Map<String, String> labels) {
        Map<String, String> declared = new TreeMap<>();
        if (labels != null) {
            labels.forEach((name, value) -> {
                if (name.startsWith(PREFIX)) {
                    declared.put(name, value);
                }
            });
        }
        return declared;
    }

    /** One finding per declared requirement; one "ok" finding when the image declares none. */
    public static List<Finding> check(Map<String, String> requirements, HostFacts host) {
        if (requirements.isEmpty()) {
            return List.of(Finding.ok("requirements", "the image declares none (labels " + PREFIX + "*)"));
        }
        Allocation allocation = Allocation.of(host);
        List<Finding> findings = new ArrayList<>();
        new TreeMap<>(requirements).forEach((label, value) -> findings.add(check(label, value, host, allocation)));
        return findings;
    }

    private static Finding check(String label, String value, HostFacts host, Allocation allocation) {
        String name = label.substring(PREFIX.length());
        return switch (label) {
            case MEMORY -> ByteSize.parse(value).map(needed -> memory(needed, allocation)).orElseGet(() -> malformed(label, value, "a size such as 16G"));
            case CORES -> whole(value).map(needed -> atLeast(name, needed, allocation.cores(), "cores", allocation))
                    .orElseGet(() -> malformed(label, value, "a whole number"));
            case GPUS -> whole(value).map(needed -> atLeast(name, needed, allocation.gpus(), "GPUs", allocation))
                    .orElseGet(() -> malformed(label, value, "a whole number"));
            case X86_64_LEVEL -> X86Level.parse(value).map(needed -> level(needed, host))
                    .orElseGet(() -> malformed(label, value, "x86-64-v2, x86-64-v3 or x86-64-v4"));
            default -> Finding.warning(name, "unknown label " + label + "; berth knows " + String.join(", ", KNOWN));
        };
    }

    private static Finding memory(long needed, Allocation allocation) {
        if (allocation.memoryBytes() < 0) {
            return Finding.warning("memory", "the image needs " + ByteSize.format(needed) + "; the memory of " + allocation.source()
                    + " is unknown");
        }
        String detail = "the image needs " + ByteSize.format(needed) + ", " + allocation.source() + " has " + ByteSize.format(allocation.memoryBytes());
        return needed > allocation.memoryBytes() ? Finding.problem("memory", detail) : Finding.ok("memory", detail);
    }

    private static Finding atLeast(String check, int needed, int available, String unit, Allocation allocation) {
        String detail = "the image needs " + needed + " " + unit + ", " + allocation.source() + " has " + available;
        return needed > available ? Finding.problem(check, detail) : Finding.ok(check, detail);
    }

    private static Finding level(X86Level needed, HostFacts host) {
        if (!host.isX86()) {
            return Finding.problem("x86-64-level", "the image needs an " + needed + " CPU, this is an " + host.architecture()
                    + " machine");
        }
        X86Level cpu = host.x86Level();
        String detail = "the image needs " + needed + ", this CPU is " + cpu;
        return needed.compareTo(cpu) > 0 ? Finding.problem("x86-64-level", detail) : Finding.ok("x86-64-level", detail);
    }

    private static Finding malformed(String label, String value, String expected) {
        return Finding.warning(label.substring(PREFIX.length()), "label " + label + "=" + value + " is not " + expected
                + "; it is ignored");
    }

    private static Optional<Integer> whole(String text) {
        return WHOLE.matcher(text.strip()).matches() ? Optional.of(Integer.parseInt(text.strip())) : Optional.empty();
    }
}
