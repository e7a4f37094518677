package dev.berth.cli.commands.access;

import dev.berth.cli.args.Syntax;
import dev.berth.cli.commands.client.RegistryFlags;
import dev.berth.cli.commands.client.RegistryHost;
import dev.berth.oci.BerthException;

import java.io.IOException;
import java.util.List;

/** Which berth registry an access command talks to, and how: {@code --registry}, or the only saved login. */
final class AccessFlags {
    private final RegistryFlags registryFlags = new RegistryFlags();
    private String registry;

    /** The flags of commands whose argument names the registry (HOST/REPO). */
    void declare(Syntax syntax) {
        registryFlags.declare(syntax);
    }

    /** As {@link #declare}, with {@code --registry} for commands whose arguments do not name it. */
    void declareWithRegistry(Syntax syntax) {
        syntax.option("--registry", "HOST[:PORT]", "The berth registry (default: the one registry you are logged in to).",
                value -> registry = value);
        declare(syntax);
    }

    /** The registry {@code --registry} names, else the only one with a saved login. */
    AccessClient connect() throws IOException {
        return connect(registry != null ? RegistryHost.normalise(registry) : onlySavedLogin());
    }

    AccessClient connect(String host) throws IOException {
        return AccessClient.open(registryFlags, host);
    }

    private String onlySavedLogin() throws IOException {
        List<String> saved = registryFlags.credentials().savedRegistries();
        if (saved.isEmpty()) {
            throw new BerthException("NOT_LOGGED_IN", "no registry login is saved: run berth login HOST first, "
                    + "or name the registry with --registry HOST");
        }
        if (saved.size() > 1) {
            throw new BerthException("REGISTRY_AMBIGUOUS", "logins for several registries are saved ("
                    + String.join(", ", saved) + "): pass --registry HOST to say which");
        }
        return saved.getFirst();
    }
}
