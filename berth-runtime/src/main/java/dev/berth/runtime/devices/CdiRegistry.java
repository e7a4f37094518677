package dev.berth.runtime.devices;

import dev.berth.oci.BerthException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The CDI devices that the spec directories define, by fully qualified name. As CDI specifies, a
 * device defined in a later directory replaces one of an earlier directory, and one defined
 * twice in the same directory is an error.
 */
final class CdiRegistry {
    /** A device and the spec that defines it. */
    record Selected(Path file, CdiSpec spec, CdiSpec.Device device) {
        String qualifiedName() {
            return spec.kind() + "=" + device.name();
        }
    }

    private static final int MAX_NAMES_LISTED = 30;

    private final List<Path> directories;
    private final Map<String, Selected> devices;

    private CdiRegistry(List<Path> directories, Map<String, Selected> devices) {
        this.directories = directories;
        this.devices = devices;
    }

    /** Every spec (*.json, *.yaml, *.yml) in {@code directories}, lowest priority first; a missing directory has none. */
    static CdiRegistry load(List<Path> directories) throws IOException {
        Map<String, Selected> devices = new LinkedHashMap<>();
        for (Path directory : directories) {
            for (Path file : specFiles(directory)) {
                CdiSpec spec = CdiSpec.read(file);
                for (CdiSpec.Device device : spec.devices()) {
                    Selected selected = new Selected(file, spec, device);
                    Selected earlier = devices.put(selected.qualifiedName(), selected);
                    if (earlier != null && earlier.file().getParent().equals(directory)) {
                        throw CdiSpec.invalid(file, "device " + selected.qualifiedName() + " is also defined in " + earlier.file());
                    }
                }
            }
        }
        return new CdiRegistry(List.copyOf(directories), devices);
    }

    private static List<Path> specFiles(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(file -> file.getFileName().toString().matches(".*\\.(json|yaml|yml)") && Files.isRegularFile(file))
                    .sorted().toList();
        }
    }

    /** The devices {@code names} ask for, each once, in the order asked; {@code kind=all} is every device of the kind. */
    List<Selected> resolve(List<CdiDeviceName> names) {
        Set<Selected> chosen = new LinkedHashSet<>();
        for (CdiDeviceName name : names) {
            Selected exact = devices.get(name.toString());
            List<Selected> ofKind = devices.values().stream().filter(device -> device.spec().kind().equals(name.kind())).toList();
            if (exact != null) {
                chosen.add(exact);
            } else if (name.isAll() && !ofKind.isEmpty()) {
                chosen.addAll(ofKind);
            } else {
                throw unknown(name);
            }
        }
        return new ArrayList<>(chosen);
    }

    private BerthException unknown(CdiDeviceName name) {
        String where = directories.stream().map(Path::toString).collect(Collectors.joining(", "));
        if (devices.isEmpty()) {
            return new BerthException("CDI_DEVICE_UNKNOWN", "CDI device " + name + " is not defined: there are no CDI specs in "
                    + where + " (write one, e.g. with 'nvidia-ctk cdi generate', or name the directories in "
                    + HostDevices.CDI_SPEC_DIRS_VARIABLE + ")");
        }
        List<String> known = new ArrayList<>(devices.keySet());
        String listed = known.size() <= MAX_NAMES_LISTED ? String.join(", ", known)
                : String.join(", ", known.subList(0, MAX_NAMES_LISTED)) + ", ... (" + known.size() + " in all)";
        return new BerthException("CDI_DEVICE_UNKNOWN", "CDI device " + name + " is not defined by the specs in " + where
                + "; they define: " + listed);
    }
}
