package dev.berth.runtime;

import dev.berth.oci.BerthException;
import dev.berth.oci.Platform;
import dev.berth.runtime.check.ImageCheck;
import dev.berth.runtime.devices.DevicePlanner;
import dev.berth.runtime.devices.DeviceRequest;
import dev.berth.runtime.devices.HostDevices;
import dev.berth.runtime.devices.InjectionPlan;
import dev.berth.runtime.sandbox.AptFakeRoot;
import dev.berth.runtime.sandbox.BwrapCommand;
import dev.berth.runtime.sandbox.Bind;
import dev.berth.runtime.sandbox.Caller;
import dev.berth.runtime.sandbox.CommandLookup;
import dev.berth.runtime.sandbox.ContainerEnvironment;
import dev.berth.runtime.sandbox.ContainerOptions;
import dev.berth.runtime.sandbox.Handoff;
import dev.berth.runtime.sandbox.JobSignals;
import dev.berth.runtime.sandbox.LaunchPlan;
import dev.berth.runtime.sandbox.NamespaceGroup;
import dev.berth.runtime.sandbox.Launcher;
import dev.berth.runtime.sandbox.UserDatabase;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs a command from an image file in a bwrap sandbox as the caller, and returns its exit code;
 * or, when the launcher offers a {@link Handoff}, prepares the run and hands it over to the launcher.
 */
public final class ContainerRunner {
    /** Chooses the command from the image's entrypoint and cmd (Docker run semantics, exec, shell). */
    @FunctionalInterface
    public interface CommandChoice {
        List<String> command(ImageMetadata image);
    }

    private final ImageCache cache;
    private final Map<String, String> hostEnvironment;
    private final List<Path> berthState;
    private final InjectionPlan site;
    private final Optional<Handoff> handoff;

    /**
     * @param berthState berth's own files (store, config, installation), which no container may change
     * @param site       what the site's configuration adds (default binds, modules); devices and the user's own win over it
     * @param handoff    the launcher's offer to start the sandbox itself; without one, this JVM runs it and waits
     */
    public ContainerRunner(ImageCache cache, Map<String, String> hostEnvironment, List<Path> berthState, InjectionPlan site,
                           Optional<Handoff> handoff) {
        this.cache = cache;
        this.hostEnvironment = hostEnvironment;
        this.berthState = List.copyOf(berthState);
        this.site = site;
        this.handoff = handoff;
    }

    /** The container's exit code; 0 when the run was handed over, and the launcher then exits with the container's. */
    public int run(ImageFile image, ContainerOptions requested, CommandChoice choice) throws IOException {
        Caller caller = Caller.current(hostEnvironment);
        List<Bind> binds = requested.binds().stream().map(Bind::resolved).toList();
        ContainerOptions options = new ContainerOptions(binds, requested.environment(), requested.cleanEnvironment(),
                requested.noHome(), requested.contain(), requested.workingDirectory(), requested.writableTmpfs(),
                requested.fakeroot(), requested.network(), requested.ownPids(), requested.shareNamespace(),
                ImageRoot.effectiveMode(requested.rootMode()),
                requested.devices());
        requireNamespaceShareable(options);
        Optional<JobSignals> jobSignals = JobSignals.of(hostEnvironment);
        // before anything is prepared: a device that cannot be had stops the run while that is cheap
        InjectionPlan injected = site.plus(DevicePlanner.plan(options.devices(), HostDevices.of(hostEnvironment)))
                .plus(jobSignals.map(JobSignals::binds).orElse(InjectionPlan.NONE));
        injected.warnings().forEach(warning -> System.err.println("berth: " + warning));
        Path hostWorkingDirectory = Path.of("").toAbsolutePath();
        Path runs = RunDirectory.base(hostEnvironment, caller);
        List<Path> state = new ArrayList<>(berthState);
        state.addAll(List.of(cache.userDirectory(), runs.getParent()));
        long owner = handoff.map(Handoff::launcherPid).orElse(ProcessHandle.current().pid());
        try (RunDirectory run = RunDirectory.create(runs, caller, owner)) {
            Path imageTree = ImageRoot.provide(image, options.rootMode(), run, cache);
            ImageMetadata metadata = image.metadata(imageTree);
            requireRunnableHere(metadata.platform(), metadata.name());
            ImageCheck.warningBeforeRun(metadata).ifPresent(warning -> System.err.println("berth: " + warning));
            List<String> command = choice.command(metadata);
            if (command.isEmpty()) {
                throw new BerthException("IMAGE_NO_COMMAND", "image " + metadata.name()
                        + " has no entrypoint and no command; name one, e.g. 'berth exec " + metadata.name() + " /bin/sh'");
            }
            BwrapCommand.EtcFiles etc = new BwrapCommand.EtcFiles(
                    run.writeFile("passwd", UserDatabase.passwd(imageTree, caller)),
                    run.writeFile("group", UserDatabase.group(imageTree, caller)));
            BwrapCommand.Root root = options.writableTmpfs()
                    ? new BwrapCommand.Root(ImageRoot.writableOverlay(imageTree, run, caller), true)
                    : new BwrapCommand.Root(imageTree, false);
            if (options.fakeroot() && options.writableTmpfs()) {
                AptFakeRoot.writeInto(root.directory());
            }
            String workingDirectory = workingDirectory(options, caller, metadata, hostWorkingDirectory);
            BwrapCommand.Plan plan = BwrapCommand.build(root, options, injected, caller, etc, hostWorkingDirectory,
                    workingDirectory, state);
            Map<String, String> environment = ContainerEnvironment.build(hostEnvironment, metadata.env(), options, injected,
                    caller, metadata.name());
            CommandLookup.check(plan.paths(), command.getFirst(), environment.get("PATH"), workingDirectory, metadata.name());
            RunningContainers.describe(run, metadata.name(), command);
            Path arguments = run.path().resolve("bwrap.args");
            Launcher.Start start = start(options, jobSignals, runs, owner, caller);
            List<String> started = jobSignals.map(signals -> signals.wrap(command)).orElse(command);
            if (handoff.isEmpty()) {
                return Launcher.run(arguments, plan.arguments(), environment, started, start);
            }
            List<String> startCommand = Launcher.prepare(arguments, plan.arguments(), environment, started, start);
            if (handoff.get().plan().isPresent() && repeatableWithoutJvm(options)) {
                List<Path> bound = Stream.concat(binds.stream(), injected.binds().stream()).map(Bind::source).toList();
                LaunchPlan.write(handoff.get().plan().get(), new LaunchPlan.Run(run.path(), run.heldEntries(), imageTree,
                        ImageRoot.sealOf(imageTree), plan.arguments(), environment, hostEnvironment, options.cleanEnvironment(),
                        Launcher.sandboxCommand(started), caller.uid(), bound));
            }
            handoff.get().write(startCommand, run.handOver(owner));
            return 0;
        }
    }

