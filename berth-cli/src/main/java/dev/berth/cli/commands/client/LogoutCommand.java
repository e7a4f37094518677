package dev.berth.cli.commands.client;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.oci.BerthException;

import java.io.IOException;
import java.util.List;

/** {@code berth logout HOST}: forget a registry's credentials everywhere berth would read them. */
public final class LogoutCommand implements Subcommand {
    private final RegistryFlags registryFlags = new RegistryFlags();
    private String host;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Remove the saved credentials for a registry from every credentials file and helper that has them.")
                .parameter("HOST", "The registry, e.g. ghcr.io.", value -> host = value);
        registryFlags.declare(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        String registry = RegistryHost.normalise(host);
        List<String> erasedFrom = registryFlags.credentials().erase(registry);
        if (erasedFrom.isEmpty()) {
            throw new BerthException("NOT_LOGGED_IN", "not logged in to " + registry);
        }
        invocation.out().println("Removed the credentials for " + registry + " from " + String.join(", ", erasedFrom));
        return 0;
    }
}
