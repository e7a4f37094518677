package dev.berth.build;

import dev.berth.runtime.cache.CacheShelf;
import dev.berth.runtime.cache.CachedEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A shelf of steps of 1000 bytes each, last used 1 to 5 days ago, brought under a limit. */
class StepCacheEvictionTest {
    @TempDir
    Path directory;

    private CacheShelf shelf() {
        return StepCache.shelf(directory);
    }

    /** A step of {@code size} bytes last used {@code daysAgo} days ago; its name is its key, {@code digit} 64 times. */
    private Path step(char digit, long size, int daysAgo) throws Exception {
        String key = String.valueOf(digit).repeat(64);
        Path entry = Files.createDirectory(directory.resolve(key));
        Files.write(entry.resolve("layer.tar.gz"), new byte[(int) size]);
        Path marker = Files.createFile(directory.resolve(key + ".used"));
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minus(Duration.ofDays(daysAgo))));
        return entry;
    }

    private Set<Character> left() throws Exception {
        return Set.copyOf(shelf().entries().stream().map(entry -> entry.name().charAt(0)).toList());
    }

    @Test
    void theStepsUsedLongestAgoGoUntilTheShelfIsUnderTheLimit() throws Exception {
        step('1', 1000, 1);
        step('2', 1000, 5);
        step('3', 1000, 3);
        step('4', 1000, 4);
        step('5', 1000, 2);

        StepCacheEviction.Evicted evicted = StepCacheEviction.evict(shelf(), 2500, Set.of());

        assertThat(evicted).isEqualTo(new StepCacheEviction.Evicted(3, 3000));
        assertThat(left()).containsExactlyInAnyOrder('1', '5');
        assertThat(shelf().entries().stream().mapToLong(CachedEntry::size).sum()).isLessThanOrEqualTo(2500);
    }

    @Test
    void aShelfUnderItsLimitKeepsEverything() throws Exception {
        step('1', 1000, 9);
        step('2', 1000, 8);

        assertThat(StepCacheEviction.evict(shelf(), 2000, Set.of())).isEqualTo(new StepCacheEviction.Evicted(0, 0));
        assertThat(left()).containsExactlyInAnyOrder('1', '2');
    }

    @Test
    void aStepInUseStaysAndTheNextOldestGoesInstead() throws Exception {
        Path oldest = step('a', 1000, 5);
        step('b', 1000, 4);
        step('c', 1000, 1);

        try (CacheShelf.Use ignored = CacheShelf.use(oldest)) {
            assertThat(StepCacheEviction.evict(shelf(), 2000, Set.of())).isEqualTo(new StepCacheEviction.Evicted(1, 1000));
        }

        assertThat(left()).containsExactlyInAnyOrder('a', 'c');
    }

    @Test
    void theStepsOfTheBuildThatJustEndedStayEvenOverTheLimit() throws Exception {
        step('a', 1000, 5);
        step('b', 1000, 4);
        step('c', 1000, 3);

        StepCacheEviction.Evicted evicted = StepCacheEviction.evict(shelf(), 0, Set.of("a".repeat(64), "c".repeat(64)));

        assertThat(evicted).isEqualTo(new StepCacheEviction.Evicted(1, 1000));
        assertThat(left()).containsExactlyInAnyOrder('a', 'c');
    }
}
