package dev.berth.runtime.devices;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where the host's devices, driver libraries and CDI specs are found. Every run reads the real
 * host; the parts are parameters so that a test, or a site with an unusual layout, can point
 * them elsewhere.
 *
 * @param devDirectory       the host's /dev
 * @param ldconfig           the program whose {@code -p} lists the host's library cache
 * @param programPath        the host's PATH, where driver programs such as nvidia-smi are looked up
 * @param cdiSpecDirectories CDI spec directories, lowest priority first
 * @param environment        the host's environment, for variables that select devices
 */
public record HostDevices(Path devDirectory, Path ldconfig, List<Path> programPath, List<Path> cdiSpecDirectories,
                          Map<String, String> environment) {
    /** Replaces the CDI spec directories: a colon-separated list, lowest priority first. */
    public static final String CDI_SPEC_DIRS_VARIABLE = "BERTH_CDI_SPEC_DIRS";
    /** Names the ldconfig program, for hosts where it is not /sbin/ldconfig. */
    public static final String LDCONFIG_VARIABLE = "BERTH_LDCONFIG";
    /** As CDI specifies: specs in /var/run/cdi (generated at boot) take precedence over /etc/cdi. */
    static final List<Path> DEFAULT_CDI_SPEC_DIRS = List.of(Path.of("/etc/cdi"), Path.of("/var/run/cdi"));
    private static final List<Path> LDCONFIG_CANDIDATES = List.of(Path.of("/sbin/ldconfig"), Path.of("/usr/sbin/ldconfig"));

    public HostDevices {
        programPath = List.copyOf(programPath);
        cdiSpecDirectories = List.copyOf(cdiSpecDirectories);
        environment = Map.copyOf(environment);
    }

    /** This host, with the overrides {@code environment} names. */
    public static HostDevices of(Map<String, String> environment) {
        String ldconfig = environment.get(LDCONFIG_VARIABLE);
        String specDirs = environment.get(CDI_SPEC_DIRS_VARIABLE);
        return new HostDevices(Path.of("/dev"),
                isSet(ldconfig) ? Path.of(ldconfig)
                        : LDCONFIG_CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElse(LDCONFIG_CANDIDATES.getFirst()),
                paths(environment.getOrDefault("PATH", "")),
                isSet(specDirs) ? paths(specDirs) : DEFAULT_CDI_SPEC_DIRS,
                environment);
    }

    private static List<Path> paths(String list) {
        return Arrays.stream(list.split(File.pathSeparator)).filter(dir -> !dir.isEmpty()).map(Path::of).toList();
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
