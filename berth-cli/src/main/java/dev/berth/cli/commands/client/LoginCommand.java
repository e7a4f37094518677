package dev.berth.cli.commands.client;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.distribution.Registries;
import dev.berth.distribution.RegistryClient;
import dev.berth.distribution.auth.CredentialStore;
import dev.berth.distribution.auth.Credentials;
import dev.berth.oci.BerthException;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** {@code berth login HOST}: check credentials against a registry and save them where Docker and podman look. */
public final class LoginCommand implements Subcommand {
    private final RegistryFlags registryFlags = new RegistryFlags();
    private String host;
    private String username;
    private boolean passwordStdin;
    private boolean device;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Log in to a registry, saving the credentials where docker and podman look for them.",
                        "The credentials are checked against the registry, then saved in ~/.docker/config.json (or --authfile), "
                                + "where docker, podman, skopeo and apptainer find them too. If that file names a credential "
                                + "helper (credsStore, credHelpers), the helper stores them instead.")
                .parameter("HOST", "The registry, e.g. ghcr.io or registry.example.org:5000.", value -> host = value)
                .option("-u, --username", "USER", "User name (asked for when left out).", value -> username = value)
                .flag("--password-stdin", "Read the password or token from standard input.", () -> passwordStdin = true)
                .flag("--device", "Sign in through the registry's identity provider in a browser on any device (a berth"
                        + " registry with single sign-on); saves a personal access token.", () -> device = true);
        registryFlags.declare(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        String registry = RegistryHost.normalise(host);
        Credentials credentials = device ? signInOnDevice(registry, invocation) : askCredentials();
        String verifiedRegistry;
        try (RegistryClient verified = registryFlags.registries().clientWith(registry, credentials)) {
            verifiedRegistry = verified.registry();
        }
        CredentialStore store = registryFlags.credentials();
        String savedIn = store.store(verifiedRegistry, credentials);
        invocation.out().println("Login Succeeded (credentials for " + registry + " saved in " + savedIn + ")");
        return 0;
    }

    private Credentials askCredentials() throws IOException {
        Console console = System.console();
        String user = username != null ? username : ask(console, "Username: ");
        String secret = passwordStdin ? readStdin() : askSecret(console);
        if (user.isEmpty() || secret.isEmpty()) {
            throw new BerthException("USAGE", "a user name and a password are required");
        }
        return new Credentials(user, secret);
    }

    private Credentials signInOnDevice(String registry, Invocation invocation) throws IOException {
        if (username != null || passwordStdin) {
            throw new BerthException("USAGE", "--device signs in through the identity provider: leave out -u and --password-stdin");
        }
        try (Registries anonymous = registryFlags.anonymousRegistries()) {
            return new DeviceLogin(anonymous.client(registry), registry).signIn(invocation.out());
        }
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
