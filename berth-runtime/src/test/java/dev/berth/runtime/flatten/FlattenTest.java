package dev.berth.runtime.flatten;

import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The merged tree berth writes into squashfs, judged against umoci's unpack of the same image,
 * and the crafted layers berth must refuse or neutralise.
 */
class FlattenTest {
    @TempDir
    Path dir;

    @Test
    void multiLayerImageGivesExactlyUmocisTree() throws Exception {
        List<Path> layers = new ArrayList<>();
        try (TarLayer base = new TarLayer(dir.resolve("l1.tar.gz"))) {
            base.dir("a", 0755).dir("a/b", 0750).file("a/b/f1", 0644, "one").file("a/keep", 0600, "keep")
                    .dir("d", 0755).file("d/x", 0644, "x").file("d/y", 0644, "y")
                    .symlink("s", "a/b/f1").symlink("abs", "/etc/passwd")
                    .dir("e", 0755).file("e/old", 0644, "old").file("h", 0640, "hard")
                    .dir("bin", 0755).file("bin/tool", 0755, "#!/bin/sh\n");
            layers.add(base.file());
        }
        try (TarLayer middle = new TarLayer(dir.resolve("l2.tar.gz"))) {
            middle.file("a/.wh.keep", 0644, "").dir("d", 0700).file("d/.wh..wh..opq", 0644, "").file("d/z", 0644, "z")
                    .file("e", 0644, "e is a file now").file("a/b/f1", 0644, "one, changed")
                    .hardLink("h2", "h").dir("n", 0700).file("n/m", 0600, "m");
            layers.add(middle.file());
        }
        try (TarLayer top = new TarLayer(dir.resolve("l3.tar.gz"))) {
            top.file("a/.wh.b", 0644, "").dir("a/b2", 0755).file("a/b2/new", 0644, "new").file("./x y/space", 0644, "sp");
            layers.add(top.file());
        }

        Map<String, FileTree.Node> ours = withoutBerthFiles(FileTree.ofTar(sqfs2tar(squashfs(layers))));
        Map<String, FileTree.Node> umocis = FileTree.ofDirectory(umociUnpack(layers));

        assertThat(ours).isEqualTo(umocis);
        assertThat(ours).doesNotContainKeys("a/keep", "a/b/f1", "d/x", "e/old").containsKeys("d/z", "a/b2/new", "h2");
    }

    @Test
    void parentStepsOutOfTheRootAreRefusedNamingLayerAndPath() throws Exception {
        Path layer = layer("evil.tar.gz", l -> l.file("../../etc/cron.d/evil", 0644, "x"));
        assertUnsafe(layer, "../../etc/cron.d/evil");
    }

    @Test
    void writingThroughASymlinkInTheSameLayerIsRefused() throws Exception {
        Path layer = layer("evil.tar.gz", l -> l.symlink("etc", "/tmp/host-etc").file("etc/evil", 0644, "x"));
        assertUnsafe(layer, "etc/evil");
    }

    @Test
    void writingThroughASymlinkFromALowerLayerIsRefused() throws Exception {
        Path lower = layer("lower.tar.gz", l -> l.symlink("target", "/home"));
        Path upper = layer("upper.tar.gz", l -> l.file("target/victim/.bashrc", 0644, "x"));
        assertThatThrownBy(() -> squashfs(List.of(lower, upper)))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("layer " + upper.getFileName())
                .hasMessageContaining("target");
    }

    @Test
    void hardLinksOutOfTheImageAreRefused() throws Exception {
        assertUnsafe(layer("up.tar.gz", l -> l.hardLink("shadow", "../../etc/shadow")), "../../etc/shadow");
        assertUnsafe(layer("abs.tar.gz", l -> l.hardLink("shadow", "/etc/shadow")), "shadow");
    }

    @Test
    void deviceNodesAreNotCreatedAndSetuidBitsAreStripped() throws Exception {
        Path layer = layer("dev.tar.gz", l -> l.dir("dev", 0755).charDevice("dev/mem").file("bin/su", 04755, "su")
                .file("bin/wall", 02755, "wall"));
        Map<String, FileTree.Node> tree = FileTree.ofTar(sqfs2tar(squashfs(List.of(layer))));
        assertThat(tree).doesNotContainKey("dev/mem");
        assertThat(tree.get("bin/su").mode()).isEqualTo(0755);
        assertThat(tree.get("bin/wall").mode()).isEqualTo(0755);
    }

    @Test
    void aCorruptLayerFailsTheConversionAndLeavesNoImage() throws Exception {
        Path corrupt = dir.resolve("corrupt.tar.gz");
        byte[] bytes = new byte[100_000];
        new java.util.Random(1).nextBytes(bytes);
        bytes[0] = 0x1f;
        bytes[1] = (byte) 0x8b;
        Files.write(corrupt, bytes);
        assertThatThrownBy(() -> squashfs(List.of(corrupt))).isInstanceOf(IOException.class);
        try (var left = Files.list(dir)) {
            assertThat(left.filter(p -> p.toString().endsWith(".sqfs"))).isEmpty();
        }
    }

