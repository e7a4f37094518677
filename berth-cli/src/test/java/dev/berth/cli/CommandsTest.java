package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The image commands as a user drives them: list, inspect, tag, rmi, prune, version, data directory. */
class CommandsTest {
    @TempDir
    static Path shared;
    static Path layout;

    @TempDir
    Path temp;

    @BeforeAll
    static void buildImage() throws IOException {
        layout = UmociImages.busybox(shared.resolve("layout"), "latest", 0);
    }

    private static JsonNode json(String text) {
        return Json.tree(text.getBytes(StandardCharsets.UTF_8), "output");
    }

    @Test
    void imagesListsNamesTagsDigestsAndSizesAsTableAndJson() {
        Berth berth = new Berth(temp.resolve("data"));
        berth.ok("import", layout.toString(), "--name", "localhost:5000/lab/tool:v1");
        String table = berth.ok("images").stdout();
        assertThat(table.lines().findFirst().orElseThrow()).startsWith("REPOSITORY").contains("TAG", "DIGEST", "SIZE", "CREATED");
        assertThat(table).contains("localhost:5000/lab/tool").contains("v1").contains("MB");

        JsonNode rows = json(berth.ok("images", "--json").stdout());
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.get("name").textValue()).isEqualTo("localhost:5000/lab/tool:v1");
        assertThat(row.get("digest").textValue()).startsWith("sha256:");
        assertThat(row.get("size").longValue()).isGreaterThan(500_000);
        assertThat(row.get("created").textValue()).isNotEmpty();
    }

    @Test
    void inspectShowsManifestConfigAndLayers() {
        Berth berth = new Berth(temp.resolve("data"));
        berth.ok("import", layout.toString(), "--name", "tool");
        JsonNode inspect = json(berth.ok("inspect", "tool").stdout());
        assertThat(inspect.get("name").textValue()).isEqualTo("docker.io/library/tool:latest");
        assertThat(inspect.get("manifest").get("schemaVersion").intValue()).isEqualTo(2);
        assertThat(inspect.get("config").get("config").get("Cmd").get(0).textValue()).isEqualTo("/bin/sh");
        assertThat(inspect.get("config").get("config").get("Labels").get("org.opencontainers.image.licenses").textValue())
                .isEqualTo("GPL-2.0");
        assertThat(inspect.get("layers")).hasSize(1);
    }

    @Test
    void tagRmiAndPruneFreeContentOnlyWhenTheLastNameGoes() {
        Berth berth = new Berth(temp.resolve("data"));
        berth.ok("import", layout.toString(), "--name", "tool:1");
        berth.ok("tag", "tool:1", "tool:stable");
        assertThat(berth.ok("rmi", "tool:1").stdout()).contains("Untagged: tool:1");
        assertThat(berth.ok("prune").stdout()).contains("Deleted 0 blobs");
        berth.ok("inspect", "tool:stable");

        assertThat(berth.ok("rmi", "tool:stable").stdout()).contains("Untagged: tool:stable");
        assertThat(berth.ok("prune").stdout()).contains("Deleted 3 blobs");
        assertThat(berth.run("inspect", "tool:stable").stderr()).contains("no image \"tool:stable\"");
        assertThat(berth.run("rmi", "tool:stable").exitCode()).isEqualTo(1);
    }

    @Test
    void rmiByDigestRemovesEveryNameOfThatImage() {
        Berth berth = new Berth(temp.resolve("data"));
        berth.ok("import", layout.toString(), "--name", "a:1");
        berth.ok("tag", "a:1", "b:2");
        String digest = json(berth.ok("inspect", "a:1").stdout()).get("digest").textValue();
        assertThat(berth.ok("rmi", digest.substring(7, 19)).stdout()).contains("Untagged: a:1").contains("Untagged: b:2");
        assertThat(json(berth.ok("images", "--json").stdout())).isEmpty();
    }

    @Test
    void dataDirectoryComesFromTheFlagThenTheEnvironmentThenXdg() {
        Path fromEnv = temp.resolve("env");
        Path fromXdg = temp.resolve("xdg");
        Berth.process(temp, Map.of("BERTH_DATA_DIR", fromEnv.toString()), "import", layout.toString(), "--name", "env-image")
                .assertSuccess("import with BERTH_DATA_DIR");
        assertThat(fromEnv.resolve("store/refs.json")).content().contains("env-image");

        Berth.process(temp, Map.of("XDG_DATA_HOME", fromXdg.toString()), "import", layout.toString(), "--name", "xdg-image")
                .assertSuccess("import with XDG_DATA_HOME");
        assertThat(fromXdg.resolve("berth/store/refs.json")).content().contains("xdg-image");

        Tools.Result flagWins = Berth.process(temp, Map.of("BERTH_DATA_DIR", fromEnv.toString()),
                "images", "--data-dir", fromXdg.resolve("berth").toString());
        assertThat(flagWins.stdout()).contains("xdg-image").doesNotContain("env-image");
    }

    @Test
    void versionAndUsageErrors() {
        Berth berth = new Berth(temp.resolve("data"));
        assertThat(berth.ok("version").stdout()).startsWith("berth ").contains("java 25");
        assertThat(berth.ok("images", "--help").stdout()).startsWith("Usage: berth images");
        assertThat(berth.ok("--help").stdout()).contains("import", "images", "pull", "run", "serve");
        Tools.Result unknown = berth.run("frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("frobnicate");
    }
}
