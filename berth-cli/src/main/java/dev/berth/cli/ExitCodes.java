package dev.berth.cli;

/**
 * How berth's process ends, in one place: 0 when the command did what it was asked; the
 * container's own exit code for run, exec and shell; and otherwise these, as Docker, Podman and
 * POSIX shells use them.
 */
public final class ExitCodes {
    /** An error berth reports in one line (a refused image, a registry that said no, a missing file). */
    public static final int ERROR = 1;
    /** A command line berth cannot understand. */
    public static final int USAGE = 2;
    /** {@code berth check} found at least one problem: the image will not run here as it is. */
    public static final int CHECK_PROBLEM = 3;
    /** A container's command that is there but cannot be executed. */
    public static final int NOT_EXECUTABLE = 126;
    /** A container's command that is not there. */
    public static final int NOT_FOUND = 127;

    private ExitCodes() {
    }
}
