package dev.berth.cli.commands.access;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;

import java.io.IOException;

/** {@code berth project member rm PROJECT NAME}: take a user's or group's role in a project away. */
public final class MemberRmCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String project;
    private String name;
    private boolean group;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Remove a user or a group from a project (owners and site admins).")
                .parameter("PROJECT", "The project.", value -> project = value)
                .parameter("NAME", "The user, or with --group the group.", value -> name = value)
                .flag("--group", "NAME is a group.", () -> group = true);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        try (AccessClient access = flags.connect()) {
            access.send("DELETE", MemberPath.of(project, name, group), null);
            invocation.out().println("Project " + project + ": removed " + (group ? "group " : "user ") + name);
        }
        return 0;
    }
}
