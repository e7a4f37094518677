package dev.berth.oci.layout;

import dev.berth.oci.AtomicFiles;
import dev.berth.oci.BerthException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.oci.WriteTarget;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.transfer.ImageSink;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes images into an OCI layout directory, creating it or adding to an existing one. An
 * image tagged with a name already in index.json replaces that entry, as skopeo does.
 * Blobs are written verified under their final names (they are immutable); index.json is
 * replaced atomically at commit.
 */
public final class OciLayoutWriter implements ImageSink {
    private final Path dir;
    private final Map<String, Descriptor> newEntries = new LinkedHashMap<>();

    private OciLayoutWriter(Path dir) {
        this.dir = dir;
    }

    /** Opens {@code dir} to add images to, refusing anything that is not a new, empty or layout directory. */
    public static OciLayoutWriter create(Path dir) throws IOException {
        WriteTarget target = WriteTarget.of(dir);
        switch (target.kind()) {
            case FILE -> throw new BerthException("TARGET_INVALID", "cannot export to " + dir + ": it is a file, and an OCI"
                    + " layout is a directory; give a new or empty directory, or a name ending in .tar for a docker-archive");
            case STREAM, OTHER -> throw new BerthException("TARGET_INVALID", "cannot export to " + dir + ": it is a device"
                    + " or pipe, and an OCI layout is a directory; to stream an image, use --format docker-archive");
            case ABSENT -> {
                if (target.link()) {
                    throw new BerthException("TARGET_INVALID", "cannot export to " + dir
                            + ": it is a symbolic link to nothing; give a new or empty directory");
                }
            }
            case DIRECTORY -> {
            }
        }
        target.requireStorage("an OCI layout");
        if (target.kind() == WriteTarget.Kind.DIRECTORY && !OciLayout.isLayout(dir)) {
            try (var children = Files.list(dir)) {
                if (children.findAny().isPresent()) {
                    throw new BerthException("TARGET_EXISTS", dir
                            + " exists and is not an OCI layout; give an empty or new directory");
                }
            }
        }
        try {
            Files.createDirectories(dir.resolve("blobs"));
            if (!Files.exists(dir.resolve(OciLayout.LAYOUT_FILE))) {
                AtomicFiles.write(dir.resolve(OciLayout.LAYOUT_FILE),
                        Json.write(Map.of("imageLayoutVersion", OciLayout.LAYOUT_VERSION)));
            }
        } catch (FileSystemException e) {
            String reason = e instanceof AccessDeniedException ? "permission denied" : e.getReason() != null ? e.getReason() : e.getMessage();
            throw new BerthException("TARGET_INVALID", "cannot create the OCI layout " + dir + ": " + reason + " (" + e.getFile() + ")", e);
        }
        return new OciLayoutWriter(dir);
    }

    @Override
    public boolean hasBlob(Descriptor descriptor) {
        return Files.isRegularFile(OciLayout.blobFile(dir, descriptor.digest()));
    }

    @Override
    public void putBlob(Descriptor descriptor, InputStream content) throws IOException {
        Path target = OciLayout.blobFile(dir, descriptor.digest());
        Files.createDirectories(target.getParent());
        AtomicFiles.writeVerified(target, content, descriptor.digest(), descriptor.size(), "blob " + descriptor.digest());
    }

    @Override
    public void putManifest(ManifestBytes manifest) throws IOException {
        if (!hasBlob(manifest.descriptor())) {
            putBlob(manifest.descriptor(), new ByteArrayInputStream(manifest.bytesUnsafe()));
        }
    }

    @Override
    public synchronized void tag(Reference name, ManifestBytes root) {
        String tag = name.tag().orElse(Reference.DEFAULT_TAG);
        Descriptor entry = root.descriptor().withAnnotations(Map.of(OciLayout.REF_NAME, tag, OciLayout.IMAGE_NAME, name.toString()));
        if (!root.isIndex()) {
            entry = entry.withPlatform(platformOf(root));
        }
        newEntries.put(tag, entry);
    }

    private Platform platformOf(ManifestBytes root) {
        try {
            byte[] config = Files.readAllBytes(OciLayout.blobFile(dir, root.manifest().config().digest()));
            ImageConfig parsed = ImageConfig.parse(config);
            return parsed.os() == null || parsed.architecture() == null ? null : parsed.platform();
        } catch (IOException | RuntimeException notAnImageConfig) {
            return null;
        }
    }

    @Override
    public synchronized void commit() throws IOException {
        List<Descriptor> entries = new ArrayList<>();
        if (Files.exists(dir.resolve(OciLayout.INDEX_FILE))) {
            for (Descriptor existing : OciLayout.open(dir).entries()) {
                if (!newEntries.containsKey(existing.annotations().get(OciLayout.REF_NAME))) {
                    entries.add(existing);
                }
            }
        }
        entries.addAll(newEntries.values());
        AtomicFiles.write(dir.resolve(OciLayout.INDEX_FILE), Json.write(ImageIndex.of(MediaType.OCI_INDEX, entries)));
    }

    @Override
    public void close() {
    }
}
