package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code berth token create NAME}: a personal access token, to use instead of the password. */
public final class TokenCreateCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private final List<String> scopes = new ArrayList<>();
    private String name;
    private String expires;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Create a personal access token; prints it once.",
                        "Use it as your password where a password should not be kept: docker, podman, skopeo, CI. "
                                + "Without --scope it may do all you may.")
                .parameter("NAME", "What the token is for, e.g. laptop or ci.", value -> name = value)
                .option("--scope", "SCOPE", "Limit the token, e.g. lab/*:pull or lab/app:push; repeatable.", scopes::add)
                .option("--expires", "DURATION", "When it stops working, e.g. 30d (default: never).", value -> expires = value);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", scopes);
        body.put("expires", expires);
        try (AccessClient access = flags.connect()) {
            JsonNode token = access.send("POST", "tokens", body);
            new SecretNotice(access.registry(), access.user()).print(invocation.out(),
                    name + ", id " + Cells.of(token, "id"), token);
        }
        return 0;
    }
}
