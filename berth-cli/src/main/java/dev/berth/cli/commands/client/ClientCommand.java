package dev.berth.cli.commands.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.cli.commands.SiteSettings;
import dev.berth.oci.Json;
import dev.berth.distribution.Registries;
import dev.berth.distribution.copy.ImageLocation;
import dev.berth.distribution.copy.ImageTransfer;
import dev.berth.oci.transfer.ImageCopier;
import dev.berth.oci.transfer.PlatformChoice;

import java.io.IOException;
import java.io.PrintWriter;

/** A command that moves images to, from or between registries. */
abstract class ClientCommand implements Subcommand {
    final RegistryFlags registryFlags = new RegistryFlags();
    final TransferFlags transferFlags = new TransferFlags();
    private Invocation invocation;

    /** Declares the registry and transfer options every client command has, after the command's own. */
    protected void declareFlags(Syntax syntax) {
        registryFlags.declare(syntax);
        transferFlags.declare(syntax);
    }

    @Override
    public final int run(Invocation invocation) throws IOException {
        this.invocation = invocation;
        return run();
    }

    protected abstract int run() throws IOException;

    protected PrintWriter out() {
        return invocation.out();
    }

    /**
     * Copies with a progress display; prints the digest alone when quiet, else {@code summary}
     * followed by the digest.
     */
    protected int transfer(ImageLocation from, ImageLocation to, PlatformChoice defaultPlatforms,
                           String activeVerb, String doneVerb, String summary) throws IOException {
        if (transferFlags.json && transferFlags.quiet) {
            throw new UsageException("--json and --quiet exclude each other");
        }
        if (from instanceof ImageLocation.Registry registry) {
            SiteSettings.get().requirePullAllowed(registry.reference().registry());
        }
        ProgressDisplay progress = new ProgressDisplay(out(), ProgressDisplay.modeFor(transferFlags.quiet || transferFlags.json),
                activeVerb, doneVerb);
        ImageTransfer.Result result;
        try (Registries registries = registryFlags.registries()) {
            ImageTransfer transfer = new ImageTransfer(registries, invocation::store,
                    new ImageCopier(transferFlags.jobs(), progress));
            result = transfer.copy(from, to, transferFlags.platforms(defaultPlatforms));
        }
        if (transferFlags.json) {
            ObjectNode report = Json.mapper().createObjectNode().put("source", from.toString()).put("destination", to.toString())
                    .put("name", result.name().toString()).put("digest", result.root().digest().toString())
                    .put("mediaType", result.root().mediaType());
            out().println(Json.writePretty(report));
            return 0;
        }
        out().println(transferFlags.quiet ? result.root().digest().toString()
                : summary + " " + result.name() + " (" + result.root().digest() + ")");
        return 0;
    }
}
