package dev.berth.cli.commands;

import dev.berth.cli.commands.trust.RunPolicy;
import dev.berth.distribution.config.BerthConfig;
import dev.berth.oci.store.LocalStore;
import dev.berth.runtime.sandbox.Handoff;
import dev.berth.runtime.sandbox.LaunchPlan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What bin/berth offers a JVM that runs a container: to take the run over once it is prepared
 * ({@link Handoff}), and to keep a {@link LaunchPlan} of it, for starting the same run again
 * without a JVM. A plan is kept only while no run policy exists: a policy's verdict may depend
 * on more than the files a plan watches.
 */
final class LauncherHandoff {
    private LauncherHandoff() {
    }

    static Optional<Handoff> offered(String reference, LocalStore store, RunPolicy policy) throws IOException {
        String file = System.getProperty("berth.handoff");
        String launcherPid = System.getProperty("berth.handoff.pid");
        if (file == null || launcherPid == null) {
            return Optional.empty();
        }
        String planFile = System.getProperty("berth.launch-plan");
        Optional<LaunchPlan.Request> plan = planFile == null || !policy.acceptsEverything() ? Optional.empty()
                : Optional.of(new LaunchPlan.Request(Path.of(planFile), madeAt(Path.of(file)), watched(reference, store),
                        Arrays.asList(System.getProperty("berth.launch-passed-through", "").split(","))));
        return Optional.of(new Handoff(Path.of(file), Long.parseLong(launcherPid), plan));
    }

    /**
     * When the launcher made the hand-over file, before this JVM started: a precise time before
     * any input was read (the JVM's own start time is known to a tenth of a second at best).
     */
    private static Instant madeAt(Path handoffFile) throws IOException {
        return Files.getLastModifiedTime(handoffFile).toInstant();
    }

    /** Every file a run's outcome depends on, besides the image's tree: names, configurations, policies, users. */
    private static List<Path> watched(String reference, LocalStore store) throws IOException {
        Map<String, String> environment = System.getenv();
        List<Path> watched = new ArrayList<>(List.of(store.namesFile(), SiteSettings.get().file(),
                Path.of("/etc/passwd"), Path.of("/etc/group")));
        watched.addAll(BerthConfig.candidates(environment));
        watched.addAll(RunPolicy.files(environment));
        Path asFile = Path.of(reference).toAbsolutePath();
        if (Files.isRegularFile(asFile)) {
            watched.add(asFile);
        }
        return watched;
    }
}
