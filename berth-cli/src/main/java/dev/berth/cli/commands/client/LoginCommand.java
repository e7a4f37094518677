package dev.berth.cli.commands.client;

import dev.berth.distribution.RegistryClient;
import dev.berth.distribution.auth.CredentialStore;
import dev.berth.distribution.auth.Credentials;
import dev.berth.oci.BerthException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code berth login HOST}: check credentials against a registry and save them where Docker and podman look. */
@Command(name = "login", mixinStandardHelpOptions = true, description = {"Log in to a registry: the credentials are checked against it, then saved in",
        "~/.docker/config.json (or --authfile), where docker, podman, skopeo and apptainer find them too.",
        "If that file names a credential helper (credsStore, credHelpers), the helper stores them instead."})
public final class LoginCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private RegistryFlags registryFlags = new RegistryFlags();

    @Parameters(index = "0", paramLabel = "HOST", description = "The registry, e.g. ghcr.io or registry.example.org:5000.")
    private String host;

    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "User name (asked for when left out).")
    private String username;

    @Option(names = "--password-stdin", description = "Read the password or token from standard input.")
    private boolean passwordStdin;

    @Override
    public Integer call() throws IOException {
        String registry = RegistryHost.normalise(host);
        Console console = System.console();
        String user = username != null ? username : ask(console, "Username: ");
        String secret = passwordStdin ? readStdin() : askSecret(console);
        if (user.isEmpty() || secret.isEmpty()) {
            throw new BerthException("USAGE", "a user name and a password are required");
        }
        Credentials credentials = new Credentials(user, secret);
        RegistryClient verified = registryFlags.registries().clientWith(registry, credentials);
        CredentialStore store = registryFlags.credentials();
        String savedIn = store.store(verified.registry(), credentials);
        spec.commandLine().getOut().println("Login Succeeded (credentials for " + registry + " saved in " + savedIn + ")");
        return 0;
    }

    private static String ask(Console console, String prompt) {
        if (console == null) {
            throw new BerthException("USAGE", "no terminal to ask for the user name: give it with -u USER");
        }
        String answer = console.readLine(prompt);
        return answer == null ? "" : answer.trim();
    }

    private static String askSecret(Console console) {
        if (console == null) {
            throw new BerthException("USAGE", "no terminal to ask for the password: pipe it in with --password-stdin");
        }
        char[] answer = console.readPassword("Password: ");
        return answer == null ? "" : new String(answer);
    }

    private static String readStdin() throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = reader.readLine();
        return line == null ? "" : line.strip();
    }
}
