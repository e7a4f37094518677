package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;

import java.io.IOException;
import java.io.PrintWriter;

/** {@code berth licence show HOST/REPO[:TAG]}: the licence of a repository, and whether you accepted it. */
public final class LicenceShowCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private String ref;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Show the licence a repository's images come under, and whether you have accepted it.")
                .parameter("HOST/REPO[:TAG]", "The image or repository; the licence belongs to the repository.",
                        value -> ref = value);
        flags.declare(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        RepositoryRef repository = RepositoryRef.parse(ref);
        JsonNode licence;
        try (AccessClient access = flags.connect(repository.registry())) {
            licence = access.get(repository.path("licence"));
        }
        PrintWriter out = invocation.out();
        out.println("Repository: " + repository);
        out.println("Licence:    " + Cells.of(licence, "spdx"));
        out.println("Digest:     " + Cells.of(licence, "digest"));
        out.println("Accepted:   " + (licence.path("accepted").asBoolean() ? "yes, " + Cells.of(licence, "acceptedAt")
                : "no (berth licence accept " + repository + ")"));
        out.println();
        out.println(licence.path("text").asText().stripTrailing());
        return 0;
    }
}
