package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageManifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** OCI image layouts for the client tests: a real busybox image made by umoci, and a multi-arch index. */
final class TestImages {
    private TestImages() {
    }

    /** An OCI layout at {@code layout} holding busybox-static as {@code :latest}, built with umoci. */
    static Path busybox(Path work) throws IOException, InterruptedException {
        Path layout = work.resolve("busybox");
        Path bundle = work.resolve("bundle");
        Tools.ok(work, "umoci", "init", "--layout", layout.toString());
        Tools.ok(work, "umoci", "new", "--image", layout + ":latest");
        Tools.ok(work, "umoci", "unpack", "--rootless", "--image", layout + ":latest", bundle.toString());
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        Tools.ok(work, "umoci", "repack", "--image", layout + ":latest", bundle.toString());
        Tools.ok(work, "umoci", "config", "--image", layout + ":latest", "--architecture", "amd64", "--os", "linux",
                "--config.cmd", "/bin/busybox", "--config.cmd", "true");
        return layout;
    }

    /** The digest of the manifest a layout's index.json names first. */
    static Digest rootDigest(Path layout) throws IOException {
        ImageIndex index = Json.read(Files.readAllBytes(layout.resolve("index.json")), ImageIndex.class, "index.json");
        return index.manifests().getFirst().digest();
    }

    /** A layout whose {@code :multi} is an OCI index of a linux/amd64 and a linux/arm64 image. */
    static Path multiArch(Path work) throws IOException {
        Path layout = work.resolve("multi");
        Files.createDirectories(layout.resolve("blobs/sha256"));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        List<Descriptor> images = new ArrayList<>();
        for (String architecture : List.of("amd64", "arm64")) {
            byte[] layer = gzip(("layer for " + architecture).getBytes(StandardCharsets.UTF_8));
            byte[] config = ("{\"architecture\":\"" + architecture + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                    + Digest.of(layer) + "\"]}}").getBytes(StandardCharsets.UTF_8);
            byte[] manifest = Json.write(ImageManifest.of(MediaType.OCI_MANIFEST,
                    Descriptor.of(MediaType.OCI_CONFIG, blob(layout, config), config.length),
                    List.of(Descriptor.of(MediaType.OCI_LAYER_GZIP, blob(layout, layer), layer.length))));
            images.add(Descriptor.of(MediaType.OCI_MANIFEST, blob(layout, manifest), manifest.length)
                    .withPlatform(Platform.of("linux", architecture, null)));
        }
        byte[] index = Json.write(ImageIndex.of(MediaType.OCI_INDEX, images));
        Descriptor root = Descriptor.of(MediaType.OCI_INDEX, blob(layout, index), index.length)
                .withAnnotations(Map.of("org.opencontainers.image.ref.name", "multi"));
        Files.write(layout.resolve("index.json"), Json.write(ImageIndex.of(MediaType.OCI_INDEX, List.of(root))));
        return layout;
    }

    /** Compressed already, so skopeo copies the layer as it is instead of compressing it for the registry. */
    private static byte[] gzip(byte[] content) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    private static Digest blob(Path layout, byte[] content) throws IOException {
        Digest digest = Digest.of(content);
        Files.write(layout.resolve("blobs/sha256").resolve(digest.hex()), content);
        return digest;
    }
}
