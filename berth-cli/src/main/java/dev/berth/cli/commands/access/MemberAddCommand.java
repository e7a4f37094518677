package dev.berth.cli.commands.access;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;

import java.io.IOException;
import java.util.Map;

/** {@code berth project member add PROJECT NAME --role ROLE}: give a user or a group a role in a project. */
public final class MemberAddCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String project;
    private String name;
    private String role;
    private boolean group;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Give a user or a group a role in a project, or change the role it has (owners and site admins).")
                .parameter("PROJECT", "The project.", value -> project = value)
                .parameter("NAME", "The user, or with --group the group.", value -> name = value)
                .requiredOption("--role", "ROLE", "guest (pull), developer (pull and push), maintainer (also delete) or owner.",
                        value -> role = value)
                .flag("--group", "NAME is a group from the directory or the identity provider.", () -> group = true);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        try (AccessClient access = flags.connect()) {
            access.send("PUT", MemberPath.of(project, name, group), Map.of("role", role));
            invocation.out().println("Project " + project + ": " + (group ? "group " : "user ") + name + " is " + role);
        }
        return 0;
    }
}
