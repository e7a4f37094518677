package dev.berth.runtime.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * bin/berth's offer to start the sandbox itself once the JVM has ended, so that no JVM stays
 * beside a running container (64 ranks on a node must not mean 64 JVMs). The JVM prepares the
 * run and writes to {@code file} the command that starts the sandbox and the commands that clean
 * up after it; the launcher, whose process ({@code launcherPid}) lives as long as the run and
 * owns its run directory, starts the sandbox, forwards signals to the container's group as
 * {@link SignalForwarder} does, runs the clean-up and exits with the container's exit code.
 *
 * <p>The file holds NUL-terminated fields: for the start and then for each clean-up command, the
 * number of its arguments followed by the arguments (bash reads it with {@code mapfile -d ''}).
 * The launcher made it, private, before starting the JVM. With {@code plan}, the launcher also
 * asks for a {@link LaunchPlan}, to start the same run again without a JVM.
 */
public record Handoff(Path file, long launcherPid, Optional<LaunchPlan.Request> plan) {
    public void write(List<String> start, List<List<String>> cleanUp) throws IOException {
        List<String> fields = new ArrayList<>();
        for (List<String> command : concat(start, cleanUp)) {
            fields.add(Integer.toString(command.size()));
            fields.addAll(command);
        }
        Files.write(file, Launcher.nulSeparated(fields), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                LinkOption.NOFOLLOW_LINKS);
    }

    private static List<List<String>> concat(List<String> first, List<List<String>> rest) {
        List<List<String>> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }
}
