package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.oci.Digest;
import dev.berth.oci.Reference;
import dev.berth.registry.RegistryConfigFile;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * {@code berth tag --restore HOST/REPO:TAG@DIGEST|@TIME|@AGE}: points a registry tag back at an
 * image it pointed at before — by digest, at a time, or that long ago — as the tag's history has it.
 */
public final class TagRestore {
    private final AccessFlags flags = new AccessFlags();

    /** The registry flags of the restore; the caller declares {@code --restore} itself. */
    public void declare(Syntax syntax) {
        flags.declare(syntax);
    }

    public void run(String target, PrintWriter out) throws IOException {
        int at = target.lastIndexOf('@');
        if (at < 0) {
            throw new UsageException("--restore takes HOST/REPO:TAG@DIGEST, @TIME (2026-12-01T09:00:00Z) or @AGE (2h, 7d), not \""
                    + target + "\"");
        }
        Reference reference = Reference.parseNormalized(target.substring(0, at));
        String tag = reference.tag().orElseThrow(() -> new UsageException("--restore needs the tag to move: HOST/REPO:TAG@..."));
        String when = target.substring(at + 1);
        Map<String, String> body = Digest.isValid(when) ? Map.of("tag", tag, "digest", when)
                : Map.of("tag", tag, "at", instant(when).toString());
        RepositoryRef repository = new RepositoryRef(reference.registry(), reference.repository());
        try (AccessClient access = flags.connect(repository.registry())) {
            JsonNode answer = access.send("POST", repository.path("restore"), body);
            out.println(answer.path("moved").asBoolean()
                    ? repository + ":" + tag + " now points at " + Cells.of(answer, "to") + " (was " + Cells.of(answer, "from") + ")"
                    : repository + ":" + tag + " already points at " + Cells.of(answer, "to"));
        }
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notATime) {
            try {
                return Instant.now().minus(RegistryConfigFile.duration(text));
            } catch (IllegalArgumentException e) {
                throw new UsageException("\"" + text + "\" is neither a digest, a time such as 2026-12-01T09:00:00Z nor an age"
                        + " such as 2h or 7d");
            }
        }
    }
}
