package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code berth robot create PROJECT NAME}: an account for CI and services, with a token limited to scopes. */
public final class RobotCreateCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private final List<String> scopes = new ArrayList<>();
    private String project;
    private String name;
    private String expires;
    private boolean runner;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Create a robot account in a project for CI jobs and services; prints its token once "
                        + "(the project's owners and site admins).")
                .parameter("PROJECT", "The project the robot belongs to.", value -> project = value)
                .parameter("NAME", "The robot's name; it signs in as PROJECT+NAME.", value -> name = value)
                .option("--scope", "SCOPE", "What the token may do, e.g. PROJECT/*:pull or PROJECT/app:push; "
                        + "repeatable (default: PROJECT/*:pull).", scopes::add)
                .option("--expires", "DURATION", "When the token stops working, e.g. 30d (default: never).",
                        value -> expires = value)
                .flag("--runner", "The robot runs images where exec-only projects allow running but not pulling.",
                        () -> runner = true);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", scopes.isEmpty() ? List.of(project + "/*:pull") : scopes);
        body.put("expires", expires);
        body.put("runner", runner);
        try (AccessClient access = flags.connect()) {
            JsonNode robot = access.send("POST", "projects/" + AccessClient.segment("project", project) + "/robots", body);
            new SecretNotice(access.registry(), Cells.of(robot, "name")).print(invocation.out(),
                    "robot " + Cells.of(robot, "name"), robot);
        }
        return 0;
    }
}
