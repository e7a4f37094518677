package dev.berth.runtime.cache;

import java.nio.file.Path;
import java.time.Instant;

/**
 * One entry of one of berth's caches, as {@code berth system df} counts it.
 *
 * @param name     the entry's file or directory name, which says what it was made from
 * @param size     the bytes of its regular files, what removing it frees
 * @param lastUsed when a run or build last used it (its creation, if none has)
 */
public record CachedEntry(Path path, String name, long size, Instant lastUsed) {
}
