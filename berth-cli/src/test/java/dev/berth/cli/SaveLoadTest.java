package dev.berth.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code berth save IMG... > x.tar}, {@code berth load < x.tar}, and {@code -} for standard
 * input and output, as Docker users type them: through a pipe, a redirect and a file, in a shell.
 */
class SaveLoadTest {
    @TempDir
    static Path shared;
    static Path layout;

    @TempDir
    Path temp;

    @BeforeAll
    static void buildImage() throws IOException {
        layout = UmociImages.busybox(shared.resolve("layout"), "latest", 0);
    }

    private Tools.Result sh(String script) {
        String berth = JavaCommand.berth() + " --data-dir";
        return Tools.run(temp, Map.of(), List.of("bash", "-o", "pipefail", "-c", script
                .replace("FROM ", berth + " " + temp.resolve("from") + " ").replace("TO ", berth + " " + temp.resolve("to") + " ")));
    }

    @Test
    void savedImagesLoadElsewhereThroughRedirectsPipesAndDash() {
        new Berth(temp.resolve("from")).ok("import", layout.toString(), "--name", "lab/a:1");
        new Berth(temp.resolve("from")).ok("tag", "lab/a:1", "lab/b:2");

        sh("FROM save lab/a:1 lab/b:2 > both.tar").assertSuccess("save to a redirect");
        assertThat(Tools.ok(temp, "tar", "-tf", "both.tar").stdout().lines()).contains("manifest.json");
        assertThat(sh("TO load < both.tar").assertSuccess("load from a redirect").stdout().lines())
                .containsExactly("Loaded image: lab/a:1 (" + digest("to", "lab/a:1") + ")",
                        "Loaded image: lab/b:2 (" + digest("to", "lab/a:1") + ")");

        sh("FROM save lab/a:1 | TO load -q").assertSuccess("save into a pipe that load reads");
        sh("FROM export lab/a:1 - | TO import - --name piped:1").assertSuccess("export - | import -");
        // a docker-archive keeps no manifest: what stays is the config, Docker's image ID
        assertThat(configDigest("to", "piped:1")).as(() -> sh("TO inspect piped:1").stdout() + sh("FROM inspect lab/a:1").stdout())
                .isEqualTo(configDigest("from", "lab/a:1"));
        sh("FROM save -o saved.tar lab/b:2 && TO load -i saved.tar").assertSuccess("-o and -i");
        assertThat(temp.resolve("to/store/tmp")).as("the copy of what the pipe brought is gone").isEmptyDirectory();
    }

    @Test
    void aTruncatedStreamIsRefusedInOneLineAndLoadsNothing() {
        new Berth(temp.resolve("from")).ok("import", layout.toString(), "--name", "lab/a:1");
        sh("FROM save lab/a:1 > whole.tar && head -c 100000 whole.tar > cut.tar").assertSuccess("cut an archive");
        Tools.Result cut = sh("cat cut.tar | TO load");
        assertThat(cut.exitCode()).isEqualTo(1);
        assertThat(cut.stderr()).startsWith("berth: ");
        assertThat(cut.stderr().strip().lines()).hasSize(1);
        assertThat(sh("TO images -q").stdout()).isEmpty();
        assertThat(temp.resolve("to/store/tmp")).isEmptyDirectory();
    }

    private String configDigest(String store, String image) {
        return sh(store.toUpperCase() + " inspect -f '{{.manifest.config.digest}}' " + image).assertSuccess("inspect").stdout().strip();
    }

    private String digest(String store, String image) {
        return sh(store.toUpperCase() + " inspect -f '{{.Id}}' " + image).assertSuccess("inspect").stdout().strip();
    }
}
