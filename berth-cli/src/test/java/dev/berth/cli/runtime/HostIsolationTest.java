package dev.berth.cli.runtime;

import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on the host from an image and from another user of the machine: an image whose
 * environment would configure berth's host processes, a container that rewrites berth's store,
 * cache and config, and a run directory that someone else created first.
 */
class HostIsolationTest {
    private static final String IMAGE = "iso:1";
    /** A library of every glibc system; preloaded into a process, it creates the file PCPROFILE_OUTPUT names. */
    private static final String PRELOADED = "/usr/lib/x86_64-linux-gnu/libpcprofile.so";
    private static UnprivilegedUser user;
    private static String home;
    private static Path planted;

    @BeforeAll
    static void createUserAndImage() throws Exception {
        user = UnprivilegedUser.create();
        home = user.home();
        planted = user.scratch().resolve("planted-by-preload");
        Path layout = user.workspace().resolve("layout");
        UmociImages.busybox(layout, "test", 0);
        Tools.ok(user.workspace(), "umoci", "config", "--image", layout + ":test",
                "--config.env", "LD_PRELOAD=" + PRELOADED, "--config.env", "PCPROFILE_OUTPUT=" + planted,
                "--config.env", "GCONV_PATH=/nonexistent");
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

    @Test
    void theImagesEnvironmentReachesOnlyTheContainer() {
        String dir = ok(home, "d=$(mktemp -d -p " + user.scratch() + ") && chmod 755 $d && echo $d").stdout().strip();
        ok(dir, "berth convert " + IMAGE + " -o tool.img --executable");
        for (String run : new String[] {"berth exec --contain --no-home --net none " + IMAGE, "berth exec " + IMAGE,
                "berth exec --fuse " + IMAGE, "berth exec --writable-tmpfs " + IMAGE, "berth exec tool.img", "./tool.img"}) {
            String inside = ok(dir, run + " busybox env").stdout();
            assertThat(inside.lines()).as(run).contains("LD_PRELOAD=" + PRELOADED, "PCPROFILE_OUTPUT=" + planted);
            assertThat(Files.exists(planted)).as("a host process of '" + run + "' loaded the image's LD_PRELOAD").isFalse();
        }
    }

    @Test
    void theEnvironmentIsNotOnAnyHostCommandLine() {
        ok(home, "berth exec " + IMAGE + " busybox true");
        // the secret is computed, so that it is not on the test's own command line
        String seen = ok(home, "SECRET_TOKEN=$(echo hunter | busybox tr a-z A-Z)-TOKEN berth exec --pid " + IMAGE
                + " sh -c 'busybox sleep 3 & busybox sleep 1; true' & busybox sleep 2; "
                + "cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' '; wait").stdout();
        assertThat(seen).contains("busybox sleep").doesNotContain("HUNTER-TOKEN");
    }

    @Test
    void aContainerCannotChangeBerthsStoreCacheOrConfig() {
        // no config directory yet: the container must not be able to create the config berth reads next
        ok(home, "rm -rf .config/berth && berth exec " + IMAGE + " busybox true");
        String before = ok(home, "find .local/share/berth .cache/berth -type f | sort | xargs md5sum").stdout();
        for (String target : new String[] {".local/share/berth/store/refs.json", ".cache/berth/images/planted", ".cache/berth/sandboxes/x",
                ".cache/berth/planted", ".config/berth/config.toml", "/tmp/berth-" + user.uid() + "/runs/planted",
                "/tmp/berth-" + user.uid() + "/launch/planted"}) {
            Tools.Result write = user.sh(home, "berth exec " + IMAGE + " sh -c 'echo attack > " + target + "'");
            assertThat(write.exitCode()).as("writing " + target + " from inside").isNotZero();
            assertThat(write.stderr()).contains("Read-only file system");
        }
        Tools.Result bound = user.sh(home, "berth exec --bind " + home + "/.local/share/berth:/store " + IMAGE
                + " sh -c 'echo attack > /store/store/refs.json'");
        assertThat(bound.exitCode()).isNotZero();
        assertThat(ok(home, "find .local/share/berth .cache/berth -type f | sort | xargs md5sum").stdout()).isEqualTo(before);
        assertThat(ok(home, "ls -A .config/berth").stdout()).isEmpty();
        // the rest of home stays writable, as Apptainer users expect
        ok(home, "berth exec " + IMAGE + " sh -c 'echo fine > $HOME/written-inside'");
        assertThat(ok(home, "cat written-inside").stdout()).isEqualTo("fine\n");
    }

    @Test
    void aRunDirectoryThatAnotherUserCreatedOrLinkedIsRefusedAndNothingIsChmodded() throws Exception {
        String runtime = "/tmp/berth-" + user.uid();
        Path victim = user.scratch().resolve("victim-file");
        ok(home, "echo mine > " + victim + " && chmod 644 " + victim);
        String[] attacks = {
                "ln -s " + victim + " " + runtime,
                "mkdir -m 0777 " + runtime,
        };
        // set aside, not removed: it may hold the mount of a run that is being cleaned up
        String asideName = runtime + "-set-aside";
        Tools.ok(user.workspace(), "sh", "-c", "test ! -e " + runtime + " || mv " + runtime + " " + asideName);
        try {
            for (String attack : attacks) {
                Tools.ok(user.workspace(), "rm", "-f", runtime);
                Tools.ok(user.workspace(), "sh", "-c", "test ! -d " + runtime + " || rmdir " + runtime);
                // a symbolic link anyone can make; a directory of another owner needs root to stage here
                if (attack.startsWith("mkdir") && !"root".equals(System.getProperty("user.name"))) {
                    continue;
                }
                Tools.ok(user.workspace(), "sh", "-c", attack);
                Tools.Result run = user.sh(home, "berth exec " + IMAGE + " busybox true");
                assertThat(run.exitCode()).as(attack).isEqualTo(1);
                assertThat(run.stderr()).as(attack).contains("berth will not use " + runtime);
                assertThat(ok(home, "stat -c %a " + victim).stdout().strip()).isEqualTo("644");
            }
        } finally {
            Tools.ok(user.workspace(), "sh", "-c", "rm -f " + runtime + "; test ! -d " + runtime + " || rmdir " + runtime
                    + "; test ! -e " + asideName + " || mv " + asideName + " " + runtime);
        }
        ok(home, "berth exec " + IMAGE + " busybox true");
        assertThat(ok(home, "stat -c '%a %U' " + runtime + " " + runtime + "/runs").stdout())
                .isEqualTo(("700 " + ok(home, "id -un").stdout().strip() + "\n").repeat(2));
    }
}
