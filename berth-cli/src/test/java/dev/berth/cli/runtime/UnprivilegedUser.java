package dev.berth.cli.runtime;

import dev.berth.cli.JavaCommand;
import dev.berth.cli.LaidOutDistribution;
import dev.berth.cli.Tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An ordinary user to run berth as, the way the runtime is meant to be used. When the tests run
 * as root (CI), a user is created and given its own copy of berth's class path, which it can read
 * (root's Maven repository is closed to it); otherwise the current user is the one. Close it to
 * remove its workspace under /tmp.
 */
final class UnprivilegedUser implements AutoCloseable {
    static final String NAME = "berth-runtime-test";

    private final Path workspace;
    private final Path launcher;
    private final boolean root;
    private final String home;

    private UnprivilegedUser(Path workspace, Path launcher, boolean root, String home) {
        this.workspace = workspace;
        this.launcher = launcher;
        this.root = root;
        this.home = home;
    }

    static UnprivilegedUser create() throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path workspace = Files.createTempDirectory(Path.of("/tmp"), "berth-runtime-it-");
        Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (root) {
            if (Tools.run(workspace, "id", NAME).exitCode() != 0) {
                Tools.ok(workspace, "useradd", "--create-home", "--shell", "/bin/sh", NAME);
            }
            // FUSE is how berth mounts images; this machine ships /dev/fuse closed to users.
            Tools.ok(workspace, "chmod", "0666", "/dev/fuse");
            // The user exists only for these tests: what an earlier run left in its store and
            // cache (an image per run, as each build of the test image differs) is not kept.
            Tools.ok(workspace, "rm", "-rf", "/home/" + NAME + "/.cache/berth", "/home/" + NAME + "/.local/share/berth");
        }
        // the real launcher, as users run it: it hands containers over from the JVM to itself
        Path launcher = LaidOutDistribution.in(workspace, JavaCommand.worldReadableClassPath());
        Tools.ok(workspace, "chmod", "-R", "a+rX", workspace.toString());
        Files.createDirectory(workspace.resolve("scratch"));
        Tools.ok(workspace, "chmod", "1777", workspace.resolve("scratch").toString());
        String home = root ? "/home/" + NAME : System.getProperty("user.home");
        return new UnprivilegedUser(workspace, launcher, root, home);
    }

    Path workspace() {
        return workspace;
    }

    /** Removes the workspace, including what the user made read-only in it. */
    @Override
    public void close() {
        if (!root) {
            Tools.run(workspace, "chmod", "-R", "u+w", workspace.toString());
        }
        Tools.ok(Path.of("/tmp"), "rm", "-rf", workspace.toString());
    }

    /** A directory in the workspace where the user may create things. */
    Path scratch() {
        return workspace.resolve("scratch");
    }

    /** The user's numeric id, for pgrep. */
    String uid() {
        return root ? Tools.ok(workspace, "id", "-u", NAME).stdout().strip() : Tools.ok(workspace, "id", "-u").stdout().strip();
    }

    String home() {
        return home;
    }

    /** Runs a shell command line as the user in {@code dir}, with berth on PATH. */
    Tools.Result sh(String dir, String commandLine) {
        return Tools.run(workspace, Map.of(), command(dir, commandLine));
    }

    Process start(String dir, String commandLine) throws IOException {
        return new ProcessBuilder(command(dir, commandLine)).redirectErrorStream(true).start();
    }

    private List<String> command(String dir, String commandLine) {
        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of("runuser", "-u", NAME, "--"));
        }
        // as from a terminal: signals the test JVM was started ignoring (SIGINT, in the background) are restored
        command.addAll(List.of("env", "--default-signal=INT,TERM,HUP", "-i", "HOME=" + home, "USER=" + (root ? NAME : System.getProperty("user.name")),
                "PATH=" + launcher.getParent() + ":/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
                // the test's JDK; and no start-up cache, whose trainings would compete with the tests for the CPU
                "JAVA_HOME=" + System.getProperty("java.home"), "BERTH_AOT=0",
                "sh", "-c", "cd '" + dir + "' && " + commandLine));
        return command;
    }
}
