package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.output.Table;

import java.io.IOException;

/** {@code berth project member list PROJECT}: who has which role in a project. */
public final class MemberListCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String project;
    private boolean json;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("List a project's members: users and groups with their roles.")
                .parameter("PROJECT", "The project.", value -> project = value)
                .flag("--json", "Print the registry's JSON instead of a table.", () -> json = true);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        JsonNode members;
        try (AccessClient access = flags.connect()) {
            members = access.get("projects/" + AccessClient.segment("project", project) + "/members");
        }
        if (json) {
            Cells.printJson(invocation.out(), members);
        } else {
            table(members).print(invocation.out());
        }
        return 0;
    }

    static Table table(JsonNode members) {
        Table table = new Table("NAME", "KIND", "ROLE");
        members.forEach(member -> table.add(Cells.of(member, "name"), Cells.kind(member), Cells.of(member, "role")));
        return table;
    }
}
