package dev.berth.cli.commands;

import dev.berth.cli.args.Syntax;
import dev.berth.oci.BerthException;
import dev.berth.oci.store.LocalStore;
import dev.berth.runtime.Tools;
import dev.berth.runtime.instance.Instances;
import dev.berth.runtime.sandbox.Caller;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code berth instance start REF NAME [ARGS]}: the image's entrypoint and command, as
 * {@code berth run} runs them, in the background under a name and in its own PID namespace. The
 * command starts berth again with its own command line, in a new session, with output to the
 * instance's log; that berth runs the container and ends with it.
 */
public final class InstanceStartCommand extends ContainerCommand {
    /** Set for the berth that runs the instance, to the instance's name. */
    static final String RUNS_INSTANCE = "BERTH_INSTANCE";
    /** How long start watches the new instance, so that one that fails at once says why. */
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private final ContainerFlags flags = new ContainerFlags();
    private final List<String> arguments = new ArrayList<>();
    private String reference;
    private String name;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Start an image's ENTRYPOINT and CMD in the background as instance NAME (a server, a notebook, a database).",
                        "It keeps running after your shell ends, in its own PID namespace, until 'berth instance stop NAME';",
                        "its output goes to 'berth instance logs NAME'. berth's options go before REF.")
                .parameter("REF", REFERENCE_HELP, value -> reference = value)
                .parameter("NAME", "The instance's name: letters, digits, '.', '_', '-'.", value -> name = Instances.requireName(value))
                .rest("ARGS", "Arguments that replace the image's CMD.", false, arguments::add);
        flags.declare(syntax);
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        if (name.equals(System.getenv(RUNS_INSTANCE))) {
            flags.ownPidNamespace();
            return runContainer(reference, store, flags, config -> RunCommand.command(config, null, arguments));
        }
        Map<String, String> environment = System.getenv();
        Caller caller = Caller.current(environment);
        Instances instances = Instances.of(environment, caller);
        if (instances.find(name).isPresent()) {
            throw new BerthException("INSTANCE_EXISTS", "an instance named " + name + " is running; stop it first with "
                    + "'berth instance stop " + name + "'");
        }
        Path log = instances.log(name, caller);
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>(List.of(Tools.SETSID.require()));
        command.addAll(berthItself());
        command.addAll(invocation().arguments());
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true);
        builder.environment().put(RUNS_INSTANCE, name);
        Process process = builder.start();
        Instant started = process.toHandle().info().startInstant().orElse(Instant.now());
        instances.record(new Instances.Instance(name, reference, process.pid(), started, log));
        try {
            if (process.waitFor(SETTLE.toMillis(), TimeUnit.MILLISECONDS)) {
                instances.forget(name);
                List<String> lines = Files.readAllLines(log);
                String last = lines.isEmpty() ? "it printed nothing" : lines.getLast();
                throw new BerthException("INSTANCE_EXITED", "instance " + name + " ended at once with exit code " + process.exitValue()
                        + ": " + last + " (all of it: " + log + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out().println("Started instance " + name + " (" + reference + ", pid " + process.pid() + "); its output: berth instance logs "
                + name);
        return 0;
    }

    /** How to start this berth again: through its launcher, or, started without one, the same JVM and class path. */
    private static List<String> berthItself() {
        String launcher = System.getProperty("berth.launcher");
        if (launcher != null) {
            return List.of(launcher);
        }
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.berth.cli.Main");
    }
}
