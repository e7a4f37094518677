package dev.berth.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.cli.output.Human;
import dev.berth.cli.output.Table;
import dev.berth.oci.Json;
import dev.berth.runtime.RunDirectory;
import dev.berth.runtime.RunningContainers;
import dev.berth.runtime.sandbox.Caller;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code berth ps}: the caller's running containers (berth run, exec and shell), as docker ps lists them. */
public final class PsCommand implements Subcommand {
    private static final int COMMAND_WIDTH = 30;

    private boolean json;
    private boolean quiet;
    private boolean noTrunc;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("List your running containers (berth run, exec and shell), oldest first.",
                        "Other users' containers are theirs to list.")
                .flag("--json", "Print a JSON array instead of a table.", () -> json = true)
                .flag("-q, --quiet", "Print only the container ids.", () -> quiet = true)
                .flag("--no-trunc", "Show whole commands.", () -> noTrunc = true);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        if (json && quiet) {
            throw new UsageException("--json and --quiet exclude each other");
        }
        Map<String, String> environment = System.getenv();
        List<RunningContainers.Running> running = RunningContainers.list(RunDirectory.base(environment, Caller.current(environment)));
        if (quiet) {
            running.forEach(container -> invocation.out().println(container.id()));
        } else if (json) {
            ArrayNode rows = Json.mapper().createArrayNode();
            for (RunningContainers.Running container : running) {
                rows.addObject().put("id", container.id()).put("pid", container.pid()).put("image", container.image())
                        .put("started", container.started().toString())
                        .set("command", Json.mapper().valueToTree(container.command()));
            }
            invocation.out().println(Json.writePretty(rows));
        } else {
            Instant now = Instant.now();
            Table table = new Table("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PID");
            for (RunningContainers.Running container : running) {
                table.add(container.id(), container.image(), command(container.command()),
                        Human.ago(container.started(), now), "Up", Long.toString(container.pid()));
            }
            table.print(invocation.out());
        }
        return 0;
    }

    private String command(List<String> words) {
        String line = '"' + String.join(" ", words) + '"';
        return noTrunc || line.length() <= COMMAND_WIDTH ? line : line.substring(0, COMMAND_WIDTH - 2) + "…\"";
    }
}
