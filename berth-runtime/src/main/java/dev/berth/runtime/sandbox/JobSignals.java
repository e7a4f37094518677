package dev.berth.runtime.sandbox;

import dev.berth.runtime.check.ElfFile;
import dev.berth.runtime.devices.InjectionPlan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lets a program's own handlers of the signals a SLURM job gets (scancel's and the time limit's
 * SIGTERM, {@code --signal}'s SIGUSR1) run in its container. SLURM signals every process of the
 * step, bwrap's monitor too, whose death kills the container at once ({@code --die-with-parent}).
 * So in a job bwrap starts with these signals ignored, and the container's command starts through
 * the host's {@code env --default-signal}, run by the host's own dynamic loader from
 * {@link #DIRECTORY}, which sets them back to their defaults for the program. Nothing of the
 * image could: an ignored signal stays ignored through exec, and a shell cannot reset one it
 * was started with.
 */
public record JobSignals(InjectionPlan binds, List<String> commandPrefix) {
    /** The signals that bwrap ignores in a job and the container's program gets with their defaults. */
    public static final List<String> SIGNALS = List.of("TERM", "INT", "HUP", "USR1", "USR2");
    static final String DIRECTORY = "/.berth.d/signals";
    private static final Path ENV = Path.of("/usr/bin/env");

    /**
     * What a run in a SLURM job ({@code SLURM_JOB_ID} set) adds; empty outside a job, and where
     * the host's env is not a dynamically linked program that has {@code --default-signal}
     * (coreutils 8.31 and later).
     */
    public static Optional<JobSignals> of(Map<String, String> host) throws IOException {
        if (host.get("SLURM_JOB_ID") == null || host.get("SLURM_JOB_ID").isBlank() || !Files.isRegularFile(ENV)) {
            return Optional.empty();
        }
        Path env = ENV.toRealPath();
        if (!new String(Files.readAllBytes(env), StandardCharsets.ISO_8859_1).contains("default-signal")) {
            return Optional.empty();
        }
        Optional<ElfFile> elf = ElfFile.read(env);
        if (elf.isEmpty() || elf.get().interpreter().isEmpty()) {
            return Optional.empty();
        }
        Path loader = Path.of(elf.get().interpreter().get()).toRealPath();
        List<Bind> binds = new ArrayList<>(List.of(
                new Bind(env, Path.of(DIRECTORY, "env"), true),
                new Bind(loader, Path.of(DIRECTORY, "ld.so"), true)));
        for (String library : elf.get().libraries()) {
            Path file = loader.resolveSibling(library);
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            binds.add(new Bind(file.toRealPath(), Path.of(DIRECTORY, library), true));
        }
        InjectionPlan plan = new InjectionPlan(List.of(), binds, Map.of(), List.of(), List.of(), List.of(), List.of());
        return Optional.of(new JobSignals(plan, List.of(DIRECTORY + "/ld.so", "--library-path", DIRECTORY, DIRECTORY + "/env",
                "--default-signal=" + String.join(",", SIGNALS))));
    }

    /** {@code command}, started through the reset. */
    public List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(commandPrefix);
        wrapped.addAll(command);
        return wrapped;
    }
}
