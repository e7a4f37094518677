package dev.berth.cli.commands.registry;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.cli.output.Human;
import dev.berth.registry.GarbageCollector;
import dev.berth.registry.Registry;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.RegistryConfigFile;
import dev.berth.registry.access.Access;
import dev.berth.registry.history.TagJournal;
import dev.berth.registry.storage.FilesystemStorage;

import java.io.IOException;
import java.time.Duration;

/** {@code berth registry gc}: one mark-and-sweep collection of a registry that is not running. */
public final class GcCommand implements Subcommand {
    private final RegistryOptions options = new RegistryOptions();
    private String grace;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Delete blobs that no manifest in the registry references, expired uploads, and untagged"
                        + " manifests older than untagged-retention.",
                "For a stopped registry; a running 'berth serve' collects on its own schedule (gc-interval).");
        options.declare(syntax);
        syntax.option("--grace", "DURATION",
                "Keep blobs written or used more recently than this, e.g. 0, 90s, 15m, 1h (default: gc-grace, 1h).",
                value -> grace = value);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        RegistryConfig config = options.resolve(invocation);
        Duration keep = config.gcGrace();
        if (grace != null) {
            try {
                keep = RegistryConfigFile.duration(grace);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        try (FilesystemStorage storage = FilesystemStorage.open(config.root());
             Access access = config.auth() == null ? null : Access.open(config.auth(), config.root(), System.err)) {
            Registry registry = new Registry(storage, config, TagJournal.of(access));
            GarbageCollector.Report report = new GarbageCollector(registry).collect(keep, config.uploadExpiry());
            String untagged = config.untaggedRetention() == null ? ""
                    : "Removed " + report.manifestsRemoved() + " untagged manifests older than the retention period. ";
            invocation.out().println(untagged + "Deleted " + report.blobsDeleted() + " blobs ("
                    + Human.size(report.bytesFreed()) + "), kept " + report.blobsKept() + ", removed "
                    + report.uploadsExpired() + " expired uploads");
        }
        return 0;
    }
}
