package dev.berth.cli.commands.access;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;

import java.io.IOException;

/** {@code berth project key rm PROJECT NAME}: withdraw a staff key; what only it signed is no longer trusted. */
public final class ProjectKeyRmCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String project;
    private String name;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Remove a staff public key from a project (owners and site admins): images signed only by it",
                        "are untrusted from now on.")
                .parameter("PROJECT", "The project.", value -> project = value)
                .parameter("NAME", "The key's name.", value -> name = value);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        try (AccessClient access = flags.connect()) {
            access.send("DELETE", "projects/" + AccessClient.segment("project", project) + "/keys/"
                    + AccessClient.segment("key", name), null);
            invocation.out().println("Project " + project + ": removed staff key " + name);
        }
        return 0;
    }
}
