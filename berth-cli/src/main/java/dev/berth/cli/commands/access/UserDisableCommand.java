package dev.berth.cli.commands.access;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;

import java.io.IOException;
import java.util.Map;

/** {@code berth user disable NAME [--enable]}: stop (or allow again) an account's sign-ins and tokens. */
public final class UserDisableCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String name;
    private boolean enable;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Disable a user account: its password and tokens stop working (site admins only).")
                .parameter("NAME", "The user.", value -> name = value)
                .flag("--enable", "Enable the account again instead.", () -> enable = true);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        try (AccessClient access = flags.connect()) {
            access.send("PUT", "users/" + AccessClient.segment("user", name) + "/disabled", Map.of("disabled", !enable));
            invocation.out().println((enable ? "Enabled" : "Disabled") + " user " + name + " on " + access.registry());
        }
        return 0;
    }
}
