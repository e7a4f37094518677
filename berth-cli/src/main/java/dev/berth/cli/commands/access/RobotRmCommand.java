package dev.berth.cli.commands.access;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;

import java.io.IOException;

/** {@code berth robot rm PROJECT NAME}: delete a robot account; its token stops working. */
public final class RobotRmCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String project;
    private String name;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Delete a robot account; its token stops working at once (owners and site admins).")
                .parameter("PROJECT", "The project.", value -> project = value)
                .parameter("NAME", "The robot, as NAME or PROJECT+NAME.", value -> name = value);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        String robot = name.startsWith(project + "+") ? name.substring(project.length() + 1) : name;
        try (AccessClient access = flags.connect()) {
            access.send("DELETE", "projects/" + AccessClient.segment("project", project) + "/robots/"
                    + AccessClient.segment("robot", robot), null);
            invocation.out().println("Deleted robot " + project + "+" + robot + " on " + access.registry());
        }
        return 0;
    }
}
