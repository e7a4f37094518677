package dev.berth.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A full disk and a missing permission: one clear line, exit code 1, nothing lost. */
class FailureModesTest {
    @TempDir
    static Path shared;
    static Path smallLayout;
    static Path largeLayout;

    @TempDir
    Path temp;

    @BeforeAll
    static void buildImages() throws IOException {
        smallLayout = UmociImages.busybox(shared.resolve("small"), "latest", 0);
        largeLayout = UmociImages.busybox(shared.resolve("large"), "latest", 4 << 20);
    }

    /**
     * In a private mount namespace (unprivileged: {@code unshare -rm}) the data directory is a 3 MiB
     * tmpfs: the small image fits, the large one cannot.
     */
    @Test
    void fullDiskRefusesTheImportAndKeepsWhatWasThere() {
        Path data = temp.resolve("data");
        String berth = JavaCommand.berth();
        String script = String.join("\n",
                "set -u",
                "mkdir -p " + data + " && mount -t tmpfs -o size=3m tmpfs " + data,
                berth + " --data-dir " + data + " import " + smallLayout + " --name small || exit 10",
                "before=$(cd " + data + " && find . -type f ! -name '*.lock' -printf '%p %s\\n' | sort)",
                berth + " --data-dir " + data + " import " + largeLayout + " --name large 2>" + temp.resolve("err"),
                "echo \"exit=$?\"",
                "after=$(cd " + data + " && find . -type f ! -name '*.lock' -printf '%p %s\\n' | sort)",
                "[ \"$before\" = \"$after\" ] && echo store-unchanged",
                berth + " --data-dir " + data + " export small " + temp.resolve("small-out") + " >/dev/null && echo small-intact");
        Tools.Result result = Tools.run(temp, Map.of(), List.of("unshare", "-rm", "bash", "-c", script));
        assertThat(result.stdout()).as(result.stderr()).contains("exit=1", "store-unchanged", "small-intact");
        assertThat(temp.resolve("err")).content().startsWith("berth: ").contains("no space left on device")
                .satisfies(text -> assertThat(text.strip().lines()).hasSize(1));
    }

    /** The unprivileged user must reach the test's files to be refused for the right reason. */
    private void letOthersTraverseTemp() throws IOException {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void dataDirectoryWithoutWritePermission() throws IOException {
        letOthersTraverseTemp();
        Path data = Files.createDirectories(temp.resolve("readonly-data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-xr-xr-x"));
        Tools.Result result = JavaCommand.runAsUnprivileged(temp, "--data-dir", data.toString(), "import", smallLayout.toString(), "--name", "x");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("berth: ").contains("cannot create the image store").contains("permission denied");
        assertThat(result.stderr().strip().lines()).hasSize(1);
        assertThat(data).isEmptyDirectory();
    }

    @Test
    void sourceWithoutReadPermission() throws IOException {
        letOthersTraverseTemp();
        Path archive = temp.resolve("private.tar");
        new Berth(temp.resolve("setup")).ok("import", smallLayout.toString(), "--name", "x");
        new Berth(temp.resolve("setup")).ok("export", "x", archive.toString());
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-------"));
        Path data = Files.createDirectories(temp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        Tools.Result result = JavaCommand.runAsUnprivileged(temp, "--data-dir", data.toString(), "import", archive.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("berth: ").contains("permission denied").contains("private.tar");
        assertThat(result.stderr().strip().lines()).hasSize(1);
    }
}
