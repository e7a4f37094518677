package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;

import java.io.IOException;
import java.util.Map;

/** {@code berth licence accept HOST/REPO[:TAG]}: record that you accept the licence as it reads now. */
public final class LicenceAcceptCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String ref;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Accept a repository's licence, so that you may pull its images.",
                "What is accepted is the licence text as it reads now (by its digest): if it changes, accept again. "
                        + "Read it first with berth licence show.")
                .parameter("HOST/REPO[:TAG]", "The image or repository.", value -> ref = value);
        flags.declare(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        RepositoryRef repository = RepositoryRef.parse(ref);
        try (AccessClient access = flags.connect(repository.registry())) {
            JsonNode licence = access.get(repository.path("licence"));
            String digest = Cells.of(licence, "digest");
            access.send("POST", repository.path("licence/acceptance"), Map.of("digest", digest));
            invocation.out().println("Accepted " + Cells.of(licence, "spdx") + " (" + digest + ") for " + repository
                    + " as " + access.user());
        }
        return 0;
    }
}
