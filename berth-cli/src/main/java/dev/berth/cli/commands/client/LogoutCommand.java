package dev.berth.cli.commands.client;

import dev.berth.oci.BerthException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code berth logout HOST}: forget a registry's credentials everywhere berth would read them. */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Remove the saved credentials for a registry from every credentials file and helper that has them.")
public final class LogoutCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private RegistryFlags registryFlags = new RegistryFlags();

    @Parameters(index = "0", paramLabel = "HOST", description = "The registry, e.g. ghcr.io.")
    private String host;

    @Override
    public Integer call() throws IOException {
        String registry = RegistryHost.normalise(host);
        List<String> erasedFrom = registryFlags.credentials().erase(registry);
        if (erasedFrom.isEmpty()) {
            throw new BerthException("NOT_LOGGED_IN", "not logged in to " + registry);
        }
        spec.commandLine().getOut().println("Removed the credentials for " + registry + " from " + String.join(", ", erasedFrom));
        return 0;
    }
}
