package dev.berth.cli.commands.client;

import dev.berth.cli.args.Syntax;
import dev.berth.distribution.Registries;
import dev.berth.distribution.RetryPolicy;
import dev.berth.distribution.auth.CredentialStore;
import dev.berth.distribution.config.BerthConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The options every command that talks to registries shares, and the wiring they drive. */
public final class RegistryFlags {
    boolean insecure;
    Path authFile;

    public void declare(Syntax syntax) {
        syntax.flag("--insecure", "Allow plain HTTP to registries that are not on this machine.", () -> insecure = true)
                .option("--authfile", "FILE", "Credentials file to use (default: $REGISTRY_AUTH_FILE or "
                        + "$XDG_RUNTIME_DIR/containers/auth.json, then ~/.docker/config.json; logins are saved to "
                        + "~/.docker/config.json).", value -> authFile = Path.of(value));
    }

    public Registries registries() throws IOException {
        Map<String, String> environment = System.getenv();
        return new Registries(BerthConfig.load(environment), credentials(), RetryPolicy.DEFAULT, insecure);
    }

    /** As {@link #registries()}, but asking every registry anonymously, whatever credentials are saved. */
    public Registries anonymousRegistries() throws IOException {
        return new Registries(BerthConfig.load(System.getenv()), new CredentialStore(List.of(), null), RetryPolicy.DEFAULT,
                insecure);
    }

    public CredentialStore credentials() {
        return CredentialStore.fromEnvironment(System.getenv(), authFile);
    }
}