    /** How the sandbox starts: with a fake root's filter, in a shared namespace's group, with a job's signals ignored. */
    private static Launcher.Start start(ContainerOptions options, Optional<JobSignals> jobSignals, Path runs, long owner,
                                        Caller caller) throws IOException {
        Optional<Path> namespaceGroup = options.shareNamespace()
                ? Optional.of(NamespaceGroup.of(runs.getParent(), owner, caller.uid())) : Optional.empty();
        return new Launcher.Start(false, options.fakeroot(), namespaceGroup, jobSignals.isPresent() ? JobSignals.SIGNALS : List.of());
    }

    /**
     * Whether bin/berth may start this run again from a {@link LaunchPlan}: an extracted tree
     * without a layer of the run's own, and nothing that a start must set up again (FUSE mounts,
     * devices, the fake-root filter).
     */
    private static boolean repeatableWithoutJvm(ContainerOptions options) {
        return options.rootMode() == ContainerOptions.RootMode.DIRECTORY && !options.writableTmpfs() && !options.fakeroot()
                && options.devices().equals(DeviceRequest.NONE) && !options.shareNamespace();
    }

    /**
     * A shared user namespace maps the caller's own uid, once, for every member: a fake root needs
     * a mapping of its own, and so does bwrap's private /dev (--contain), which it mounts as root.
     */
    private static void requireNamespaceShareable(ContainerOptions options) {
        if (options.shareNamespace() && (options.fakeroot() || options.contain())) {
            throw new BerthException("SHARENS_CONFLICT", "--sharens cannot be combined with " + (options.fakeroot() ? "--fakeroot" : "--contain")
                    + ": the containers of a shared namespace all run as you, with the host's /dev");
        }
    }

    /** A clear error when an image's platform is not this machine's, before anything is converted or run. */
    public static void requireRunnableHere(Platform platform, String name) {
        if (platform.os() == null || platform.architecture() == null) {
            return;
        }
        Platform host = Platform.host();
        if (!platform.satisfies(host)) {
            throw new BerthException("PLATFORM_MISMATCH", "image " + name + " is for " + platform
                    + " and cannot run on this " + host + " machine; use an image built for " + host);
        }
    }

    /** --pwd, else the caller's directory when it is visible inside, else the image's WorkingDir, else /. */
    private static String workingDirectory(ContainerOptions options, Caller caller, ImageMetadata image,
                                           Path hostWorkingDirectory) {
        if (options.workingDirectory() != null) {
            return options.workingDirectory().toString();
        }
        if (BwrapCommand.showsHostDirectory(options, caller, hostWorkingDirectory)) {
            return hostWorkingDirectory.toString();
        }
        return image.workingDir() == null || image.workingDir().isBlank() ? "/" : image.workingDir();
    }
}
