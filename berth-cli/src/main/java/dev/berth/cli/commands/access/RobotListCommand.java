package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.output.Table;

import java.io.IOException;

/** {@code berth robot list PROJECT}: a project's robot accounts. */
public final class RobotListCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String project;
    private boolean json;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("List a project's robot accounts with their scopes and expiry.")
                .parameter("PROJECT", "The project.", value -> project = value)
                .flag("--json", "Print the registry's JSON instead of a table.", () -> json = true);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        JsonNode robots;
        try (AccessClient access = flags.connect()) {
            robots = access.get("projects/" + AccessClient.segment("project", project) + "/robots");
        }
        if (json) {
            Cells.printJson(invocation.out(), robots);
            return 0;
        }
        Table table = new Table("NAME", "SCOPES", "EXPIRES", "RUNNER");
        robots.forEach(robot -> table.add(Cells.of(robot, "name"), Cells.of(robot, "scopes"),
                robot.path("expires").isNull() ? "never" : Cells.of(robot, "expires"), Cells.of(robot, "runner")));
        table.print(invocation.out());
        return 0;
    }
}
