package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code berth project key add PROJECT FILE.pub}: register a staff public key with a trusted project. */
public final class ProjectKeyAddCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String project;
    private Path file;
    private String name;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Add a staff public key to a project (owners and site admins): in a trusted project, an image",
                        "signed by one of its staff keys is trusted.")
                .parameter("PROJECT", "The project.", value -> project = value)
                .parameter("FILE", "The PEM public key, as berth key generate or cosign write it.", value -> file = Path.of(value))
                .option("--name", "NAME", "The key's name (default: the file name without .pub).", value -> name = value);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        String keyName = name != null ? name : file.getFileName().toString().replaceFirst("\\.(pub|pem)$", "");
        String pem = Files.readString(file);
        try (AccessClient access = flags.connect()) {
            JsonNode added = access.send("POST", "projects/" + AccessClient.segment("project", project) + "/keys",
                    Map.of("name", keyName, "key", pem));
            invocation.out().println("Project " + project + ": staff key " + Cells.of(added, "name") + " ("
                    + Cells.of(added, "fingerprint") + ")");
        }
        return 0;
    }
}
