package dev.berth.cli.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether one of berth's standard streams is a terminal, where an archive is neither read nor written. */
public final class Terminals {
    public static final int STANDARD_INPUT = 0;
    public static final int STANDARD_OUTPUT = 1;

    private Terminals() {
    }

    /**
     * Reads where the descriptor leads ({@code /proc/self/fd/N}): a terminal is a tty or pts
     * device. Without /proc the answer is no, and the stream is used as it is.
     */
    public static boolean isTerminal(int descriptor) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + descriptor)).toString().matches("/dev/(pts/[0-9]+|tty.*|console)");
        } catch (IOException noProcFileSystem) {
            return false;
        }
    }
}
