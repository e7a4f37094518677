package dev.berth.runtime.check;

import dev.berth.oci.image.ImageConfig;
import dev.berth.runtime.ImageCache;
import dev.berth.runtime.ImageFile;
import dev.berth.runtime.ImageMetadata;
import dev.berth.runtime.ImageRoot;
import dev.berth.runtime.RunDirectory;
import dev.berth.runtime.devices.DevicePlanner;
import dev.berth.runtime.devices.DeviceRequest;
import dev.berth.runtime.devices.HostDevices;
import dev.berth.runtime.devices.LdconfigCache;
import dev.berth.runtime.sandbox.Caller;
import dev.berth.runtime.sandbox.ContainerOptions.RootMode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Will this image run here? Compares an image with the host a run would start it on: its
 * architecture, the x86-64 level its binaries need, its glibc against the driver libraries
 * {@code --nv} would inject, its MPI against the host's, and the requirements its labels
 * declare against the node or the SLURM job.
 */
public final class ImageCheck {
    private static final DeviceRequest NVIDIA = new DeviceRequest(true, false, List.of(), false);

    private ImageCheck() {
    }

    /** Every check, on the image's tree as a run provides it (extracted once into the cache). */
    public static CheckReport run(ImageFile image, ImageCache cache, HostFacts host, HostDevices devices,
                                  Map<String, String> environment) throws IOException {
        Caller caller = Caller.current(environment);
        try (RunDirectory run = RunDirectory.create(RunDirectory.base(environment, caller), caller,
                ProcessHandle.current().pid())) {
            Path tree = ImageRoot.provide(image, RootMode.DIRECTORY, run, cache);
            return ofTree(tree, image.metadata(tree), image.config(tree), host, devices);
        }
    }

    /** Every check, on an extracted image tree with the image's metadata and config. */
    static CheckReport ofTree(Path tree, ImageMetadata metadata, ImageConfig config, HostFacts host, HostDevices devices)
            throws IOException {
        ImageFiles files = new ImageFiles(tree);
        List<Finding> findings = new ArrayList<>();
        findings.add(ArchitectureCheck.check(metadata.platform(), host));
        findings.add(MicroArchitectureCheck.check(files, program(metadata).flatMap(name -> files.program(name, metadata.env())),
                metadata.platform().architecture(), host));
        findings.add(GlibcCheck.check(files, DevicePlanner.plan(NVIDIA, devices).injectedLibraries()));
        findings.add(MpiCheck.check(files, LdconfigCache.query(devices.ldconfig()).named("libmpi")));
        findings.addAll(DeclaredRequirements.check(DeclaredRequirements.of(config.config() == null ? null
                : config.config().labels()), host));
        return new CheckReport(metadata.name(), findings);
    }

    /**
     * What {@code exec} says before it starts: the first requirement the image's labels declare
     * that this host or job does not meet, as one line. Reads nothing of the host when the image
     * declares none; the architecture is already enforced (a mismatch stops the run).
     */
    public static Optional<String> warningBeforeRun(ImageMetadata metadata) throws IOException {
        if (metadata.requirements().isEmpty()) {
            return Optional.empty();
        }
        return new CheckReport(metadata.name(), DeclaredRequirements.check(metadata.requirements(), HostFacts.current()))
                .firstProblem().map(problem -> "warning: " + problem.detail() + " (berth check " + metadata.name() + " for details)");
    }

    /** The program a run starts: the entrypoint's, else the command's. */
    private static Optional<String> program(ImageMetadata metadata) {
        List<String> command = metadata.entrypoint() != null && !metadata.entrypoint().isEmpty() ? metadata.entrypoint()
                : metadata.cmd();
        return command == null || command.isEmpty() ? Optional.empty() : Optional.of(command.getFirst());
    }
}
