package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.output.Table;

import java.io.IOException;

/** {@code berth token list}: the caller's personal access tokens (never their secrets). */
public final class TokenListCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private boolean json;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("List your personal access tokens: id, name, scopes, expiry and revocation.")
                .flag("--json", "Print the registry's JSON instead of a table.", () -> json = true);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        JsonNode tokens;
        try (AccessClient access = flags.connect()) {
            tokens = access.get("tokens");
        }
        if (json) {
            Cells.printJson(invocation.out(), tokens);
            return 0;
        }
        Table table = new Table("ID", "NAME", "SCOPES", "CREATED", "EXPIRES", "REVOKED");
        tokens.forEach(token -> table.add(Cells.of(token, "id"), Cells.of(token, "name"),
                token.path("scopes").asText().isEmpty() ? "all" : Cells.of(token, "scopes"), Cells.of(token, "created"),
                token.path("expires").isNull() ? "never" : Cells.of(token, "expires"), Cells.of(token, "revoked")));
        table.print(invocation.out());
        return 0;
    }
}
