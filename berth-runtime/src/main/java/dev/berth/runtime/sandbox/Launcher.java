package dev.berth.runtime.sandbox;

import dev.berth.runtime.ToolRunner;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Starts the sandbox with berth's own stdin, stdout and stderr (a terminal stays a terminal),
 * forwards signals to it, and returns its exit code, which bwrap reports as the container's.
 */
public final class Launcher {
    private Launcher() {
    }

    public static int run(List<String> argv, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).inheritIO();
        builder.environment().clear();
        builder.environment().putAll(environment);
        SignalForwarder signals = SignalForwarder.install();
        Process process = builder.start();
        signals.attach(process);
        return ToolRunner.waitFor(process);
    }
}
