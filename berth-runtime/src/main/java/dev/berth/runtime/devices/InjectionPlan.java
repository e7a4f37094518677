package dev.berth.runtime.devices;

import dev.berth.runtime.sandbox.Bind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run adds to the container for its devices: device nodes, host files bound in, the
 * environment, and warnings to show before it starts.
 *
 * @param deviceNodes  bound with bwrap's --dev-bind, so they work under --contain's private /dev too
 * @param binds        host files and directories (libraries, programs, CDI mounts)
 * @param environment  variables to set, after the image's
 * @param libraryPathFirst container directories to put in front of LD_LIBRARY_PATH, before the image's own entries
 * @param libraryPath  container directories to append to LD_LIBRARY_PATH
 * @param programPath  container directories to put in front of PATH
 * @param warnings     one line each: what was asked for and could not be done
 */
public record InjectionPlan(List<DeviceNode> deviceNodes, List<Bind> binds, Map<String, String> environment,
                            List<String> libraryPathFirst, List<String> libraryPath, List<String> programPath, List<String> warnings) {
    /** Where injected libraries appear inside, each under the names the host's loader knows it by. */
    public static final String LIBRARY_DIRECTORY = "/.berth.d/libs";
    /** Where the host's MPI libraries appear inside ({@code --mpi host}), each under its soname. */
    public static final String MPI_LIBRARY_DIRECTORY = "/.berth.d/mpi";
    /** Where injected programs appear inside. */
    public static final String PROGRAM_DIRECTORY = "/.berth.d/bin";
    public static final InjectionPlan NONE = new InjectionPlan(List.of(), List.of(), Map.of(), List.of(), List.of(), List.of(), List.of());

    /** A device node of the host, made visible at {@code containerPath}. */
    public record DeviceNode(Path hostPath, String containerPath) {
    }

    public InjectionPlan {
        deviceNodes = List.copyOf(deviceNodes);
        binds = List.copyOf(binds);
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        libraryPathFirst = List.copyOf(libraryPathFirst);
        libraryPath = List.copyOf(libraryPath);
        programPath = List.copyOf(programPath);
        warnings = List.copyOf(warnings);
    }

    /** The host files bound into {@link #LIBRARY_DIRECTORY}: the driver libraries the container's programs will load. */
    public List<Path> injectedLibraries() {
        return binds.stream().filter(bind -> bind.destination().startsWith(Path.of(LIBRARY_DIRECTORY)))
                .map(Bind::source).toList();
    }

    /** Both plans; where both bind the same destination or set the same variable, {@code later}'s wins. */
    public InjectionPlan plus(InjectionPlan later) {
        Map<String, String> variables = new LinkedHashMap<>(environment);
        variables.putAll(later.environment);
        return new InjectionPlan(concat(deviceNodes, later.deviceNodes), concat(binds, later.binds), variables,
                distinct(concat(libraryPathFirst, later.libraryPathFirst)), distinct(concat(libraryPath, later.libraryPath)), distinct(concat(programPath, later.programPath)),
                concat(warnings, later.warnings));
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static List<String> distinct(List<String> paths) {
        return paths.stream().distinct().toList();
    }
}