    @Test
    void aLaterEntryForTheSamePathInOneLayerWinsAsInUmoci() throws Exception {
        Path lower = layer("lower.tar.gz", l -> l.dir("keep", 0755).file("keep/low", 0644, "low").file("f", 0644, "lower f"));
        Path upper = layer("dups.tar.gz", l -> l.file("f", 0644, "first").file("f", 0600, "second")
                .dir("d", 0700).file("d/child", 0644, "c").dir("d", 0755)
                .dir("gone", 0755).file("gone/child", 0644, "vanishes").file("gone", 0644, "a file now")
                .file("was", 0644, "a file").dir("was", 0750).file("was/inside", 0644, "in")
                .file("keep/implied/x", 0644, "x").file("keep/implied", 0644, "replaces an implied directory")
                .symlink("s", "/etc").dir("s", 0755).file("s/ok", 0644, "not through the link"));
        // A layer above is written before the repeats are found: the conversion must start over cleanly.
        Path top = layer("top.tar.gz", l -> l.file("top", 0644, "top").file("keep/from-top", 0644, "t"));
        List<Path> layers = List.of(lower, upper, top);

        Map<String, FileTree.Node> ours = withoutBerthFiles(FileTree.ofTar(sqfs2tar(squashfs(layers))));

        assertThat(ours).isEqualTo(FileTree.ofDirectory(umociUnpack(layers)));
        assertThat(ours.get("f").size()).isEqualTo("second".length());
        assertThat(ours.get("f").mode()).isEqualTo(0600);
        assertThat(ours.get("d").mode()).isEqualTo(0755);
        assertThat(ours.get("gone").type()).isEqualTo("file");
        assertThat(ours.get("was").type()).isEqualTo("dir");
        assertThat(ours.get("s").type()).isEqualTo("dir");
        assertThat(ours).containsKeys("d/child", "was/inside", "s/ok", "keep/low", "top", "keep/from-top")
                .doesNotContainKeys("gone/child", "keep/implied/x");
    }

    @Test
    void aDirectoryAReplacedLinkLeavesIsNotWrittenThrough() throws Exception {
        Path layer = layer("relink.tar.gz", l -> l.dir("s", 0755).file("s/old", 0644, "old").symlink("s", "/etc")
                .file("x", 0644, "1").file("x", 0644, "2"));
        Map<String, FileTree.Node> tree = withoutBerthFiles(FileTree.ofTar(sqfs2tar(squashfs(List.of(layer)))));
        assertThat(tree.get("s").type()).isEqualTo("symlink");
        assertThat(tree).doesNotContainKey("s/old");
    }

    @Test
    void safetyRulesStillHoldInALayerThatRepeatsAPath() throws Exception {
        assertUnsafe(layer("link.tar.gz", l -> l.file("x", 0644, "1").file("x", 0644, "2")
                .symlink("etc", "/tmp/host-etc").file("etc/evil", 0644, "x")), "etc/evil");
        assertUnsafe(layer("hard.tar.gz", l -> l.dir("d", 0755).file("d/f", 0644, "f").hardLink("l", "d/f")
                .file("d", 0644, "d is a file now")), "d/f");
        assertUnsafe(layer("climb.tar.gz", l -> l.file("x", 0644, "1").file("x", 0644, "2")
                .file("a/../../escape", 0644, "x")), "a/../../escape");
    }

    @Test
    void anOpaqueWhiteoutAtTheLayerRootHidesEveryLowerLayer() throws Exception {
        for (String marker : List.of(".wh..wh..opq", "./.wh..wh..opq")) {
            Path bottom = layer("bottom.tar.gz", l -> l.file("old", 0644, "old").dir("etc", 0755).file("etc/passwd", 0644, "root"));
            Path middle = layer("middle.tar.gz", l -> l.file("bin/sh", 0755, "sh"));
            Path top = layer("top.tar.gz", l -> l.file(marker, 0644, "").file("etc/own", 0644, "own").file("new", 0644, "new"));
            Map<String, FileTree.Node> tree = withoutBerthFiles(FileTree.ofTar(sqfs2tar(squashfs(List.of(bottom, middle, top)))));
            assertThat(tree.keySet()).as(marker).containsExactlyInAnyOrder("etc", "etc/own", "new");
        }
    }

    @Test
    void aNameLongerThanSquashfsAllowsIsRefusedNamingLayerAndEntry() throws Exception {
        String longest = "a".repeat(255);
        Map<String, FileTree.Node> tree = FileTree.ofTar(sqfs2tar(squashfs(List.of(
                layer("fits.tar.gz", l -> l.file("dir/" + longest, 0644, "fits"))))));
        assertThat(tree).containsKey("dir/" + longest);

        String tooLong = "\u00e9".repeat(128); // 128 characters, 256 bytes of UTF-8
        Path layer = layer("long.tar.gz", l -> l.file("dir/" + tooLong + "/f", 0644, "x"));
        assertThatThrownBy(() -> squashfs(List.of(layer)))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("layer " + layer.getFileName())
                .hasMessageContaining("dir/" + tooLong + "/f")
                .hasMessageContaining("255");
    }

