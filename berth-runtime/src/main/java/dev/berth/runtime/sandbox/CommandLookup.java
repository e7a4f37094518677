package dev.berth.runtime.sandbox;

import dev.berth.oci.BerthException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Checks before the container starts that its command exists and can be executed, so that a
 * missing command ends with 127 and one that cannot run with 126, each with one line, as shells
 * and Docker report them (bwrap would only say "execvp" and exit 1). Where berth cannot look
 * (a command under /proc or a tmpfs), the container starts and the kernel decides.
 */
public final class CommandLookup {
    public static final String NOT_FOUND = "COMMAND_NOT_FOUND";
    public static final String NOT_EXECUTABLE = "COMMAND_NOT_EXECUTABLE";

    private static final Set<PosixFilePermission> EXECUTE = Set.of(PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);

    private CommandLookup() {
    }

    /**
     * @param path             the container's PATH, searched for a program named without a slash as execvp does
     * @param workingDirectory where a relative program name starts
     */
    public static void check(ContainerPaths paths, String program, String path, String workingDirectory, String imageName) {
        if (program.contains("/")) {
            String absolute = program.startsWith("/") ? program : workingDirectory + "/" + program;
            ContainerPaths.Resolution found = paths.resolve(absolute);
            if (found.kind() == ContainerPaths.Kind.MISSING) {
                throw new BerthException(NOT_FOUND, program + ": no such file in image " + imageName);
            }
            if (found.kind() == ContainerPaths.Kind.FOUND && !isExecutableFile(found.host())) {
                throw notExecutable(program, found.host(), imageName);
            }
            return;
        }
        Path notExecutable = null;
        for (String directory : (path == null ? "" : path).split(":", -1)) {
            String dir = directory.isEmpty() ? workingDirectory : directory;
            ContainerPaths.Resolution found = paths.resolve(dir + "/" + program);
            if (found.kind() == ContainerPaths.Kind.UNKNOWN || found.kind() == ContainerPaths.Kind.FOUND && isExecutableFile(found.host())) {
                return;
            }
            if (found.kind() == ContainerPaths.Kind.FOUND && notExecutable == null) {
                notExecutable = found.host();
            }
        }
        if (notExecutable != null) {
            throw notExecutable(program, notExecutable, imageName);
        }
        throw new BerthException(NOT_FOUND, program + ": command not found in image " + imageName + " (PATH=" + path + ")");
    }

    private static BerthException notExecutable(String program, Path host, String imageName) {
        String why = Files.isDirectory(host) ? "is a directory" : "is not executable";
        return new BerthException(NOT_EXECUTABLE, program + ": " + why + " (in image " + imageName + ")");
    }

    private static boolean isExecutableFile(Path host) {
        try {
            return Files.isRegularFile(host) && Files.getPosixFilePermissions(host).stream().anyMatch(EXECUTE::contains);
        } catch (IOException e) {
            return true;
        }
    }
}
