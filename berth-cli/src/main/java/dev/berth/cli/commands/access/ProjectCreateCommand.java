package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;

import java.io.IOException;
import java.util.Map;

/** {@code berth project create NAME --class CLASS}: a project, owned by the caller. */
public final class ProjectCreateCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String name;
    private String sharing;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Create a project; you become its owner.")
                .parameter("NAME", "The project: the first path component of its repositories.", value -> name = value)
                .requiredOption("--class", "CLASS", "Who may pull: public, internal, restricted, private or exec-only.",
                        value -> sharing = value);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        try (AccessClient access = flags.connect()) {
            JsonNode project = access.send("POST", "projects", Map.of("name", name, "class", sharing));
            invocation.out().println("Created project " + Cells.of(project, "name") + " (" + Cells.of(project, "class")
                    + ") on " + access.registry());
        }
        return 0;
    }
}
