package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.oci.BerthException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code berth project set NAME}: change a project's class and the conditions of the restricted
 * class (its owners), or its immutable tags (its maintainers).
 */
public final class ProjectSetCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private final Map<String, Object> changes = new LinkedHashMap<>();
    private String name;
    private List<String> immutableTags;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Change a project's sharing class, or the groups and networks its restricted class admits "
                        + "(the project's owners and site admins).")
                .parameter("NAME", "The project.", value -> name = value)
                .option("--class", "CLASS", "public, internal, restricted, private or exec-only.",
                        value -> changes.put("class", value))
                .option("--groups", "A,B", "The groups a restricted project admits (empty: none).",
                        value -> changes.put("groups", Cells.list(value)))
                .option("--networks", "CIDR,...", "The networks a restricted project admits, e.g. 10.0.0.0/8 (empty: none).",
                        value -> changes.put("networks", Cells.list(value)))
                .option("--trusted", "true|false", "Make the project trusted: only its maintainers push, and its images are"
                        + " trusted while a staff key's signature covers them (owners).", value -> changes.put("trusted", bool(value)))
                .option("--immutable-tags", "PATTERN,...", "Tags no push may move once they exist, as globs: v*, release-?, "
                        + "* for all (the project's maintainers; empty: none).", value -> immutableTags = Cells.list(value));
        flags.declareWithRegistry(syntax);
    }

    private static boolean bool(String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new UsageException("--trusted takes true or false, not \"" + value + "\"");
        };
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        if (changes.isEmpty() && immutableTags == null) {
            throw new BerthException("USAGE", "nothing to change in project " + name
                    + ": give --class, --groups, --networks, --trusted or --immutable-tags");
        }
        String path = "projects/" + AccessClient.segment("project", name);
        try (AccessClient access = flags.connect()) {
            if (!changes.isEmpty()) {
                JsonNode project = access.send("PUT", path, changes);
                invocation.out().println("Project " + name + " on " + access.registry() + " is now " + Cells.of(project, "class")
                        + (Cells.of(project, "class").equals("restricted") ? " (groups " + Cells.of(project, "groups") + ", networks "
                        + Cells.of(project, "networks") + ")" : "")
                        + (project.path("trusted").asBoolean() ? ", trusted" : ", untrusted"));
            }
            if (immutableTags != null) {
                JsonNode rules = access.send("PUT", path + "/immutable-tags", Map.of("patterns", immutableTags));
                invocation.out().println("Immutable tags of project " + name + ": " + Cells.of(rules, "patterns"));
            }
        }
        return 0;
    }
}
