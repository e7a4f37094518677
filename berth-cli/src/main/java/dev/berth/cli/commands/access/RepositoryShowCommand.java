package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;

import java.io.IOException;
import java.io.PrintWriter;

/** {@code berth repository show HOST/REPO}: the class a repository has and where it comes from, and its licence. */
public final class RepositoryShowCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String ref;
    private boolean json;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Show a repository's sharing class (its own or the project's), its conditions and its licence.")
                .parameter("HOST/REPO", "The repository.", value -> ref = value)
                .flag("--json", "Print the registry's JSON instead.", () -> json = true);
        flags.declare(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        RepositoryRef repository = RepositoryRef.parse(ref);
        JsonNode settings;
        try (AccessClient access = flags.connect(repository.registry())) {
            settings = access.get(repository.path("settings"));
        }
        PrintWriter out = invocation.out();
        if (json) {
            Cells.printJson(out, settings);
            return 0;
        }
        out.println("Repository: " + repository);
        // No class of its own means the project's applies, whatever that is when the repository is pulled.
        out.println("Class:      " + (settings.path("class").isNull() ? "the project's"
                : Cells.of(settings, "class") + " (its own)"));
        out.println("Groups:     " + Cells.of(settings, "groups"));
        out.println("Networks:   " + Cells.of(settings, "networks"));
        JsonNode licence = settings.path("licence");
        out.println("Licence:    " + (licence.isObject() ? Cells.of(licence, "spdx") + " " + Cells.of(licence, "digest")
                + (licence.path("required").asBoolean() ? " (must be accepted before pulling)" : "") : "none"));
        return 0;
    }
}
