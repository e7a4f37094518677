package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.output.Table;
import dev.berth.oci.Reference;

import java.io.IOException;
import java.io.PrintWriter;

/** {@code berth tags HOST/REPO[:TAG] [--history]}: a repository's tags now, or every move they made. */
public final class TagsCommand implements Subcommand {
    private static final int MAX_MOVES = 1000;

    private final AccessFlags flags = new AccessFlags();
    private String ref;
    private boolean history;
    private boolean json;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("List a repository's tags on a berth registry with the digest each points at, or with --history",
                        "every move of them: from which image to which, who moved it, from where, with which client, when.")
                .parameter("HOST/REPO[:TAG]", "The repository; with a tag, only that tag's history.", value -> ref = value)
                .flag("--history", "Show the moves, newest first.", () -> history = true)
                .flag("--json", "Print the registry's JSON instead.", () -> json = true);
        flags.declare(syntax);
    }

    /** "trusted (signed by k1,k2)" or "untrusted", as the registry decided it now. */
    private static String trust(JsonNode tag) {
        if (!tag.path("trusted").asBoolean()) {
            return "untrusted";
        }
        java.util.List<String> signers = new java.util.ArrayList<>();
        tag.path("signers").forEach(signer -> signers.add(signer.path("key").asText()));
        return "trusted (signed by " + String.join(",", signers) + ")";
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        Reference reference = Reference.parseNormalized(ref);
        RepositoryRef repository = new RepositoryRef(reference.registry(), reference.repository());
        String path = !history ? repository.path("tags")
                : repository.path("history") + "?limit=" + MAX_MOVES + reference.tag().map(tag -> "&tag=" + tag).orElse("");
        JsonNode answer;
        try (AccessClient access = flags.connect(repository.registry())) {
            answer = access.get(path);
        }
        PrintWriter out = invocation.out();
        if (json) {
            Cells.printJson(out, answer);
            return 0;
        }
        if (history) {
            Table table = new Table("TIME", "TAG", "FROM", "TO", "BY", "ADDRESS", "CLIENT");
            answer.path("moves").forEach(move -> table.add(Cells.of(move, "at"), Cells.of(move, "tag"), Cells.of(move, "from"),
                    Cells.of(move, "to"), Cells.of(move, "actor"), Cells.of(move, "address"), Cells.of(move, "client")));
            table.print(out);
        } else {
            Table table = new Table("TAG", "DIGEST", "TRUST");
            answer.path("tags").forEach(tag -> table.add(Cells.of(tag, "tag"), Cells.of(tag, "digest"), trust(tag)));
            table.print(out);
        }
        return 0;
    }
}
