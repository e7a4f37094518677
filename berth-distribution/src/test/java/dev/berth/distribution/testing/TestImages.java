package dev.berth.distribution.testing;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.DigestingInputStream;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.layout.OciLayoutWriter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes test images into OCI layouts: random layer bytes (the registry and the copy never
 * unpack them), a config naming the platform, manifests and indexes. Seeds make them reproducible.
 */
public final class TestImages {
    private TestImages() {
    }

    /** Random bytes from a seed; streams of any length without holding them in memory. */
    public static InputStream randomBytes(long seed, long length) {
        return new InputStream() {
            private final SplittableRandom random = new SplittableRandom(seed);
            private long left = length;

            @Override
            public int read() {
                if (left == 0) {
                    return -1;
                }
                left--;
                return random.nextInt(256);
            }

            @Override
            public int read(byte[] buffer, int offset, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i += 8) {
                    long word = random.nextLong();
                    for (int j = 0; j < 8 && i + j < n; j++) {
                        buffer[offset + i + j] = (byte) (word >>> (8 * j));
                    }
                }
                left -= n;
                return n;
            }
        };
    }

    public static Digest digestOf(long seed, long length) throws IOException {
        DigestingInputStream digesting = new DigestingInputStream(randomBytes(seed, length), DigestAlgorithm.SHA256);
        digesting.transferTo(OutputStream.nullOutputStream());
        return digesting.digest();
    }

    /** Writes a random blob of {@code length} bytes. */
    public static Descriptor randomBlob(OciLayoutWriter layout, String mediaType, long seed, long length) throws IOException {
        Descriptor descriptor = Descriptor.of(mediaType, digestOf(seed, length), length);
        layout.putBlob(descriptor, randomBytes(seed, length));
        return descriptor;
    }

    public static Descriptor blob(OciLayoutWriter layout, String mediaType, byte[] content) throws IOException {
        Descriptor descriptor = Descriptor.of(mediaType, Digest.of(content), content.length);
        layout.putBlob(descriptor, new ByteArrayInputStream(content));
        return descriptor;
    }

    /** An image manifest for the platform with one random layer per entry of {@code layerSizes}. */
    public static ManifestBytes image(OciLayoutWriter layout, Platform platform, long seed, long... layerSizes)
            throws IOException {
        List<Descriptor> layers = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (int i = 0; i < layerSizes.length; i++) {
            Descriptor layer = randomBlob(layout, MediaType.OCI_LAYER, seed * 1000 + i, layerSizes[i]);
            layers.add(layer);
            diffIds.add("\"" + layer.digest() + "\"");
        }
        String config = "{\"architecture\":\"" + platform.architecture() + "\",\"os\":\"" + platform.os() + "\","
                + (platform.variant() == null ? "" : "\"variant\":\"" + platform.variant() + "\",")
                + "\"config\":{\"Env\":[\"SEED=" + seed + "\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + String.join(",", diffIds) + "]}}";
        Descriptor configBlob = blob(layout, MediaType.OCI_CONFIG, config.getBytes(StandardCharsets.UTF_8));
        ManifestBytes manifest = ManifestBytes.create(ImageManifest.of(MediaType.OCI_MANIFEST, configBlob, layers));
        layout.putManifest(manifest);
        return manifest;
    }

    /** An index over images whose platforms are given in the same order. */
    public static ManifestBytes index(OciLayoutWriter layout, List<ManifestBytes> images, List<Platform> platforms)
            throws IOException {
        List<Descriptor> entries = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            entries.add(images.get(i).descriptor().withPlatform(platforms.get(i)));
        }
        ManifestBytes index = ManifestBytes.create(ImageIndex.of(MediaType.OCI_INDEX, entries));
        layout.putManifest(index);
        return index;
    }

    /** An OCI artifact: a manifest with an artifactType, the empty config and one data blob. */
    public static ManifestBytes artifact(OciLayoutWriter layout, String artifactType, byte[] data) throws IOException {
        Descriptor empty = blob(layout, MediaType.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8));
        Descriptor payload = blob(layout, "application/vnd.berth.test.data", data);
        ManifestBytes manifest = ManifestBytes.create(new ImageManifest(2, MediaType.OCI_MANIFEST, artifactType,
                empty, List.of(payload), null, null));
        layout.putManifest(manifest);
        return manifest;
    }

    /** Names {@code root} {@code tag} in the layout and writes its index. */
    public static void tagAndCommit(OciLayoutWriter layout, String tag, ManifestBytes root) throws IOException {
        layout.tag(Reference.parse("localhost/test:" + tag), root);
        layout.commit();
    }
}
