package dev.berth.cli.commands.system;

import dev.berth.build.Builder;
import dev.berth.cli.commands.BuildCommand;
import dev.berth.cli.commands.SiteSettings;
import dev.berth.oci.Digest;
import dev.berth.runtime.ImageCache;
import dev.berth.runtime.cache.CacheShelf;
import dev.berth.runtime.cache.CachedEntry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The user's caches that {@code berth system df} counts and {@code berth system prune} empties:
 * converted image files, prepared trees, the build step cache and RUN --mount=type=cache directories. Each can always be made again
 * from the store, so removing any of it loses nothing but time.
 */
record Caches(ImageCache images) {
    /** One cache, as a row of the report. */
    enum Kind {
        CONVERTED("converted images"),
        PREPARED("prepared trees"),
        BUILD("build cache"),
        BUILD_MOUNTS("build cache mounts");

        final String title;

        Kind(String title) {
            this.title = title;
        }
    }

    static Caches of(Path home) throws IOException {
        return new Caches(ImageCache.fromEnvironment(System.getenv(), home, null, SiteSettings.get(), notice -> { }));
    }

    Map<Kind, CacheShelf> shelves() {
        return Map.of(Kind.CONVERTED, images.conversions(), Kind.PREPARED, images.preparedTrees(),
                Kind.BUILD, Builder.stepCache(buildCacheDirectory()), Kind.BUILD_MOUNTS, Builder.cacheMounts(buildCacheDirectory()));
    }

    Path buildCacheDirectory() {
        return images.userDirectory().resolve("build-cache");
    }

    /** The size builds keep the build cache under. */
    long buildCacheLimit() throws IOException {
        return BuildCommand.cacheLimit(buildCacheDirectory());
    }

    Path buildScratchDirectory() {
        return images.userDirectory().resolve("build");
    }

    /**
     * Whether the entry serves nothing the store still names: a conversion or tree whose manifests
     * no name reaches any more. A tree of an image file, and a build step, cannot tell; they count
     * as in use until {@code --all}.
     */
    boolean isDangling(Kind kind, CachedEntry entry, Set<Digest> referenced) throws IOException {
        if (kind == Kind.BUILD || kind == Kind.BUILD_MOUNTS) {
            return false;
        }
        return images.manifestsOf(entry.name()).map(manifests -> manifests.stream().noneMatch(referenced::contains)).orElse(false);
    }

    static long total(List<CachedEntry> entries) {
        return entries.stream().mapToLong(CachedEntry::size).sum();
    }
}
