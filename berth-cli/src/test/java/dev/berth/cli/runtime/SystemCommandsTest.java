package dev.berth.cli.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import dev.berth.oci.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code berth system df} and {@code berth system prune} as an ordinary user: the figures are
 * those of the files on disk, a plain prune frees what no name reaches, --all the rest of the
 * caches, and nothing a running container uses is taken from it.
 */
class SystemCommandsTest {
    private static UnprivilegedUser user;
    private static String home;
    private static Path large;
    /** small:1's layers with another config: a manifest of its own, the same root file system. */
    private static Path variant;

    @BeforeAll
    static void createUserAndImages() throws Exception {
        user = UnprivilegedUser.create();
        home = user.home();
        Path small = UmociImages.busybox(user.workspace().resolve("small"), "1", 0);
        large = UmociImages.busybox(user.workspace().resolve("large"), "1", 3 << 20);
        variant = user.workspace().resolve("variant");
        Tools.ok(user.workspace(), "cp", "-r", small.toString(), variant.toString());
        Tools.ok(user.workspace(), "umoci", "config", "--image", variant + ":1", "--config.env", "GREETING=variant");
        Tools.ok(user.workspace(), "chmod", "-R", "a+rX", user.workspace().toString());
        ok("berth import " + small + " --name small:1");
    }

    /** Each test starts from the same store and empty caches, whichever ran before it. */
    @BeforeEach
    void sameStartingPoint() {
        ok("berth rmi -f cached:1 large:1 variant:1 >/dev/null && berth import " + large + " --name large:1 >/dev/null"
                + " && berth system prune --all >/dev/null");
    }

    @AfterAll
    static void removeUser() {
        user.close();
    }

    private static Tools.Result ok(String commandLine) {
        return user.sh(home, commandLine).assertSuccess(commandLine);
    }

    private static JsonNode df() {
        return Json.tree(ok("berth system df --json").stdout().getBytes(StandardCharsets.UTF_8), "df");
    }

    private static JsonNode cache(JsonNode df, String type) {
        for (JsonNode row : df.get("caches")) {
            if (row.get("type").asText().equals(type)) {
                return row;
            }
        }
        throw new AssertionError("no row " + type + " in " + df);
    }

    /** What du counts of the regular files under a directory of the user's cache. */
    private static long bytesOnDisk(String directory) {
        String sum = ok("find " + directory + " -type f ! -name '*.used' -printf '%s\\n' | awk '{s+=$1} END {print s+0}'").stdout();
        return Long.parseLong(sum.strip());
    }

    @Test
    void dfCountsWhatIsOnDiskAndPruneFreesWhatNoNameReachesThenEverything() {
        ok("berth exec small:1 busybox true && berth exec large:1 busybox true");
        JsonNode before = df();
        JsonNode prepared = cache(before, "prepared trees");
        JsonNode converted = cache(before, "converted images");
        assertThat(prepared.get("count").asInt()).isEqualTo(2);
        assertThat(converted.get("count").asInt()).isEqualTo(2);
        assertThat(prepared.get("size").asLong()).isEqualTo(bytesOnDisk(prepared.get("path").asText()));
        assertThat(converted.get("size").asLong()).isEqualTo(bytesOnDisk(converted.get("path").asText()));
        assertThat(prepared.get("reclaimable").asLong()).isZero();
        assertThat(before.get("store").get("reclaimable").asLong()).isZero();
        assertThat(ok("berth system df").stdout()).contains("TYPE", "local store", "converted images", "prepared trees", "build cache");

        ok("berth rmi large:1");
        JsonNode dangling = df();
        long largeTree = cache(dangling, "prepared trees").get("reclaimable").asLong();
        assertThat(largeTree).isGreaterThan(3 << 20);
        assertThat(dangling.get("store").get("reclaimable").asLong()).isGreaterThan(3 << 20);

        String pruned = ok("berth system prune").stdout();
        assertThat(pruned).contains("Removed 1 converted images", "Removed 1 prepared trees", "Removed 0 build cache");
        JsonNode after = df();
        assertThat(cache(after, "prepared trees").get("count").asInt()).isEqualTo(1);
        assertThat(cache(after, "prepared trees").get("size").asLong())
                .isEqualTo(prepared.get("size").asLong() - largeTree);
        assertThat(after.get("store").get("reclaimable").asLong()).isZero();
        assertThat(after.get("store").get("size").asLong())
                .isEqualTo(dangling.get("store").get("size").asLong() - dangling.get("store").get("reclaimable").asLong());
        assertThat(ok("berth exec small:1 busybox echo still-runs").stdout()).isEqualTo("still-runs\n");

        assertThat(ok("berth system prune --all --older-than 1d").stdout()).contains("Removed 0 converted images", "Removed 0 prepared trees");
        ok("berth system prune --all");
        JsonNode empty = df();
        assertThat(cache(empty, "prepared trees").get("count").asInt()).isZero();
        assertThat(cache(empty, "converted images").get("count").asInt()).isZero();
        assertThat(bytesOnDisk(cache(empty, "prepared trees").get("path").asText())).isZero();
        assertThat(ok("berth images -q").stdout().lines()).hasSize(1);
    }

