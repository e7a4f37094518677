package dev.berth.cli.commands.registry;

import dev.berth.cli.BerthCommand;
import dev.berth.cli.output.Human;
import dev.berth.registry.GarbageCollector;
import dev.berth.registry.Registry;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.RegistryConfigFile;
import dev.berth.registry.storage.FilesystemStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code berth registry gc}: one mark-and-sweep collection of a registry that is not running. */
@Command(name = "gc", mixinStandardHelpOptions = true, description = {"Delete blobs that no manifest in the registry references, and expired uploads.",
        "For a stopped registry; a running 'berth serve' collects on its own schedule (gc-interval)."})
public final class GcCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private RegistryOptions options = new RegistryOptions();

    @Option(names = "--grace", paramLabel = "DURATION",
            description = "Keep blobs written or used more recently than this, e.g. 0, 90s, 15m, 1h (default: gc-grace, 1h).")
    private String grace;

    @Override
    public Integer call() throws IOException {
        BerthCommand berth = spec.commandLine().getParent().getParent().getCommand();
        RegistryConfig config = options.resolve(berth);
        Duration keep = config.gcGrace();
        if (grace != null) {
            try {
                keep = RegistryConfigFile.duration(grace);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        try (FilesystemStorage storage = FilesystemStorage.open(config.root())) {
            Registry registry = new Registry(storage, config);
            GarbageCollector.Report report = new GarbageCollector(registry).collect(keep, config.uploadExpiry());
            spec.commandLine().getOut().println("Deleted " + report.blobsDeleted() + " blobs (" + Human.size(report.bytesFreed())
                    + "), kept " + report.blobsKept() + ", removed " + report.uploadsExpired() + " expired uploads");
        }
        return 0;
    }
}
