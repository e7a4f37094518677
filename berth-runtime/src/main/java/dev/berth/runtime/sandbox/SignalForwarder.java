package dev.berth.runtime.sandbox;

import sun.misc.Signal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Passes SIGINT, SIGTERM and SIGHUP that berth receives to the container's process group.
 * bwrap itself must not get them: its monitor process would die and take the container down
 * with SIGKILL instead of letting it handle the signal. So bwrap runs in its own session (out of
 * reach of the terminal's signals) and the container in another (bwrap --new-session), and
 * berth delivers each signal to the container's group with kill(2). (sun.misc.Signal is the
 * JDK's only way to catch SIGINT and SIGHUP; javac warns about it, and it is here on purpose.)
 */
final class SignalForwarder {
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP");
    private static final long FIND_CHILD_ATTEMPTS = 200;

    /** kill(2), linked on first use: linking costs a tenth of a second that most runs never need. */
    @SuppressWarnings("restricted") // the launcher and the tests enable native access for berth's class path
    private static final class Libc {
        static final MethodHandle KILL = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("kill").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private final CompletableFuture<Process> bwrap = new CompletableFuture<>();

    private SignalForwarder() {
    }

    /**
     * Takes over the forwarded signals before bwrap starts, so that none arriving while it starts
     * can kill berth (and with it the container) instead; such a signal waits for {@link #attach}.
     */
    static SignalForwarder install() {
        SignalForwarder forwarder = new SignalForwarder();
        for (String name : FORWARDED) {
            try {
                Signal.handle(new Signal(name), signal -> Thread.ofVirtual()
                        .start(() -> forwarder.bwrap.thenAccept(process -> forward(process, signal.getNumber()))));
            } catch (IllegalArgumentException reservedByTheJvm) {
                // e.g. the JVM runs with -Xrs; that signal then keeps its default effect
            }
        }
        return forwarder;
    }

    void attach(Process process) {
        bwrap.complete(process);
    }

    private static void forward(Process bwrap, int signal) {
        for (int attempt = 0; attempt < FIND_CHILD_ATTEMPTS && bwrap.isAlive(); attempt++) {
            Optional<ProcessHandle> container = bwrap.toHandle().children().findFirst();
            if (container.isPresent()) {
                long pid = container.get().pid();
                // the group first, so children of a shell get the signal as they would from a terminal
                if (kill(-pid, signal) != 0) {
                    kill(pid, signal);
                }
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static int kill(long pid, int signal) {
        try {
            return (int) Libc.KILL.invokeExact((int) pid, signal);
        } catch (Throwable e) {
            throw new IllegalStateException("kill(2) failed", e);
        }
    }
}
