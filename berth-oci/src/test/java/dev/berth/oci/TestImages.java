package dev.berth.oci;

import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.layer.Compression;
import dev.berth.oci.layout.OciLayoutWriter;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.store.StoreTransaction;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds small, real OCI images in memory for tests: tar layers, a config, a manifest. */
public final class TestImages {
    private TestImages() {
    }

    /** A tar with one regular file per entry of {@code files} (path -> content). */
    public static byte[] tar(Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] compress(byte[] plain, Compression compression) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = compression.compressing(bytes)) {
            out.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** An image: its manifest plus every blob by digest. */
    public record Image(ManifestBytes manifest, Map<Digest, byte[]> blobs) {
        public Descriptor descriptor() {
            return manifest.descriptor();
        }
    }

    /** An image for linux/amd64 with one layer per map in {@code layers}, each compressed as given. */
    public static Image image(Compression compression, List<Map<String, String>> layers) {
        return image(Platform.of("linux", "amd64", null), compression, layers);
    }

    /** An image whose config names {@code platform}, with one layer per map in {@code layers}. */
    public static Image image(Platform platform, Compression compression, List<Map<String, String>> layers) {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        List<Descriptor> layerDescriptors = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (Map<String, String> files : layers) {
            byte[] plain = tar(files);
            byte[] blob = compress(plain, compression);
            Digest digest = Digest.of(blob);
            blobs.put(digest, blob);
            layerDescriptors.add(Descriptor.of(compression.ociLayerMediaType(), digest, blob.length));
            diffIds.add("\"" + Digest.of(plain) + "\"");
        }
        byte[] config = ("{\"architecture\":\"" + platform.architecture() + "\",\"os\":\"" + platform.os() + "\",\"created\":\"2024-01-02T03:04:05Z\","
                + "\"config\":{\"Cmd\":[\"/bin/sh\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + String.join(",", diffIds) + "]}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.of(config);
        blobs.put(configDigest, config);
        ManifestBytes manifest = ManifestBytes.create(ImageManifest.of(MediaType.OCI_MANIFEST,
                Descriptor.of(MediaType.OCI_CONFIG, configDigest, config.length), layerDescriptors));
        return new Image(manifest, blobs);
    }

    /** An index over {@code images}, whose platforms are given in the same order; its blobs hold theirs and their manifests. */
    public static Image index(List<Image> images, List<Platform> platforms) {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        List<Descriptor> entries = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Image image = images.get(i);
            blobs.putAll(image.blobs());
            blobs.put(image.manifest().digest(), image.manifest().bytesUnsafe());
            entries.add(image.descriptor().withPlatform(platforms.get(i)));
        }
        return new Image(ManifestBytes.create(ImageIndex.of(MediaType.OCI_INDEX, entries)), blobs);
    }

    public static Image simple(String marker) {
        return image(Compression.GZIP, List.of(Map.of("etc/marker", marker), Map.of("bin/tool", "#!/bin/sh\necho " + marker)));
    }

    /** Adds {@code image} to the local store under {@code name}, in one transaction. */
    public static void store(LocalStore store, String name, Image image) throws IOException {
        try (StoreTransaction tx = store.begin()) {
            for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
                tx.putBlob(Descriptor.of("application/octet-stream", blob.getKey(), blob.getValue().length),
                        new ByteArrayInputStream(blob.getValue()));
            }
            tx.putManifest(image.manifest());
            tx.tag(Reference.parse(name), image.manifest());
            tx.commit();
        }
    }

    /** Writes images into an OCI layout directory, each tagged with its key. */
    public static Path layout(Path dir, Map<String, Image> imagesByTag) throws IOException {
        try (OciLayoutWriter writer = OciLayoutWriter.create(dir)) {
            for (Map.Entry<String, Image> tagged : imagesByTag.entrySet()) {
                Image image = tagged.getValue();
                for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
                    writer.putBlob(Descriptor.of("application/octet-stream", blob.getKey(), blob.getValue().length),
                            new ByteArrayInputStream(blob.getValue()));
                }
                writer.putManifest(image.manifest());
                writer.tag(Reference.parse(tagged.getKey()), image.manifest());
            }
            writer.commit();
        }
        return dir;
    }
}
