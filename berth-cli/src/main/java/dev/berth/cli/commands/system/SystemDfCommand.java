package dev.berth.cli.commands.system;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.output.Human;
import dev.berth.cli.output.Table;
import dev.berth.oci.ByteSize;
import dev.berth.oci.Digest;
import dev.berth.oci.HomeDirectory;
import dev.berth.oci.Json;
import dev.berth.oci.store.LocalStore;
import dev.berth.runtime.cache.CachedEntry;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/** {@code berth system df}: what the store and each cache hold, and what {@code berth system prune} would free. */
public final class SystemDfCommand implements Subcommand {
    private boolean json;
    private boolean verbose;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Show the space the local store and berth's caches take, and what 'berth system prune' frees.",
                        "RECLAIMABLE is what a plain prune removes: unreferenced blobs, and conversions and prepared trees of",
                        "images no name reaches any more; --all also frees the rest of the caches. The build cache's SIZE",
                        "shows the limit each build keeps it under (BERTH_BUILD_CACHE_LIMIT, or [build] cache_limit).")
                .flag("-v, --verbose", "Also list every cache entry with its size and last use.", () -> verbose = true)
                .flag("--json", "Print the figures as JSON.", () -> json = true);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        LocalStore store = invocation.store();
        Caches caches = Caches.of(HomeDirectory.of(System.getenv()));
        LocalStore.Usage usage = store.usage();
        Set<Digest> referenced = store.referenced();
        Instant now = Instant.now();
        Table table = new Table("TYPE", "COUNT", "SIZE", "RECLAIMABLE", "LAST USED");
        table.add("local store", store.images().size() + " names, " + usage.blobs() + " blobs", Human.size(usage.bytes()),
                Human.size(usage.unreferencedBytes()), "");
        ObjectNode report = Json.mapper().createObjectNode();
        report.putObject("store").put("names", store.images().size()).put("blobs", usage.blobs()).put("size", usage.bytes())
                .put("reclaimable", usage.unreferencedBytes()).put("path", store.root().toString());
        ArrayNode rows = report.putArray("caches");
        Table entriesTable = new Table("TYPE", "NAME", "SIZE", "LAST USED");
        for (Caches.Kind kind : Caches.Kind.values()) {
            var shelf = caches.shelves().get(kind);
            List<CachedEntry> entries = shelf.entries();
            List<CachedEntry> dangling = new ArrayList<>();
            for (CachedEntry entry : entries) {
                if (caches.isDangling(kind, entry, referenced)) {
                    dangling.add(entry);
                }
            }
            long reclaimable = Caches.total(dangling);
            Instant lastUsed = entries.stream().map(CachedEntry::lastUsed).max(Instant::compareTo).orElse(null);
            OptionalLong limit = kind == Caches.Kind.BUILD ? OptionalLong.of(caches.buildCacheLimit()) : OptionalLong.empty();
            String size = Human.size(Caches.total(entries)) + (limit.isPresent() ? " (limit " + ByteSize.format(limit.getAsLong()) + ")" : "");
            table.add(kind.title, Integer.toString(entries.size()), size, Human.size(reclaimable),
                    lastUsed == null ? "" : Human.ago(lastUsed, now));
            ObjectNode row = rows.addObject().put("type", kind.title).put("path", shelf.directory().toString())
                    .put("count", entries.size()).put("size", Caches.total(entries)).put("reclaimable", reclaimable);
            limit.ifPresent(bytes -> row.put("limit", bytes));
            row.put("lastUsed", lastUsed == null ? null : lastUsed.toString());
            ArrayNode list = row.putArray("entries");
            for (CachedEntry entry : entries) {
                list.addObject().put("name", entry.name()).put("size", entry.size()).put("lastUsed", entry.lastUsed().toString())
                        .put("dangling", dangling.contains(entry));
                entriesTable.add(kind.title, entry.name(), Human.size(entry.size()), Human.ago(entry.lastUsed(), now));
            }
        }
        if (json) {
            invocation.out().println(Json.writePretty(report));
            return 0;
        }
        table.print(invocation.out());
        if (verbose) {
            invocation.out().println();
            entriesTable.print(invocation.out());
        }
        return 0;
    }
}
