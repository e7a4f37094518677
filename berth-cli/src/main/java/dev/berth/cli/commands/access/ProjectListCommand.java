package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.output.Table;

import java.io.IOException;

/** {@code berth project list}: the projects the caller may see. */
public final class ProjectListCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private boolean json;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("List the projects you may pull from, with their sharing class.")
                .flag("--json", "Print the registry's JSON instead of a table.", () -> json = true);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        JsonNode projects;
        try (AccessClient access = flags.connect()) {
            projects = access.get("projects");
        }
        if (json) {
            Cells.printJson(invocation.out(), projects);
            return 0;
        }
        Table table = new Table("NAME", "CLASS");
        projects.forEach(project -> table.add(Cells.of(project, "name"), Cells.of(project, "class")));
        table.print(invocation.out());
        return 0;
    }
}
