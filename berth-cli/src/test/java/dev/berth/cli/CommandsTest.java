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
    void imagesFiltersAndFormatsAsDockerDoes() throws IOException {
        Berth berth = new Berth(temp.resolve("data"));
        Path old = UmociImages.busybox(temp.resolve("old-layout"), "latest", 0);
        Tools.ok(temp, "umoci", "config", "--image", old + ":latest", "--created", "2020-01-01T00:00:00Z");
        berth.ok("import", old.toString(), "--name", "lab/old:1");
        berth.ok("import", layout.toString(), "--name", "lab/tool:v1");
        berth.ok("tag", "lab/tool:v1", "lab/tool:v2");
        berth.ok("import", layout.toString(), "--name", "other/tool:v1");

        assertThat(berth.ok("images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", "reference=lab/*").stdout().lines())
                .containsExactlyInAnyOrder("lab/old:1", "lab/tool:v1", "lab/tool:v2");
        assertThat(berth.ok("images", "--format", "{{.Repository}}:{{.Tag}}", "-f", "reference=*/tool:v1").stdout().lines())
                .containsExactlyInAnyOrder("lab/tool:v1", "other/tool:v1");
        assertThat(berth.ok("images", "--format", "{{.Tag}}", "--filter", "before=lab/tool:v1").stdout().lines())
                .containsExactly("1");
        assertThat(berth.ok("images", "--format", "{{.Repository}}", "--filter", "since=lab/old:1", "--filter", "reference=lab/*")
                .stdout().lines()).containsExactly("lab/tool", "lab/tool");
        assertThat(berth.ok("images", "--filter", "dangling=true", "-q").stdout()).isEmpty();

        String digest = json(berth.ok("inspect", "lab/tool:v1").stdout()).get("digest").textValue();
        assertThat(berth.ok("images", "-q", "--no-trunc").stdout().lines()).hasSize(2).contains(digest);
        assertThat(berth.ok("images", "-q", "--filter", "reference=other/*").stdout().strip()).isEqualTo(digest.substring(7, 19));

        String table = berth.ok("images", "--format", "table {{.ID}}\\t{{.Repository}}", "-f", "reference=other/*").stdout();
        assertThat(table.lines()).containsExactly("IMAGE ID       REPOSITORY", digest.substring(7, 19) + "   other/tool");
        Tools.Result unknownKey = berth.run("images", "--filter", "label=x");
        assertThat(unknownKey.exitCode()).isEqualTo(2);
        assertThat(unknownKey.stderr()).contains("unknown key \"label\"");
    }

    @Test
    void importNamesTheImagesOfALayoutAsCopyDoesAndGivesOneNameToOneImageOnly() {
        Berth berth = new Berth(temp.resolve("data"));
        Path two = temp.resolve("Two Tools");
        berth.ok("copy", "oci:" + layout + ":latest", "oci:" + two + ":a");
        berth.ok("copy", "oci:" + layout + ":latest", "oci:" + two + ":b");

        assertThat(berth.ok("import", two.toString()).stdout().lines()).as("the names the layout records")
                .hasSize(2).anyMatch(line -> line.startsWith("Loaded image: layout:a (sha256:"))
                .anyMatch(line -> line.startsWith("Loaded image: layout:b (sha256:"));
        Path bare = temp.resolve("Bare Tags");
        Tools.ok(temp, "cp", "-r", layout.toString(), bare.toString()); // umoci records bare tags: "latest"
        assertThat(berth.ok("import", bare.toString()).stdout()).as("a bare tag: named after the directory")
                .startsWith("Loaded image: bare-tags:latest (sha256:");
        assertThat(berth.ok("copy", "oci:" + bare + ":latest", "berth:").stdout()).as("as copy names it").contains("bare-tags:latest");

        Tools.Result named = berth.run("import", two.toString(), "--name", "one:1");
        assertThat(named.exitCode()).isEqualTo(1);
        assertThat(named.stderr()).isEqualTo("berth: oci:" + two + " holds 2 images; only one can be given a name "
                + "(leave the name out to keep their own)\n");
        assertThat(berth.ok("images", "-q", "--filter", "reference=one").stdout()).isEmpty();
    }

    @Test
    void inspectFormatReadsBerthsAndDockersFieldNames() {
        Berth berth = new Berth(temp.resolve("data"));
        berth.ok("import", layout.toString(), "--name", "tool");
        assertThat(berth.ok("inspect", "--format", "{{.Config.Env}} {{.Os}}/{{.Architecture}} {{json .Config.Cmd}}", "tool")
                .stdout()).isEqualTo("[PATH=/bin] linux/amd64 [\"/bin/sh\"]\n");
        assertThat(berth.ok("inspect", "-f", "{{index .config.config.Labels \"org.opencontainers.image.licenses\"}}", "tool")
                .stdout()).isEqualTo("GPL-2.0\n");
        assertThat(berth.ok("inspect", "-f", "{{.Id}}", "tool").stdout().strip())
                .isEqualTo(json(berth.ok("inspect", "tool").stdout()).get("digest").textValue());
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
        assertThat(berth.ok("rmi", "-f", "tool:stable").stdout()).isEmpty();
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
    void helpAndInfoSayWhatBerthIsAndWhatItFound() {
        Berth berth = new Berth(temp.resolve("data"));
        assertThat(berth.ok("help", "pull").stdout()).isEqualTo(berth.ok("pull", "--help").stdout()).startsWith("Usage: berth pull");
        assertThat(berth.ok("help", "system", "prune").stdout()).startsWith("Usage: berth system prune");
        assertThat(berth.ok("help").stdout()).contains("pull", "system", "info");
        assertThat(berth.run("help", "pul").stderr()).contains("did you mean 'pull'?");

        JsonNode info = json(berth.ok("info", "--json").stdout());
        assertThat(info.get("paths").get("data").asText()).isEqualTo(temp.resolve("data").toString());
        assertThat(info.get("tools").get("bwrap").asText()).endsWith("/bwrap");
        assertThat(info.get("features").get("user namespaces").asText()).startsWith("yes");
        assertThat(berth.ok("info").stdout()).contains("paths:", "tools:", "features:", "  squashfuse_ll: ");
    }

    @Test
    void versionAndUsageErrors() {
        Berth berth = new Berth(temp.resolve("data"));
        assertThat(berth.ok("version").stdout()).startsWith("berth ").contains("java 25");
        assertThat(berth.ok("images", "--help").stdout()).startsWith("Usage: berth images");
        assertThat(berth.ok("--help").stdout()).contains("import", "images", "pull", "run", "serve");
        Tools.Result unknown = berth.run("frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("frobnicate").doesNotContain("did you mean");
        Tools.Result typo = berth.run("pul", "x");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.stderr()).contains("unknown command 'pul'; did you mean 'pull'?");
        assertThat(berth.run("images", "--quite").stderr()).contains("unknown option --quite; did you mean '--quiet'?");
    }
}
