package dev.berth.build;

import dev.berth.runtime.cache.CacheShelf;
import dev.berth.runtime.cache.CachedEntry;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Brings the step cache back under its size limit after a build: the steps used longest ago go
 * first, as BuildKit's garbage collection does it. The steps the build used or made stay
 * whatever the limit (the next build of the same recipe wants them), and so does every step
 * another build is using ({@link CacheShelf#remove} refuses those).
 */
final class StepCacheEviction {
    /** What a clean-up removed: how many steps and how many bytes. */
    record Evicted(int steps, long bytes) {
    }

    private static final Comparator<CachedEntry> OLDEST_FIRST = Comparator.comparing(CachedEntry::lastUsed)
            .thenComparing(CachedEntry::name);

    private StepCacheEviction() {
    }

    static Evicted evict(CacheShelf shelf, long limit, Set<String> stepsOfThisBuild) throws IOException {
        List<CachedEntry> entries = shelf.entries();
        long total = entries.stream().mapToLong(CachedEntry::size).sum();
        int steps = 0;
        long bytes = 0;
        for (CachedEntry entry : entries.stream().filter(entry -> !stepsOfThisBuild.contains(entry.name())).sorted(OLDEST_FIRST).toList()) {
            if (total <= limit) {
                break;
            }
            if (shelf.remove(entry)) {
                total -= entry.size();
                steps++;
                bytes += entry.size();
            }
        }
        return new Evicted(steps, bytes);
    }
}
