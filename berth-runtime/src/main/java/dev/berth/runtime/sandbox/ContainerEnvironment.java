package dev.berth.runtime.sandbox;

import dev.berth.runtime.devices.InjectionPlan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The container's environment, built in the documented order: the host's (or, with
 * --cleanenv, only the keep-list), minus variables that describe the host's own files, then
 * the image's ENV, then berth's defaults for MPI, then what the requested devices need, then
 * --env-file and --env.
 */
public final class ContainerEnvironment {
    /** What --cleanenv keeps from the host: identity, terminal, locale, time zone, display. */
    public static final Set<String> KEEP_LIST = Set.of("TERM", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL",
            "LC_CTYPE", "LC_MESSAGES", "TZ", "DISPLAY", "COLORTERM", "BERTH_NAME");

    /** Host variables that point at the host's programs and libraries, which the image does not have. */
    private static final Set<String> HOST_ONLY = Set.of("PATH", "LD_LIBRARY_PATH", "LD_PRELOAD", "PS1", "PROMPT_COMMAND");

    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /**
     * Open MPI's single-copy transfers between the ranks of a node (CMA, process_vm_readv) need
     * the ranks in one user namespace, and each berth container has its own: Open MPI 4.1 then
     * warns and hangs on large messages. Its shared memory without single copy works (and was as
     * fast here: docs/benchmarks.md#mpi), so that is the default unless the host or image says
     * otherwise, or the ranks share one namespace (--sharens), where single copy works.
     */
    private static final Map<String, String> MPI_DEFAULTS = Map.of("OMPI_MCA_btl_vader_single_copy_mechanism", "none");

    /**
     * Set by the launcher (bin/berth) when it ran the JVM under {@code LC_ALL=C.UTF-8} because the
     * caller's locale is not UTF-8: the caller's own LC_ALL, or {@code (unset)}.
     */
    static final String CALLER_LC_ALL = "BERTH_CALLER_LC_ALL";
    private static final String UNSET = "(unset)";

    private ContainerEnvironment() {
    }

    public static Map<String, String> build(Map<String, String> host, List<String> imageEnv, ContainerOptions options,
                                            InjectionPlan devices, Caller caller, String imageName) {
        Map<String, String> result = new LinkedHashMap<>();
        callersOwn(host).forEach((key, value) -> {
            boolean keep = options.cleanEnvironment() ? KEEP_LIST.contains(key) : !HOST_ONLY.contains(key);
            if (keep) {
                result.put(key, value);
            }
        });
        for (String assignment : imageEnv) {
            int equals = assignment.indexOf('=');
            if (equals > 0) {
                result.put(assignment.substring(0, equals), assignment.substring(equals + 1));
            }
        }
        result.putIfAbsent("PATH", DEFAULT_PATH);
        if (!options.shareNamespace()) {
            MPI_DEFAULTS.forEach(result::putIfAbsent);
        }
        result.put("HOME", options.fakeroot() ? "/root" : caller.home().toString());
        result.put("BERTH_CONTAINER", imageName);
        result.putAll(devices.environment());
        List<String> path = new ArrayList<>(devices.programPath());
        path.add(result.get("PATH"));
        result.put("PATH", String.join(":", path));
        if (!devices.libraryPath().isEmpty() || !devices.libraryPathFirst().isEmpty()) {
            List<String> libraryPath = new ArrayList<>(devices.libraryPathFirst());
            if (result.get("LD_LIBRARY_PATH") != null && !result.get("LD_LIBRARY_PATH").isEmpty()) {
                libraryPath.add(result.get("LD_LIBRARY_PATH"));
            }
            libraryPath.addAll(devices.libraryPath());
            result.put("LD_LIBRARY_PATH", String.join(":", libraryPath));
        }
        result.putAll(options.environment());
        return result;
    }

    /** The host environment as the caller had it, before the launcher changed the JVM's locale. */
    private static Map<String, String> callersOwn(Map<String, String> host) {
        String lcAll = host.get(CALLER_LC_ALL);
        if (lcAll == null) {
            return host;
        }
        Map<String, String> own = new LinkedHashMap<>(host);
        own.remove(CALLER_LC_ALL);
        if (lcAll.equals(UNSET)) {
            own.remove("LC_ALL");
        } else {
            own.put("LC_ALL", lcAll);
        }
        return own;
    }
}
