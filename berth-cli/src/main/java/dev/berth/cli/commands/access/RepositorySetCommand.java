package dev.berth.cli.commands.access;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.oci.BerthException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code berth repository set HOST/REPO}: a repository's own class, restricted-class conditions and licence. */
public final class RepositorySetCommand implements Subcommand {
    private static final long MAX_LICENCE_BYTES = 256 * 1024;

    private final AccessFlags flags = new AccessFlags();
    private final Map<String, Object> changes = new LinkedHashMap<>();
    private String ref;
    private boolean inherit;
    private String spdx;
    private Path licenceFile;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Set a repository's own sharing class, the groups and networks it admits, or the licence "
                        + "users must accept before they pull (the project's maintainers and owners).")
                .parameter("HOST/REPO", "The repository, e.g. registry.example.org/lab/tools.", value -> ref = value)
                .option("--class", "CLASS", "public, internal, restricted, private or exec-only, instead of the project's.",
                        value -> changes.put("class", value))
                .flag("--inherit", "Take the project's class again.", () -> inherit = true)
                .option("--groups", "A,B", "The groups a restricted repository admits (empty: none).",
                        value -> changes.put("groups", Cells.list(value)))
                .option("--networks", "CIDR,...", "The networks a restricted repository admits (empty: none).",
                        value -> changes.put("networks", Cells.list(value)))
                .option("--licence", "SPDX", "The licence's SPDX id, e.g. LicenseRef-Lab-Academic; with --licence-file.",
                        value -> spdx = value)
                .option("--licence-file", "FILE", "The licence text users accept.", value -> licenceFile = Path.of(value));
        flags.declare(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        if (inherit) {
            if (changes.containsKey("class")) {
                throw new BerthException("USAGE", "give either --class or --inherit, not both");
            }
            changes.put("class", null);
        }
        if ((spdx == null) != (licenceFile == null)) {
            throw new BerthException("USAGE", "a licence needs both --licence SPDX and --licence-file FILE");
        }
        if (spdx != null) {
            changes.put("licence", Map.of("spdx", spdx, "text", licenceText()));
        }
        RepositoryRef repository = RepositoryRef.parse(ref);
        if (changes.isEmpty()) {
            throw new BerthException("USAGE", "nothing to change in " + repository
                    + ": give --class, --inherit, --groups, --networks or --licence");
        }
        try (AccessClient access = flags.connect(repository.registry())) {
            access.send("PUT", repository.path("settings"), changes);
        }
        invocation.out().println("Updated the settings of " + repository + " (" + String.join(", ", changes.keySet()) + ")");
        return 0;
    }

    private String licenceText() throws IOException {
        if (!Files.isRegularFile(licenceFile) || Files.size(licenceFile) > MAX_LICENCE_BYTES) {
            throw new BerthException("USAGE", "the licence file " + licenceFile + " is not a file of at most "
                    + MAX_LICENCE_BYTES / 1024 + " KiB");
        }
        return Files.readString(licenceFile, StandardCharsets.UTF_8);
    }
}
