package dev.berth.cli.commands.access;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;

import java.io.IOException;

/** {@code berth project delete NAME}: remove an empty project. */
public final class ProjectDeleteCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String name;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Delete a project that holds no repositories (its owners and site admins).")
                .parameter("NAME", "The project.", value -> name = value);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        try (AccessClient access = flags.connect()) {
            access.send("DELETE", "projects/" + AccessClient.segment("project", name), null);
            invocation.out().println("Deleted project " + name + " on " + access.registry());
        }
        return 0;
    }
}
