package dev.berth.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.output.Human;
import dev.berth.cli.output.Table;
import dev.berth.oci.Json;
import dev.berth.runtime.instance.Instances;
import dev.berth.runtime.sandbox.Caller;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code berth instance list}: the caller's running instances, oldest first. */
public final class InstanceListCommand implements Subcommand {
    private boolean json;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("List your running instances, oldest first.")
                .flag("--json", "Print a JSON array instead of a table.", () -> json = true);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        Map<String, String> environment = System.getenv();
        List<Instances.Instance> instances = Instances.of(environment, Caller.current(environment)).list();
        if (json) {
            ArrayNode rows = Json.mapper().createArrayNode();
            for (Instances.Instance instance : instances) {
                rows.addObject().put("name", instance.name()).put("image", instance.image()).put("pid", instance.pid())
                        .put("started", instance.started().toString()).put("log", instance.log().toString());
            }
            invocation.out().println(Json.writePretty(rows));
            return 0;
        }
        Instant now = Instant.now();
        Table table = new Table("NAME", "IMAGE", "STARTED", "PID");
        for (Instances.Instance instance : instances) {
            table.add(instance.name(), instance.image(), Human.ago(instance.started(), now), Long.toString(instance.pid()));
        }
        table.print(invocation.out());
        return 0;
    }
}
