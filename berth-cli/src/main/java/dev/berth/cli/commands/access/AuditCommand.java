package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.cli.output.Table;
import dev.berth.oci.Json;
import dev.berth.registry.RegistryConfigFile;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** {@code berth registry audit}: who did what to accounts, projects, tokens and images, and when. */
public final class AuditCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String since;
    private String project;
    private boolean json;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Show a berth registry's audit log: sign-ins, accounts, projects, members, tokens and pushes.",
                        "Site admins read all of it; a project's owners read their project's events with --project.")
                .option("--since", "DURATION|TIME", "Only events this recent (e.g. 1h, 7d) or after this time "
                        + "(e.g. 2026-12-01T00:00:00Z).", value -> since = value)
                .option("--project", "PROJECT", "Only events about this project.", value -> project = value)
                .flag("--json", "Print one JSON object per line instead of a table.", () -> json = true);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        StringBuilder query = new StringBuilder("audit");
        char separator = '?';
        if (since != null) {
            query.append(separator).append("since=").append(URLEncoder.encode(checked(since), StandardCharsets.UTF_8));
            separator = '&';
        }
        if (project != null) {
            query.append(separator).append("project=").append(AccessClient.segment("project", project));
        }
        JsonNode events;
        try (AccessClient access = flags.connect()) {
            events = access.get(query.toString());
        }
        if (json) {
            events.forEach(event -> invocation.out().println(new String(Json.write(event), StandardCharsets.UTF_8)));
            return 0;
        }
        Table table = new Table("TIME", "ACTOR", "ADDRESS", "EVENT", "TARGET", "OUTCOME");
        events.forEach(event -> table.add(Cells.of(event, "at"), Cells.of(event, "actor"), Cells.of(event, "address"),
                Cells.of(event, "event"), Cells.of(event, "target"), Cells.of(event, "outcome")));
        table.print(invocation.out());
        return 0;
    }

    /**
     * A time or an age, checked here so that a typo is a usage error; sent as written, because
     * the registry measures an age on its own clock.
     */
    private static String checked(String text) {
        try {
            Instant.parse(text);
            return text;
        } catch (DateTimeParseException notATime) {
            try {
                RegistryConfigFile.duration(text);
                return text;
            } catch (IllegalArgumentException e) {
                throw new UsageException("--since takes a duration such as 1h or 7d, or a time such as 2026-12-01T00:00:00Z, not \""
                        + text + "\"");
            }
        }
    }
}