    @Test
    void imagesThatShareTheirLayersAreConvertedAndPreparedOnceAndRunWithTheirOwnConfig() {
        ok("berth import " + variant + " --name variant:1");
        assertThat(ok("berth exec small:1 busybox sh -c 'echo ${GREETING:-none}'").stdout()).isEqualTo("none\n");
        assertThat(ok("berth exec variant:1 busybox sh -c 'echo $GREETING'").stdout()).isEqualTo("variant\n");
        JsonNode both = df();
        assertThat(cache(both, "converted images").get("count").asInt()).isEqualTo(1);
        assertThat(cache(both, "prepared trees").get("count").asInt()).isEqualTo(1);

        ok("berth rmi variant:1");
        JsonNode one = df();
        assertThat(cache(one, "converted images").get("reclaimable").asLong()).as("small:1 still has it").isZero();
        assertThat(cache(one, "prepared trees").get("reclaimable").asLong()).isZero();
        assertThat(ok("berth system prune").stdout()).contains("Removed 0 converted images", "Removed 0 prepared trees");
        assertThat(ok("berth exec small:1 busybox echo still-runs").stdout()).isEqualTo("still-runs\n");
    }

    @Test
    void aTreeARunningContainerUsesIsKept() {
        String dir = ok("d=$(mktemp -d -p " + user.scratch() + ") && chmod 755 $d && echo $d").stdout().strip();
        String script = String.join("\n",
                "berth exec --bind " + dir + ":/signal small:1 busybox sh -c 'busybox touch /signal/started; busybox sleep 4' &",
                "for i in $(seq 100); do [ -e " + dir + "/started ] && break; busybox sleep 0.1; done",
                "berth system prune --all",
                "wait",
                "berth system prune --all");
        String out = ok(script).stdout();
        assertThat(out).contains("Removed 0 prepared trees, 0B (1 in use, kept)");
        assertThat(out.lines().filter(line -> line.startsWith("Removed 1 prepared trees"))).hasSize(1);
    }

    @Test
    void theBuildCacheIsCountedAndEmptiedByAll() {
        ok("mkdir -p ctx && printf 'FROM small:1\\nRUN echo cached > /cached.txt\\n' > ctx/Dockerfile && berth build -t cached:1 ctx");
        JsonNode build = cache(df(), "build cache");
        assertThat(build.get("count").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(build.get("size").asLong()).isEqualTo(bytesOnDisk(build.get("path").asText()));
        assertThat(ok("berth system prune").stdout()).contains("Removed 0 build cache");
        assertThat(ok("berth system prune --all").stdout()).contains("Removed " + build.get("count").asInt() + " build cache");
        assertThat(cache(df(), "build cache").get("count").asInt()).isZero();
        Tools.Result bad = user.sh(home, "berth system prune --older-than soon");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).startsWith("berth: --older-than takes a number and a unit");
    }

    /**
     * Each step copies 3000 random bytes, which gzip cannot shrink: one step fits a 5 KiB limit,
     * two do not, so the second build removes the first build's step and says so.
     */
    @Test
    void aBuildRemovesTheOldestStepsOnceTheBuildCacheIsOverItsLimit() {
        ok("for d in one two; do mkdir -p $d && head -c 3000 /dev/urandom > $d/data"
                + " && printf 'FROM small:1\\nCOPY data /data\\n' > $d/Dockerfile; done");
        String limited = "BERTH_BUILD_CACHE_LIMIT=5KB ";
        assertThat(ok(limited + "berth build -t cached:1 one").stdout()).doesNotContain("build cache over");
        assertThat(cache(df(), "build cache").get("count").asInt()).isEqualTo(1);

        String second = ok(limited + "berth build -t cached:1 two").stdout();
        assertThat(second.lines().filter(line -> line.matches(
                "berth: build cache over its 5\\.0 KiB limit: removed 1 old step \\([0-9.]+ KiB\\)"))).hasSize(1);
        JsonNode build = cache(Json.tree(ok(limited + "berth system df --json").stdout().getBytes(StandardCharsets.UTF_8), "df"),
                "build cache");
        assertThat(build.get("limit").asLong()).isEqualTo(5 << 10);
        assertThat(build.get("count").asInt()).isEqualTo(1);
        assertThat(build.get("size").asLong()).isLessThanOrEqualTo(5 << 10).isEqualTo(bytesOnDisk(build.get("path").asText()));
        assertThat(ok(limited + "berth system df").stdout()).contains("(limit 5.0 KiB)");

        String again = ok(limited + "berth build -t cached:1 one && berth exec cached:1 busybox wc -c /data").stdout();
        assertThat(again).doesNotContain("Using cache").contains("removed 1 old step", "3000 /data");
        assertThat(cache(df(), "build cache").get("limit").asLong()).isPositive();
    }

    @Test
    void aBuildCacheLimitThatIsNoSizeIsOneLineNamingTheVariableOrTheKey() {
        Tools.Result variable = user.sh(home, "mkdir -p ctx && printf 'FROM small:1\\n' > ctx/Dockerfile"
                + " && BERTH_BUILD_CACHE_LIMIT=lots berth build ctx");
        assertThat(variable.exitCode()).isEqualTo(1);
        assertThat(variable.stderr().strip())
                .isEqualTo("berth: BERTH_BUILD_CACHE_LIMIT must be a size such as 20GB (units B, K, M, G, T), not \"lots\"");
        Tools.Result key = user.sh(home, "printf '[build]\\ncache_limit = \"20\"\\n' > bad.toml && BERTH_CONFIG=$PWD/bad.toml berth build ctx");
        assertThat(key.exitCode()).isEqualTo(1);
        assertThat(key.stderr().strip()).isEqualTo("berth: " + home + "/bad.toml [build]: cache_limit must be a size such as"
                + " \"20GB\" (units B, K, M, G, T), not \"20\"");
    }
}
