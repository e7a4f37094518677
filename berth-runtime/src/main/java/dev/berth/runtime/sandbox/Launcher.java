package dev.berth.runtime.sandbox;

import dev.berth.runtime.HostProcess;
import dev.berth.runtime.ToolRunner;
import dev.berth.runtime.Tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the sandbox with berth's own stdin, stdout and stderr (a terminal stays a terminal),
 * forwards signals to it, and returns its exit code, which bwrap reports as the container's.
 *
 * <p>The container's environment is set by bwrap itself ({@code --clearenv}, {@code --setenv}),
 * so the host programs on the way (sh, setsid, bwrap) run with berth's own environment and never
 * with the image's. bwrap reads its options from a file descriptor ({@code --args}), not
 * from its command line, because any user on the machine can read a process's command line and
 * the environment may hold secrets. The file lives in the run's private directory only until
 * the shell has opened it; a start from a {@link LaunchPlan} keeps it there until the run ends
 * (the plan, as private, holds the same).
 */
public final class Launcher {
    private static final String OPEN_ARGUMENTS_AND_EXEC = "exec 3<\"$1\" && rm -f -- \"$1\" && shift && exec \"$@\"";
    private static final String OPEN_ARGUMENTS_AND_FILTER_AND_EXEC =
            "exec 3<\"$1\" 4<\"$2\" && rm -f -- \"$1\" \"$2\" && shift 2 && exec \"$@\"";
    /**
     * For a container of a {@link NamespaceGroup} ($2; flock is $3, then setsid, bwrap and the rest
     * of its command line): under the group's lock, joins the user namespace of a member whose
     * sandbox has its namespace ready (its child exists and has a uid map; a member that has ended
     * is struck off), or lets bwrap make one; then adds itself, whose pid bwrap keeps, and lets go.
     */
    private static final String OPEN_ARGUMENTS_AND_JOIN_GROUP_AND_EXEC = """
            exec 3<"$1" && rm -f -- "$1" && group=$2 && exec 4>>"$group/lock" && "$3" 4 || exit 1
            shift 3
            namespace=--unshare-user
            for member in "$group"/[0-9]*; do
                pid=${member##*/}
                for ((try = 0; try < 2000; try++)); do
                    [ -d "/proc/$pid" ] || { rm -f -- "$member"; break; }
                    child="" map=""
                    read -r child _ 2>/dev/null <"/proc/$pid/task/$pid/children" || true
                    if [ -n "$child" ] && read -r map 2>/dev/null <"/proc/$child/uid_map" && [ -n "$map" ] &&
                        exec 5<"/proc/$child/ns/user"; then
                        namespace="--userns 5"
                        break 2
                    fi
                    sleep 0.005
                done
            done
            : >"$group/$$" && exec 4>&- && exec "$1" "$2" $namespace "${@:3}"
            """;

    /**
     * How the sandbox starts besides its options: {@code standardUmask}, files the command creates
     * get modes as under umask 022 whatever berth's own; {@code fakeRootCalls}, the calls a fake
     * root cannot make succeed without effect ({@link FakeRootFilter}); {@code namespaceGroup}, the
     * {@link NamespaceGroup} whose user namespace it shares (its options then make none);
     * {@code ignoredSignals}, the signals bwrap starts with ignored ({@link JobSignals}).
     */
    public record Start(boolean standardUmask, boolean fakeRootCalls, Optional<Path> namespaceGroup, List<String> ignoredSignals) {
        public static final Start PLAIN = new Start(false, false, Optional.empty(), List.of());

        public Start {
            ignoredSignals = List.copyOf(ignoredSignals);
            if (fakeRootCalls && namespaceGroup.isPresent()) {
                throw new IllegalArgumentException("a fake root makes a user namespace of its own");
            }
        }
    }

    private Launcher() {
    }

    /**
     * @param argumentsFile where the arguments are written for bwrap to read; a new name in a private directory
     * @param bwrapOptions  bwrap's options, without the command
     */
    public static int run(Path argumentsFile, List<String> bwrapOptions, Map<String, String> containerEnvironment,
                          List<String> command) throws IOException {
        return run(argumentsFile, bwrapOptions, containerEnvironment, command, Start.PLAIN);
    }

    public static int run(Path argumentsFile, List<String> bwrapOptions, Map<String, String> containerEnvironment,
                          List<String> command, Start start) throws IOException {
        ProcessBuilder builder = HostProcess.builder(prepare(argumentsFile, bwrapOptions, containerEnvironment, command, start))
                .inheritIO();
        SignalForwarder signals = SignalForwarder.install();
        Process process = builder.start();
        signals.attach(process);
        return ToolRunner.waitFor(process);
    }

    /**
     * Writes the sandbox's arguments (and filter) beside {@code argumentsFile} and returns the
     * command line that starts it, for a process that forwards signals to the container's group
     * as {@link #run} does: bin/berth's, when the JVM hands the run over ({@link Handoff}).
     */
    public static List<String> prepare(Path argumentsFile, List<String> bwrapOptions, Map<String, String> containerEnvironment,
                                       List<String> command, Start start) throws IOException {
        writePrivate(argumentsFile, nulSeparated(sandboxArguments(bwrapOptions, containerEnvironment, start)));
        String settings = (start.ignoredSignals().isEmpty() ? "" : "trap '' " + String.join(" ", start.ignoredSignals()) + "\n")
                + (start.standardUmask() ? "umask 022\n" : "");
        if (start.namespaceGroup().isPresent()) {
            List<String> argv = new ArrayList<>(List.of("/bin/bash", "-c", settings + OPEN_ARGUMENTS_AND_JOIN_GROUP_AND_EXEC,
                    "bash", argumentsFile.toString(), start.namespaceGroup().get().toString(), Tools.FLOCK.require()));
            argv.addAll(sandboxCommand(command));
            return argv;
        }
        String script = start.fakeRootCalls() ? OPEN_ARGUMENTS_AND_FILTER_AND_EXEC : OPEN_ARGUMENTS_AND_EXEC;
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", settings + script, "sh", argumentsFile.toString()));
        if (start.fakeRootCalls()) {
            Path filter = argumentsFile.resolveSibling(argumentsFile.getFileName() + ".seccomp");
            writePrivate(filter, FakeRootFilter.program());
            argv.add(filter.toString());
        }
        argv.addAll(sandboxCommand(command));
        return argv;
    }

    /** What starts the sandbox once its arguments are open on descriptor 3 (and the fake-root filter on 4). */
    public static List<String> sandboxCommand(List<String> command) {
        List<String> argv = new ArrayList<>(List.of(Tools.SETSID.require(), Tools.BWRAP.require(), "--args", "3", "--"));
        argv.addAll(command);
        return argv;
    }

    /** What bwrap reads from its arguments file: the container's environment, then its options. */
    public static List<String> sandboxArguments(List<String> bwrapOptions, Map<String, String> containerEnvironment, Start start) {
        List<String> arguments = new ArrayList<>(List.of("--clearenv"));
        containerEnvironment.forEach((name, value) -> arguments.addAll(List.of("--setenv", name, value)));
        if (start.fakeRootCalls()) {
            arguments.addAll(List.of("--seccomp", "4"));
        }
        arguments.addAll(bwrapOptions);
        return arguments;
    }

    private static void writePrivate(Path file, byte[] content) throws IOException {
        Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    static byte[] nulSeparated(List<String> arguments) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String argument : arguments) {
            bytes.writeBytes(argument.getBytes(StandardCharsets.UTF_8));
            bytes.write(0);
        }
        return bytes.toByteArray();
    }
}
