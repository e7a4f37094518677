package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;

import java.io.IOException;
import java.io.PrintWriter;

/** {@code berth project show NAME}: a project's class, its restricted-class conditions and its members. */
public final class ProjectShowCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String name;
    private boolean json;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Show a project: its sharing class, the groups and networks a restricted class admits, its members.")
                .parameter("NAME", "The project.", value -> name = value)
                .flag("--json", "Print the registry's JSON instead.", () -> json = true);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        JsonNode project;
        try (AccessClient access = flags.connect()) {
            project = access.get("projects/" + AccessClient.segment("project", name));
        }
        PrintWriter out = invocation.out();
        if (json) {
            Cells.printJson(out, project);
            return 0;
        }
        out.println("Project:  " + Cells.of(project, "name"));
        out.println("Class:    " + Cells.of(project, "class"));
        out.println("Trusted:  " + (project.path("trusted").asBoolean() ? "yes (only maintainers push; staff-signed images are trusted)"
                : "no"));
        if (project.has("groups") || project.has("networks")) {
            out.println("Groups:   " + Cells.of(project, "groups"));
            out.println("Networks: " + Cells.of(project, "networks"));
        }
        out.println("Immutable tags: " + Cells.of(project, "immutableTags"));
        out.println("Members:");
        MemberListCommand.table(project.path("members")).print(out);
        return 0;
    }
}
