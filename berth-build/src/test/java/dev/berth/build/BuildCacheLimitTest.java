package dev.berth.build;

import dev.berth.oci.BerthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuildCacheLimitTest {
    @TempDir
    Path temp;

    @Test
    void theVariableComesBeforeTheConfigFileAndTheConfigFileBeforeTheDefault() throws Exception {
        Path cache = temp.resolve("not-yet/build-cache");
        assertThat(BuildCacheLimit.of(Map.of(BuildCacheLimit.VARIABLE, "4KB"), Optional.of(1L << 30), cache)).isEqualTo(4096);
        assertThat(BuildCacheLimit.of(Map.of(BuildCacheLimit.VARIABLE, "0"), Optional.empty(), cache)).isZero();
        assertThat(BuildCacheLimit.of(Map.of(BuildCacheLimit.VARIABLE, ""), Optional.of(1L << 30), cache)).isEqualTo(1L << 30);
        assertThat(BuildCacheLimit.of(Map.of(), Optional.empty(), cache)).isEqualTo(BuildCacheLimit.defaultFor(cache));
    }

    @Test
    void theDefaultIsATenthOfTheFileSystemAtMostTenGiB() throws Exception {
        long tenth = Files.getFileStore(temp).getTotalSpace() / 10;
        assertThat(BuildCacheLimit.defaultFor(temp.resolve("build-cache"))).isEqualTo(Math.min(10L << 30, tenth)).isPositive();
    }

    @Test
    void aLimitThatIsNoSizeNamesTheVariable() {
        assertThatThrownBy(() -> BuildCacheLimit.of(Map.of(BuildCacheLimit.VARIABLE, "20"), Optional.empty(), temp))
                .isInstanceOf(BerthException.class)
                .hasMessage("BERTH_BUILD_CACHE_LIMIT must be a size such as 20GB (units B, K, M, G, T), not \"20\"");
    }
}
