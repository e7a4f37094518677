package dev.berth.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.cli.output.GoTemplate;
import dev.berth.cli.output.Human;
import dev.berth.cli.output.Table;
import dev.berth.oci.Json;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code berth images}: the images in the local store. */
public final class ImagesCommand extends StoreCommand {
    /** Docker's column titles for the fields --format table names. */
    private static final Map<String, String> HEADERS = Map.of("ID", "IMAGE ID", "CreatedSince", "CREATED", "CreatedAt", "CREATED AT");

    private final List<String> filters = new ArrayList<>();
    private boolean json;
    private boolean quiet;
    private boolean noTrunc;
    private String format;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("List the images in the local store.")
                .flag("--json", "Print a JSON array instead of a table.", () -> json = true)
                .flag("-q, --quiet", "Print only the image digests (short unless --no-trunc), each once.", () -> quiet = true)
                .option("-f, --filter", "KEY=VALUE", "Only images that match: reference=GLOB, dangling=true|false, "
                        + "before=IMAGE, since=IMAGE (repeatable).", filters::add)
                .option("--format", "TEMPLATE", "Print each image through a Go template, as docker images --format: "
                        + "{{.Repository}}, {{.Tag}}, {{.ID}}, {{.Digest}}, {{.Size}}, {{.CreatedSince}}, {{.CreatedAt}}; "
                        + "'table ...' adds a header.", value -> format = value)
                .flag("--no-trunc", "Show whole digests.", () -> noTrunc = true);
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        if ((json ? 1 : 0) + (quiet ? 1 : 0) + (format != null ? 1 : 0) > 1) {
            throw new UsageException("--json, --quiet and --format exclude each other");
        }
        GoTemplate template = format == null ? null : GoTemplate.parse(format);
        ImageFilter filter = ImageFilter.parse(filters, store);
        Instant now = Instant.now();
        Table table = new Table("REPOSITORY", "TAG", "DIGEST", "SIZE", "CREATED");
        List<ObjectNode> rows = new ArrayList<>();
        List<ObjectNode> fields = new ArrayList<>();
        Set<String> digests = new LinkedHashSet<>();
        for (ImageRecord record : store.images()) {
            ImageSummary summary = ImageSummary.of(store, record);
            if (!filter.accepts(new ImageFilter.Candidate(record, summary.created()))) {
                continue;
            }
            String tag = record.name().tag().orElse("<none>");
            String digest = noTrunc ? record.root().digest().toString() : record.root().digest().shortHex();
            String size = Human.size(summary.size());
            String ago = Human.ago(summary.created(), now);
            table.add(record.name().familiarName(), tag, digest, size, ago);
            digests.add(digest);
            rows.add(jsonRow(record, summary));
            ObjectNode docker = Json.mapper().createObjectNode()
                    .put("ID", digest).put("Repository", record.name().familiarName()).put("Tag", tag)
                    .put("Digest", record.root().digest().toString()).put("Size", size).put("CreatedSince", ago)
                    .put("CreatedAt", summary.created() == null ? "" : summary.created().toString())
                    .put("Name", record.name().toString()).put("MediaType", record.root().mediaType());
            fields.add(docker);
        }
        if (json) {
            out().println(Json.writePretty(rows));
        } else if (quiet) {
            digests.forEach(out()::println);
        } else if (template != null) {
            template.print(fields, HEADERS::get, out());
        } else {
            table.print(out());
        }
        return 0;
    }

    private static ObjectNode jsonRow(ImageRecord record, ImageSummary summary) {
        ObjectNode row = Json.mapper().createObjectNode();
        row.put("name", record.name().toString());
        row.put("repository", record.name().familiarName());
        row.put("tag", record.name().tag().orElse(null));
        row.put("digest", record.root().digest().toString());
        row.put("mediaType", record.root().mediaType());
        row.put("size", summary.size());
        row.put("created", summary.created() == null ? null : summary.created().toString());
        return row;
    }
}
