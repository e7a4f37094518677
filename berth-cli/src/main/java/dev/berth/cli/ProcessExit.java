package dev.berth.cli;

/**
 * How the berth process ends once its command is done.
 *
 * <p>{@link System#exit} logs the exit through {@link System.Logger} (JDK 21 and later), and the
 * first use of that logger looks for a logging provider in every jar on the class path and sets
 * up {@code java.util.logging}: 30-45 ms at the end of every command, measured on {@code berth
 * version} and {@code berth pull}. A command that has not asked for shutdown hooks has nothing to
 * run at exit, since berth flushes its output itself, so its process halts instead. A command
 * that registers a hook here ({@code berth serve}) exits the ordinary way, and its hooks run.
 */
public final class ProcessExit {
    private static volatile boolean hooks;

    private ProcessExit() {
    }

    /** Runs {@code hook} when the JVM shuts down, and makes the process end with {@link System#exit}. */
    public static void onShutdown(Thread hook) {
        hooks = true;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Ends the process with {@code status}; the caller has flushed what it printed. */
    static void end(int status) {
        if (hooks) {
            System.exit(status);
        }
        Runtime.getRuntime().halt(status);
    }
}