    @Test
    void aLayerWhoseContentIsNotItsDiffIdIsRefusedAndLeavesNoImage() throws Exception {
        Path honest = layer("honest.tar.gz", l -> l.file("etc/passwd", 0644, "root:x:0:0"));
        Path swapped = layer("swapped.tar.gz", l -> l.file("etc/passwd", 0644, "root::0:0"));
        Digest promised = Digest.of(uncompressed(honest));
        Digest actual = Digest.of(uncompressed(swapped));
        Layer lying = new Layer("sha256:lying-layer", swapped, promised);

        assertThatThrownBy(() -> squashfsOf(List.of(lying)))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("layer sha256:lying-layer")
                .hasMessageContaining(promised.toString())
                .hasMessageContaining(actual.toString());
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("sqfs") || n.startsWith(".tmp"));
        }
    }

    @Test
    void theDiffIdCoversTheTarsEndBlocks() throws Exception {
        Path layer = layer("layer.tar.gz", l -> l.file("f", 0644, "f"));
        byte[] tar = uncompressed(layer);
        byte[] withoutEnd = java.util.Arrays.copyOf(tar, 1024); // header and data block only
        assertThatThrownBy(() -> squashfsOf(List.of(new Layer("short", layer, Digest.of(withoutEnd)))))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining(Digest.of(tar).toString());
    }

    private static Map<String, FileTree.Node> withoutBerthFiles(Map<String, FileTree.Node> tree) {
        tree.keySet().removeIf(path -> path.equals(".berth") || path.startsWith(".berth/"));
        return tree;
    }

    private interface LayerContent {
        void write(TarLayer layer) throws IOException;
    }

    private Path layer(String name, LayerContent content) throws IOException {
        try (TarLayer layer = new TarLayer(dir.resolve(name))) {
            content.write(layer);
            return layer.file();
        }
    }

    private void assertUnsafe(Path layer, String path) {
        assertThatThrownBy(() -> squashfs(List.of(layer)))
                .isInstanceOf(BerthException.class)
                .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo("LAYER_UNSAFE"))
                .hasMessageContaining("layer " + layer.getFileName())
                .hasMessageContaining(path);
    }

    private Path squashfs(List<Path> layers) throws IOException {
        List<Layer> named = new ArrayList<>();
        for (Path layer : layers) {
            named.add(new Layer(layer.getFileName().toString(), layer, Digest.of(uncompressed(layer))));
        }
        return squashfsOf(named);
    }

    private Path squashfsOf(List<Layer> layers) throws IOException {
        Path target = dir.resolve("image-" + System.nanoTime() + ".sqfs");
        SequencedMap<String, byte[]> berthFiles = new LinkedHashMap<>();
        berthFiles.put(".berth/image.json", "{}".getBytes(StandardCharsets.UTF_8));
        FlattenedImage.write(target, berthFiles, layers, "test image", finished -> { });
        return target;
    }

    private static byte[] uncompressed(Path layer) throws IOException {
        try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(layer))) {
            return in.readAllBytes();
        }
    }

    private static InputStream sqfs2tar(Path squashfs) throws IOException {
        Process process = new ProcessBuilder("sqfs2tar", squashfs.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return process.getInputStream();
    }

    /** The same layers as an OCI layout, unpacked by umoci. */
    private Path umociUnpack(List<Path> layers) throws Exception {
        Path layout = dir.resolve("layout");
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        StringBuilder layerDescriptors = new StringBuilder();
        StringBuilder diffIds = new StringBuilder();
        for (Path layer : layers) {
            byte[] bytes = Files.readAllBytes(layer);
            Digest digest = Digest.of(bytes);
            Files.write(blobs.resolve(digest.hex()), bytes);
            byte[] uncompressed = uncompressed(layer);
            layerDescriptors.append(layerDescriptors.isEmpty() ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"")
                    .append(digest).append("\",\"size\":").append(bytes.length).append('}');
            diffIds.append(diffIds.isEmpty() ? "" : ",").append('"').append(Digest.of(uncompressed)).append('"');
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + diffIds + "]}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.of(config);
        Files.write(blobs.resolve(configDigest.hex()), config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length
                + "},\"layers\":[" + layerDescriptors + "]}").getBytes(StandardCharsets.UTF_8);
        Digest manifestDigest = Digest.of(manifest);
        Files.write(blobs.resolve(manifestDigest.hex()), manifest);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifestDigest + "\",\"size\":" + manifest.length
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"test\"}}]}");
        Path bundle = dir.resolve("bundle");
        Process umoci = new ProcessBuilder("umoci", "unpack", "--rootless", "--image", layout + ":test", bundle.toString())
                .redirectErrorStream(true).start();
        String output = new String(umoci.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(umoci.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(umoci.exitValue()).as("umoci unpack: " + output).isZero();
        return bundle.resolve("rootfs");
    }
}
