package dev.berth.cli.runtime;

import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prepared images that changed after berth prepared them, and shared caches that someone other
 * than their maintainer could have changed: berth must notice, say so in one line, and run a
 * fresh preparation instead. Each change is made the way a stray process would, including
 * setting the modification time back afterwards.
 */
class PreparedImageIntegrityTest {
    private static final String IMAGE = "integrity:1";
    private static UnprivilegedUser user;
    private static String home;

    @BeforeAll
    static void createUserAndImage() throws Exception {
        user = UnprivilegedUser.create();
        home = user.home();
        Path layout = user.workspace().resolve("layout");
        UmociImages.busybox(layout, "test", 0);
        Tools.ok(user.workspace(), "chmod", "-R", "a+rX", user.workspace().toString());
        ok(home, "berth rmi " + IMAGE + " >/dev/null 2>&1; berth import " + layout + " --name " + IMAGE);
    }

    @AfterAll
    static void removeWorkspace() {
        user.close();
    }

    private static Tools.Result ok(String dir, String commandLine) {
        return user.sh(dir, commandLine).assertSuccess(commandLine);
    }

    private static String directory(String name) {
        return ok(home, "d=$(mktemp -d -p " + user.scratch() + " --suffix=-" + name + ") && chmod 755 $d && echo $d").stdout().strip();
    }

    /** Appends a byte to {@code file} and sets its modification time back, as a careless or hostile writer might. */
    private static String tamper(String file) {
        String times = user.scratch() + "/times-of-tampered-file";
        return "chmod u+w " + file + " && touch -r " + file + " " + times + " && printf x >> " + file
                + " && touch -r " + times + " " + file + " && rm " + times;
    }

    @Test
    void anExtractedTreeChangedOnTheHostIsExtractedAgainBeforeItRuns() {
        String cache = directory("tree-cache");
        String env = "BERTH_CACHE_DIR=" + cache + " ";
        ok(home, env + "berth exec " + IMAGE + " busybox true");
        String busybox = ok(home, "echo " + cache + "/sandboxes/*/root/bin/busybox").stdout().strip();
        String size = ok(home, "stat -c %s " + busybox).stdout();
        ok(home, tamper(busybox));

        Tools.Result run = ok(home, env + "berth exec " + IMAGE + " busybox echo ran");
        assertThat(run.stdout()).isEqualTo("ran\n");
        assertThat(run.stderr()).contains("changed since it was extracted; extracting").hasLineCount(1);
        assertThat(ok(home, "stat -c %s " + busybox).stdout()).as("the extracted tree is the image's again").isEqualTo(size);

        ok(home, "for bin in " + cache + "/sandboxes/*/root/bin; do chmod u+w $bin && touch $bin/planted; done");
        run = ok(home, env + "berth exec " + IMAGE + " sh -c 'test -e /bin/planted && echo planted || echo clean'");
        assertThat(run.stdout()).isEqualTo("clean\n");
        assertThat(run.stderr()).contains("changed since it was extracted");
        assertThat(ok(home, env + "berth exec " + IMAGE + " busybox echo again").stderr()).as("an intact tree is used quietly").isEmpty();
    }

    @Test
    void aConvertedImageChangedOnTheHostIsConvertedAgainBeforeItRuns() {
        String cache = directory("file-cache");
        String env = "BERTH_CACHE_DIR=" + cache + " ";
        ok(home, env + "berth exec --fuse " + IMAGE + " busybox true");
        String converted = ok(home, "echo " + cache + "/images/*.sqfs").stdout().strip();
        ok(home, tamper(converted));

        Tools.Result run = ok(home, env + "berth exec --fuse " + IMAGE + " busybox echo ran");
        assertThat(run.stdout()).isEqualTo("ran\n");
        assertThat(run.stderr()).contains("is not what berth wrote").contains("converting it again").hasLineCount(1);
        assertThat(ok(home, "cd " + cache + "/images && sha256sum -c *.sha256").stdout()).as("a new file, as recorded")
                .contains(": OK");
    }

    @Test
    void aSharedCacheIsUsedOnlyWhileNobodyButItsMaintainerCanChangeIt() {
        String filled = directory("maintainer-cache");
        ok(home, "BERTH_CACHE_DIR=" + filled + " berth exec --fuse " + IMAGE + " busybox true");
        String shared = directory("shared");
        // the root file system, its record, and the image's metadata beside it
        ok(home, "mkdir " + shared + "/images && cp " + filled + "/images/*.sqfs " + filled + "/images/*.sha256 " + filled
                + "/images/*.runtime " + filled + "/images/*.json " + shared + "/images/ && chmod -R go-w " + shared
                + " && chmod a-w " + shared + "/images/*");
        String file = ok(home, "echo " + shared + "/images/*.sqfs").stdout().strip();

        assertThat(runWithShared(shared, "trusted")).as("a trustworthy shared file is used without converting")
                .doesNotContain("not using");
        String[][] attacks = {
                {"chmod g+w " + shared + "/images", "can be written by users other than its owner"},
                {"chmod o+w " + file, "can be written by users other than its owner"},
                {"chmod o+w " + file + ".*.runtime", "runtime can be written by users other than its owner"},
                {"mv " + file + ".sha256 " + shared + "/record", "digest record " + file.substring(file.lastIndexOf('/') + 1)
                        + ".sha256 is missing"},
                {"chmod u+w " + file + " && cp " + file + " " + shared + "/copy && " + tamper(file) + " && chmod a-w " + file,
                        "its content is not the one its digest record names"},
                {"mv " + shared + "/images " + shared + "/real && ln -s real " + shared + "/images", "is a symbolic link"},
        };
        String[] undo = {
                "chmod g-w " + shared + "/images",
                "chmod o-w " + file,
                "chmod o-w " + file + ".*.runtime",
                "mv " + shared + "/record " + file + ".sha256",
                "chmod u+w " + file + " && mv " + shared + "/copy " + file + " && chmod a-w " + file,
                "rm " + shared + "/images && mv " + shared + "/real " + shared + "/images",
        };
        for (int i = 0; i < attacks.length; i++) {
            ok(home, attacks[i][0]);
            String stderr = runWithShared(shared, "attack-" + i);
            assertThat(stderr).as(attacks[i][0]).hasLineCount(1).contains("not using " + file + " from the shared cache")
                    .contains(attacks[i][1]).contains("preparing the image privately");
            ok(home, undo[i]);
        }
        if ("root".equals(System.getProperty("user.name"))) {
            Tools.ok(user.workspace(), "chown", "nobody", file);
            assertThat(runWithShared(shared, "foreign-owner")).contains("belongs to uid 65534");
        }
    }

    /** Runs the image with the shared cache and a fresh own cache; returns stderr after checking the run worked. */
    private static String runWithShared(String shared, String name) {
        String own = directory(name);
        Tools.Result run = ok(home, "BERTH_CACHE_DIR=" + own + " BERTH_SHARED_CACHE=" + shared + " berth exec --fuse " + IMAGE
                + " busybox echo ran");
        assertThat(run.stdout()).isEqualTo("ran\n");
        boolean convertedPrivately = !ok(home, "ls " + own + "/images 2>/dev/null || true").stdout().isBlank();
        assertThat(convertedPrivately).as("converted into the user's own cache").isEqualTo(run.stderr().contains("not using"));
        return run.stderr();
    }
}
