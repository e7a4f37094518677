package dev.berth.cli.commands;

import dev.berth.cli.args.Syntax;
import dev.berth.cli.output.Human;
import dev.berth.cli.output.Table;
import dev.berth.oci.Json;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code berth images}: the images in the local store. */
public final class ImagesCommand extends StoreCommand {
    private boolean json;
    private boolean noTrunc;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("List the images in the local store.")
                .flag("--json", "Print a JSON array instead of a table.", () -> json = true)
                .flag("--no-trunc", "Show whole digests.", () -> noTrunc = true);
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        Instant now = Instant.now();
        Table table = new Table("REPOSITORY", "TAG", "DIGEST", "SIZE", "CREATED");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ImageRecord record : store.images()) {
            ImageSummary summary = ImageSummary.of(store, record);
            String tag = record.name().tag().orElse("<none>");
            String digest = noTrunc ? record.root().digest().toString() : record.root().digest().shortHex();
            table.add(record.name().familiarName(), tag, digest, Human.size(summary.size()), Human.ago(summary.created(), now));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", record.name().toString());
            row.put("repository", record.name().familiarName());
            row.put("tag", record.name().tag().orElse(null));
            row.put("digest", record.root().digest().toString());
            row.put("mediaType", record.root().mediaType());
            row.put("size", summary.size());
            row.put("created", summary.created() == null ? null : summary.created().toString());
            rows.add(row);
        }
        if (json) {
            out().println(Json.writePretty(rows));
        } else {
            table.print(out());
        }
        return 0;
    }
}
