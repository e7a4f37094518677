package dev.berth.runtime.devices;

import dev.berth.runtime.sandbox.Bind;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plan for one vendor's driver, as Apptainer's {@code --nv} builds it: the host's device
 * nodes, the driver's libraries bound into one directory appended to LD_LIBRARY_PATH, and its
 * programs bound into one directory put in front of PATH.
 *
 * <p>Libraries go into a directory of their own instead of over the image's files, so an image
 * keeps its own libraries and a driver library the image lacks needs no change to the image's
 * tree. LD_LIBRARY_PATH still beats the image's ld.so.cache, so a stale copy of libcuda that an
 * image installed never shadows the driver's; an image's own LD_LIBRARY_PATH (CUDA forward-
 * compatibility libraries) comes first, as under Apptainer. The driver's programs win over the
 * image's, as under Apptainer (which binds them over the image's), since they must match the
 * kernel module.
 *
 * <p>The driver is there when the host's cache has the profile's first library (libcuda,
 * libhsa-runtime64). Without it nothing but device nodes is injected: the other libraries of a
 * list (libdrm, for one) are on many hosts without a GPU, and would only shadow the image's.
 */
final class DriverInjection {
    private DriverInjection() {
    }

    static InjectionPlan plan(DriverProfile profile, HostDevices host, LdconfigCache libraries) throws IOException {
        boolean driverFound = !libraries.named(profile.libraries().getFirst()).isEmpty();
        List<Bind> libraryBinds = new ArrayList<>();
        List<Bind> programBinds = new ArrayList<>();
        if (driverFound) {
            for (String library : profile.libraries()) {
                for (LdconfigCache.Library found : libraries.named(library)) {
                    HostFiles.realFile(found.path()).ifPresent(file -> libraryBinds.add(
                            readOnly(file, InjectionPlan.LIBRARY_DIRECTORY + "/" + found.name())));
                }
            }
            for (String program : profile.programs()) {
                onPath(program, host.programPath()).ifPresent(file -> programBinds.add(
                        readOnly(file, InjectionPlan.PROGRAM_DIRECTORY + "/" + program)));
            }
        }
        Map<String, String> selection = new LinkedHashMap<>();
        for (String variable : profile.deviceSelection()) {
            if (host.environment().containsKey(variable)) {
                selection.put(variable, host.environment().get(variable));
            }
        }
        List<String> warnings = driverFound ? List.of() : List.of(profile.flag() + ": no " + profile.vendor()
                + " driver found (" + host.ldconfig() + " -p lists no " + profile.libraries().getFirst()
                + "); running without its libraries");
        List<Bind> binds = new ArrayList<>(libraryBinds);
        binds.addAll(programBinds);
        return new InjectionPlan(deviceNodes(profile, host.devDirectory()), binds, selection, List.of(),
                libraryBinds.isEmpty() ? List.of() : List.of(InjectionPlan.LIBRARY_DIRECTORY),
                programBinds.isEmpty() ? List.of() : List.of(InjectionPlan.PROGRAM_DIRECTORY), warnings);
    }

    /** The entries of {@code dev} the profile names, in name order; a directory (nvidia-caps, dri) is bound whole. */
    private static List<InjectionPlan.DeviceNode> deviceNodes(DriverProfile profile, Path dev) throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(dev)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dev,
                    entry -> profile.deviceNamePrefixes().stream().anyMatch(entry.getFileName().toString()::startsWith))) {
                entries.forEach(found::add);
            }
        }
        return found.stream().sorted()
                .map(node -> new InjectionPlan.DeviceNode(node, "/dev/" + node.getFileName())).toList();
    }

    private static Optional<Path> onPath(String program, List<Path> path) {
        return path.stream().map(dir -> dir.resolve(program))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst().flatMap(HostFiles::realFile);
    }

    private static Bind readOnly(Path source, String destination) {
        return new Bind(source, Path.of(destination), true);
    }
}
