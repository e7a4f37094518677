package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What berth writes, umoci and skopeo read, and the other way round, with digests unchanged. */
class InteropTest {
    @TempDir
    static Path shared;
    static Path umociLayout;
    static JsonNode umociIndexEntry;

    @TempDir
    Path temp;

    @BeforeAll
    static void buildImageWithUmoci() throws IOException {
        umociLayout = UmociImages.busybox(shared.resolve("umoci-layout"), "1.36", 0);
        umociIndexEntry = Json.tree(Files.readAllBytes(umociLayout.resolve("index.json")), "index").get("manifests").get(0);
    }

    private static String manifestDigest(JsonNode skopeoRawInspect) {
        return skopeoRawInspect.get("Digest").textValue();
    }

    @Test
    void umociImageImportsAndItsExportIsReadBySkopeoAndUmoci() throws IOException {
        Berth berth = new Berth(temp.resolve("data"));
        String originalDigest = umociIndexEntry.get("digest").textValue();
        assertThat(berth.ok("import", umociLayout.toString(), "--name", "busybox:1.36").stdout())
                .contains("Loaded image: busybox:1.36 (" + originalDigest + ")");
        assertThat(berth.ok("images").stdout()).contains("busybox").contains("1.36").contains(originalDigest.substring(7, 19));

        Path exported = temp.resolve("exported");
        berth.ok("export", "busybox:1.36", exported.toString());
        JsonNode inspected = Json.tree(Tools.ok(temp, "skopeo", "inspect", "oci:" + exported + ":1.36").stdout()
                .getBytes(StandardCharsets.UTF_8), "skopeo inspect");
        assertThat(manifestDigest(inspected)).isEqualTo(originalDigest);
        Tools.ok(temp, "skopeo", "copy", "oci:" + exported + ":1.36", "oci:" + temp.resolve("skopeo-copy") + ":x");

        Tools.ok(temp, "umoci", "unpack", "--rootless", "--image", exported + ":1.36", temp.resolve("bundle").toString());
        assertThat(temp.resolve("bundle/rootfs/bin/busybox")).hasSameBinaryContentAs(Path.of("/bin/busybox"));
    }

    @Test
    void dockerArchiveWrittenBySkopeoImportsWithItsConfigDigest() throws IOException {
        Path archive = temp.resolve("skopeo.tar");
        Tools.ok(temp, "skopeo", "copy", "oci:" + umociLayout + ":1.36", "docker-archive:" + archive + ":lab/busybox:sk");
        JsonNode original = Json.tree(Tools.ok(temp, "skopeo", "inspect", "--config", "--raw", "oci:" + umociLayout + ":1.36")
                .stdout().getBytes(StandardCharsets.UTF_8), "config");

        Berth berth = new Berth(temp.resolve("data"));
        assertThat(berth.ok("import", archive.toString()).stdout()).contains("Loaded image: lab/busybox:sk");
        JsonNode inspect = Json.tree(berth.ok("inspect", "lab/busybox:sk").stdout().getBytes(StandardCharsets.UTF_8), "inspect");
        assertThat(inspect.get("config")).isEqualTo(original);
        assertThat(inspect.get("layers").get(0).get("digest").textValue())
                .isEqualTo(original.get("rootfs").get("diff_ids").get(0).textValue());
    }

    @Test
    void dockerArchiveWrittenByBerthIsReadBySkopeoWithTheSameIdentity() throws IOException {
        Berth berth = new Berth(temp.resolve("data"));
        berth.ok("import", umociLayout.toString(), "--name", "registry.example.org/tools/busybox:2");
        Path archive = temp.resolve("berth.tar");
        berth.ok("export", "registry.example.org/tools/busybox:2", archive.toString());

        assertThat(Tools.ok(temp, "tar", "xOf", archive.toString(), "manifest.json").stdout())
                .contains("\"RepoTags\":[\"registry.example.org/tools/busybox:2\"]");
        String originalConfig = Tools.ok(temp, "skopeo", "inspect", "--config", "--raw", "oci:" + umociLayout + ":1.36").stdout();
        String archivedConfig = Tools.ok(temp, "skopeo", "inspect", "--config", "--raw", "docker-archive:" + archive).stdout();
        assertThat(archivedConfig).isEqualTo(originalConfig);

        Tools.ok(temp, "skopeo", "copy", "docker-archive:" + archive, "oci:" + temp.resolve("back") + ":b");
        Tools.ok(temp, "umoci", "unpack", "--rootless", "--image", temp.resolve("back") + ":b", temp.resolve("bundle").toString());
        assertThat(temp.resolve("bundle/rootfs/bin/busybox")).hasSameBinaryContentAs(Path.of("/bin/busybox"));

        Berth other = new Berth(temp.resolve("other"));
        other.ok("import", archive.toString());
        assertThat(other.ok("images").stdout()).contains("registry.example.org/tools/busybox");
    }
}
