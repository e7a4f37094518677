package dev.berth.cli.commands.system;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.cli.output.Human;
import dev.berth.oci.Digest;
import dev.berth.oci.HomeDirectory;
import dev.berth.oci.ScratchDirectory;
import dev.berth.oci.store.LocalStore;
import dev.berth.runtime.cache.CacheShelf;
import dev.berth.runtime.cache.CachedEntry;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code berth system prune}: frees what can be made again. Named images are never removed
 * ({@code berth rmi} does that); entries a running container or build uses are skipped.
 */
public final class SystemPruneCommand implements Subcommand {
    private static final Pattern DURATION = Pattern.compile("([0-9]+)([smhdw])");

    private boolean all;
    private Duration olderThan;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Free space: blobs no image name reaches, and the conversions and prepared trees of images no name reaches.",
                        "With --all, every conversion, prepared tree and build step too (they are made again when needed).",
                        "Images that have a name stay: remove those with 'berth rmi'. Entries in use are skipped.")
                .flag("-a, --all", "Empty the caches entirely, not only what no name reaches.", () -> all = true)
                .option("--older-than", "DURATION", "Only cache entries not used for this long: 30m, 12h, 7d, 2w.",
                        value -> olderThan = parseDuration(value));
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        LocalStore store = invocation.store();
        Caches caches = Caches.of(HomeDirectory.of(System.getenv()));
        Set<Digest> referenced = store.referenced();
        Instant cutoff = olderThan == null ? null : Instant.now().minus(olderThan);
        long freed = 0;
        for (Caches.Kind kind : Caches.Kind.values()) {
            CacheShelf shelf = caches.shelves().get(kind);
            int removed = 0;
            int busy = 0;
            long bytes = 0;
            for (CachedEntry entry : shelf.entries()) {
                boolean chosen = (all || caches.isDangling(kind, entry, referenced))
                        && (cutoff == null || entry.lastUsed().isBefore(cutoff));
                if (!chosen) {
                    continue;
                }
                if (shelf.remove(entry)) {
                    removed++;
                    bytes += entry.size();
                } else {
                    busy++;
                }
            }
            freed += bytes;
            invocation.out().println("Removed " + removed + " " + kind.title + ", " + Human.size(bytes)
                    + (busy > 0 ? " (" + busy + " in use, kept)" : ""));
        }
        ScratchDirectory.removeAbandoned(caches.buildScratchDirectory());
        LocalStore.PruneResult blobs = store.prune();
        freed += blobs.bytesRemoved();
        invocation.out().println("Removed " + blobs.blobsRemoved() + " unreferenced blobs, " + Human.size(blobs.bytesRemoved()));
        invocation.out().println("Total reclaimed space: " + Human.size(freed));
        return 0;
    }

    static Duration parseDuration(String text) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new UsageException("--older-than takes a number and a unit (s, m, h, d or w), e.g. 7d, not \"" + text + "\"");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofDays(7 * amount);
        };
    }
}
