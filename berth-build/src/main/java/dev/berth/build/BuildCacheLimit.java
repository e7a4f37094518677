package dev.berth.build;

import dev.berth.oci.BerthException;
import dev.berth.oci.ByteSize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How large the build step cache may grow before a build removes the steps used longest ago:
 * {@value #VARIABLE} (for CI), else the config file's {@code [build] cache_limit}, else the
 * smaller of 10 GiB and a tenth of the cache's file system. A limit of 0 keeps only the steps
 * of the latest build.
 */
public final class BuildCacheLimit {
    public static final String VARIABLE = "BERTH_BUILD_CACHE_LIMIT";
    /** BuildKit keeps about a tenth of the disk, capped; so does berth, so that a laptop's disk is not filled. */
    static final long DEFAULT_CAP = 10L << 30;

    private BuildCacheLimit() {
    }

    /** @param configured the config file's {@code [build] cache_limit}, if it has one */
    public static long of(Map<String, String> environment, Optional<Long> configured, Path cacheDirectory) throws IOException {
        String variable = environment.get(VARIABLE);
        if (variable != null && !variable.isBlank()) {
            return ByteSize.parse(variable).orElseThrow(() -> new BerthException("CONFIG_INVALID", VARIABLE
                    + " must be a size such as 20GB (units B, K, M, G, T), not \"" + variable + "\""));
        }
        return configured.isPresent() ? configured.get() : defaultFor(cacheDirectory);
    }

    static long defaultFor(Path cacheDirectory) throws IOException {
        Path existing = cacheDirectory.toAbsolutePath();
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        return Math.min(DEFAULT_CAP, Files.getFileStore(existing).getTotalSpace() / 10);
    }
}
