package dev.berth.cli.commands.access;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;

import java.io.IOException;

/** {@code berth token revoke ID}: a personal access token stops working. */
public final class TokenRevokeCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String id;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Revoke one of your personal access tokens; it stops working at once.")
                .parameter("ID", "The token's id, as berth token list shows it.", value -> id = value);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        try (AccessClient access = flags.connect()) {
            access.send("DELETE", "tokens/" + AccessClient.segment("token", id), null);
            invocation.out().println("Revoked token " + id + " on " + access.registry());
        }
        return 0;
    }
}
