package dev.berth.cli.commands;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.oci.BerthException;
import dev.berth.runtime.instance.Instances;
import dev.berth.runtime.sandbox.Caller;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code berth instance stop NAME... | --all}: SIGTERM to the instance, which its berth passes on
 * to the container's processes so that they can end cleanly; whatever still runs after the
 * grace period is killed (SIGKILL), as {@code docker stop} does.
 */
public final class InstanceStopCommand implements Subcommand {
    private final List<String> names = new ArrayList<>();
    private boolean all;
    private Duration grace = Duration.ofSeconds(10);

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Stop instances: SIGTERM first, SIGKILL after the grace period (default 10 seconds).")
                .parameters("NAME", "The instances to stop.", names::add)
                .flag("-a, --all", "Stop all your instances.", () -> all = true)
                .option("-t, --time", "SECONDS", "How long an instance may take to end before it is killed.",
                        value -> grace = Duration.ofSeconds(Long.parseLong(value)));
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        if (all == !names.isEmpty()) {
            throw new UsageException("name the instances to stop, or give --all");
        }
        Map<String, String> environment = System.getenv();
        Instances instances = Instances.of(environment, Caller.current(environment));
        List<Instances.Instance> stopping = new ArrayList<>();
        if (all) {
            stopping.addAll(instances.list());
        }
        for (String name : names) {
            Optional<Instances.Instance> instance = instances.find(name);
            stopping.add(instance.orElseThrow(() -> new BerthException("INSTANCE_UNKNOWN", "no instance named " + name
                    + " is running (see berth instance list)")));
        }
        for (Instances.Instance instance : stopping) {
            boolean clean = stop(instance);
            instances.forget(instance.name());
            invocation.out().println("Stopped " + instance.name() + (clean ? "" : " (killed after " + grace.toSeconds() + " s)"));
        }
        return 0;
    }

    /** True when it ended within the grace period. */
    private boolean stop(Instances.Instance instance) {
        Optional<ProcessHandle> process = ProcessHandle.of(instance.pid());
        if (process.isEmpty()) {
            return true;
        }
        process.get().destroy();
        try {
            process.get().onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException stillRunning) {
            // its berth kills the container as it dies (bwrap --die-with-parent)
            process.get().destroyForcibly();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }
}
