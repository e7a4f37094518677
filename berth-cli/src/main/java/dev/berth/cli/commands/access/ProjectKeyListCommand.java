package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.output.Table;

import java.io.IOException;

/** {@code berth project key list PROJECT}: a project's staff public keys. */
public final class ProjectKeyListCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String project;
    private boolean json;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("List a project's staff public keys.")
                .parameter("PROJECT", "The project.", value -> project = value)
                .flag("--json", "Print the registry's JSON (with the PEM keys) instead.", () -> json = true);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        JsonNode keys;
        try (AccessClient access = flags.connect()) {
            keys = access.get("projects/" + AccessClient.segment("project", project) + "/keys");
        }
        if (json) {
            Cells.printJson(invocation.out(), keys);
            return 0;
        }
        Table table = new Table("NAME", "FINGERPRINT", "ADDED BY", "ADDED");
        keys.forEach(key -> table.add(Cells.of(key, "name"), Cells.of(key, "fingerprint"), Cells.of(key, "addedBy"),
                Cells.of(key, "added")));
        table.print(invocation.out());
        return 0;
    }
}
