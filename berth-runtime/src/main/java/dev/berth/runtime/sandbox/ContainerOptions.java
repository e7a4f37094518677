package dev.berth.runtime.sandbox;

import dev.berth.runtime.devices.DeviceRequest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How the user asked the container to run; every default is the Apptainer-like one that
 * docs/runtime.md describes.
 *
 * @param environment variables from --env and --env-file, in order (later wins)
 * @param contain     only the given binds: no home, working directory or host /tmp, a private /dev
 * @param fakeroot    appear as uid 0 inside the user namespace (nothing more)
 * @param network     false for --net none
 * @param ownPids     a private PID namespace
 * @param shareNamespace one user namespace for every container with the same parent process (--sharens: MPI ranks of a node)
 * @param devices     GPUs and other devices to inject (--nv, --rocm, --device)
 */
public record ContainerOptions(
        List<Bind> binds,
        Map<String, String> environment,
        boolean cleanEnvironment,
        boolean noHome,
        boolean contain,
        Path workingDirectory,
        boolean writableTmpfs,
        boolean fakeroot,
        boolean network,
        boolean ownPids,
        boolean shareNamespace,
        RootMode rootMode,
        DeviceRequest devices) {

    /** How the image's tree is provided. */
    public enum RootMode {
        /**
         * The extracted directory. Measured faster (bench/runtime): parallel reads run at the host
         * file system's speed, where a fresh squashfuse mount per run reads 4-5x slower because
         * its page cache dies with the mount.
         */
        AUTO,
        /** Mounted with squashfuse_ll. */
        FUSE,
        /** Extracted once into a directory of the cache (--sandbox). */
        DIRECTORY
    }

    public ContainerOptions {
        binds = List.copyOf(binds);
        environment = Map.copyOf(environment);
    }

    public static ContainerOptions defaults() {
        return new ContainerOptions(List.of(), Map.of(), false, false, false, null, false, false, true, false, false,
                RootMode.AUTO, DeviceRequest.NONE);
    }
}
