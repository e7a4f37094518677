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
import java.util.List;
import java.util.Map;
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

        Map<String, FileTree.Node> ours = FileTree.ofTar(sqfs2tar(squashfs(layers)));
        ours.keySet().removeIf(path -> path.equals(".berth") || path.startsWith(".berth/"));
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
        Path target = dir.resolve("image-" + System.nanoTime() + ".sqfs");
        List<LayerFlattener.Layer> named = layers.stream().map(p -> new LayerFlattener.Layer(p.getFileName().toString(), p)).toList();
        SquashfsWriter.write(target, tar -> {
            LayerFlattener flattener = new LayerFlattener(tar);
            flattener.addFile(".berth/image.json", "{}".getBytes(StandardCharsets.UTF_8));
            flattener.flatten(named);
        }, "test image");
        return target;
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
            byte[] uncompressed;
            try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(layer))) {
                uncompressed = in.readAllBytes();
            }
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
