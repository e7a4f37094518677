package dev.berth.cli.runtime;

import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A conversion, an extraction or an import killed with SIGKILL at a random moment leaves
 * nothing behind once the same command has run again, and that run works.
 */
class KilledWorkTest {
    private static final String IMAGE = "killed:1";
    private static final int ROUNDS = 8;
    /** Enough random bytes that importing, converting and extracting each take a while. */
    private static final long LAYER_BYTES = 48L << 20;
    private static final Random RANDOM = new Random();

    private static UnprivilegedUser user;
    private static String home;
    private static Path layout;
    /** The image's store, in the workspace: other test classes reset the user's default one. */
    private static String withStore;

    @BeforeAll
    static void createUserAndImage() throws IOException {
        user = UnprivilegedUser.create();
        home = user.home();
        layout = user.workspace().resolve("layout");
        UmociImages.busybox(layout, "test", LAYER_BYTES);
        Tools.ok(user.workspace(), "chmod", "-R", "a+rX", layout.toString());
        withStore = "BERTH_DATA_DIR=" + newDirectory("data");
        ok(home, withStore + " berth import " + layout + " --name " + IMAGE);
    }

    @AfterAll
    static void removeWorkspace() {
        user.close();
    }

    private static Tools.Result ok(String dir, String commandLine) {
        return user.sh(dir, commandLine).assertSuccess(commandLine);
    }

    private static String newDirectory(String name) {
        return ok(home, "d=$(mktemp -d -p " + user.scratch() + " --suffix=-" + name + ") && chmod 755 $d && echo $d").stdout().strip();
    }

    @Test
    void aKilledImportLeavesNothingInTheStore() throws Exception {
        int killedMidWork = 0;
        long took = millisOf("berth --data-dir " + newDirectory("data") + " import " + layout + " --name " + IMAGE);
        for (int round = 0; round < ROUNDS; round++) {
            String data = newDirectory("data");
            String command = "berth --data-dir " + data + " import " + layout + " --name " + IMAGE;
            killedMidWork += killAtRandom(command, took);
            ok(home, command);
            assertNoLeftovers(data + "/store");
            assertThat(ok(home, "ls -A " + data + "/store/staging").stdout()).as("staging after round " + round).isEmpty();
            assertThat(ok(home, "cd " + data + "/store && stat -c '%a %n' . blobs blobs/* staging").stdout().lines())
                    .as("the store is private").allMatch(line -> line.startsWith("700 "));
            assertThat(ok(home, "berth --data-dir " + data + " images").stdout()).contains("killed");
        }
        assertThat(killedMidWork).as("kills that landed while berth ran").isPositive();
    }

    @Test
    void aKilledConversionLeavesNothingInTheCacheOrBesideTheOutput() throws Exception {
        int killedMidWork = 0;
        long took = millisOf(withStore + " BERTH_CACHE_DIR=" + newDirectory("convert-cache") + " berth convert " + IMAGE + " -o "
                + newDirectory("out") + "/x.img");
        for (int round = 0; round < ROUNDS; round++) {
            String cache = newDirectory("convert-cache");
            String out = newDirectory("out");
            String command = withStore + " BERTH_CACHE_DIR=" + cache + " berth convert " + IMAGE + " -o " + out + "/x.img";
            killedMidWork += killAtRandom(command, took);
            ok(home, command);
            assertNoLeftovers(cache);
            assertNoLeftovers(out);
            ok(home, "BERTH_CACHE_DIR=" + cache + " berth exec " + out + "/x.img busybox true");
        }
        assertThat(killedMidWork).as("kills that landed while berth ran").isPositive();
    }

    @Test
    void aKilledFirstRunLeavesNothingInTheCache() throws Exception {
        int killedMidWork = 0;
        long took = millisOf(withStore + " BERTH_CACHE_DIR=" + newDirectory("exec-cache") + " berth exec " + IMAGE + " busybox true");
        for (int round = 0; round < ROUNDS; round++) {
            String cache = newDirectory("exec-cache");
            String command = withStore + " BERTH_CACHE_DIR=" + cache + " berth exec " + IMAGE + " busybox true";
            killedMidWork += killAtRandom(command, took);
            ok(home, command);
            assertNoLeftovers(cache);
        }
        assertThat(killedMidWork).as("kills that landed while berth ran").isPositive();
    }

    /** How long {@code command} takes when nothing stops it: the kills below land at random within that time. */
    private static long millisOf(String command) {
        long start = System.nanoTime();
        ok(home, command);
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * Starts {@code command} as the user and SIGKILLs its JVM at a random moment within the
     * middle eight tenths of {@code tookMillis}, how long it takes unstopped; 1 if it was still running.
     */
    private static int killAtRandom(String command, long tookMillis) throws Exception {
        Process shell = user.start(home, command + " >/dev/null 2>&1");
        try {
            Thread.sleep(tookMillis / 10 + RANDOM.nextLong(tookMillis * 8 / 10 + 1));
            List<ProcessHandle> berths = shell.toHandle().descendants()
                    .filter(p -> p.info().commandLine().map(line -> line.contains("dev.berth.cli.Main")).orElse(false))
                    .toList();
            berths.forEach(ProcessHandle::destroyForcibly);
            assertThat(shell.waitFor(60, TimeUnit.SECONDS)).as(command + " ended").isTrue();
            return berths.isEmpty() ? 0 : 1;
        } finally {
            shell.destroyForcibly();
        }
    }

    /** No temporary of berth's anywhere in {@code dir}, except inside the images it extracted. */
    private static void assertNoLeftovers(String dir) {
        String found = Tools.ok(Path.of("/"), "find", dir, "-maxdepth", "3", "-name", ".tmp-*").stdout();
        assertThat(found).as("leftovers in " + dir).isEmpty();
    }
}
