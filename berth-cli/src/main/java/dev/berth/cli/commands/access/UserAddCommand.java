package dev.berth.cli.commands.access;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.oci.BerthException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** {@code berth user add NAME --password-stdin}: a local account (site admins). */
public final class UserAddCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String name;
    private boolean passwordStdin;
    private boolean admin;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Add a user account with a password (site admins only).",
                        "The password is read from standard input, so that it stays out of the shell's history; "
                                + "use at least 12 characters.")
                .parameter("NAME", "The user's name; it also names the user's personal project.", value -> name = value)
                .flag("--password-stdin", "Read the password from standard input (required).", () -> passwordStdin = true)
                .flag("--admin", "Make the user a site admin.", () -> admin = true);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        if (!passwordStdin) {
            throw new BerthException("USAGE", "berth user add reads the password from standard input: pass --password-stdin");
        }
        String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (password == null || password.isBlank()) {
            throw new BerthException("USAGE", "no password on standard input for user " + name);
        }
        try (AccessClient access = flags.connect()) {
            access.send("POST", "users", Map.of("name", name, "password", password.strip(), "admin", admin));
            invocation.out().println("Added " + (admin ? "site admin " : "user ") + name + " to " + access.registry());
        }
        return 0;
    }
}
