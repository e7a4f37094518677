package dev.berth.oci.archive;

import dev.berth.oci.AtomicFiles;
import dev.berth.oci.BerthException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.DigestMismatchException;
import dev.berth.oci.DigestingInputStream;
import dev.berth.oci.Json;
import dev.berth.oci.Reference;
import dev.berth.oci.ScratchDirectory;
import dev.berth.oci.WriteTarget;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.layer.Compression;
import dev.berth.oci.transfer.ImageSink;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes images as a docker-archive that {@code docker load} and skopeo read: the config as
 * {@code HEX.json} and each layer uncompressed as {@code DIFFID.tar}, named by the digests the
 * config's rootfs lists. Blobs are gathered in a scratch directory; a file appears under its
 * final name only when complete, a device or FIFO receives the archive as it is written.
 */
public final class DockerArchiveWriter implements ImageSink {
    private final Path target;
    private final boolean stream;
    private final ScratchDirectory scratch;
    private final Map<Digest, Path> blobs = new ConcurrentHashMap<>();
    private final Map<Digest, ManifestBytes> manifests = new LinkedHashMap<>();
    private final Map<Digest, List<String>> tags = new LinkedHashMap<>();

    private DockerArchiveWriter(Path target, boolean stream, ScratchDirectory scratch) {
        this.target = target;
        this.stream = stream;
        this.scratch = scratch;
    }

    /**
     * A writer for {@code target}: a file replaced only when the archive is complete, or a device
     * or FIFO (/dev/stdout in a pipe) that the archive is streamed to, as {@code docker save -o} does.
     */
    public static DockerArchiveWriter create(Path target) throws IOException {
        WriteTarget at = WriteTarget.of(target);
        switch (at.kind()) {
            case STREAM -> {
                Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
                return new DockerArchiveWriter(target, true, claimScratch(temporary, target));
            }
            case DIRECTORY -> throw new BerthException("TARGET_INVALID", "cannot export to " + target
                    + ": it is a directory, and a docker-archive is a file; give a file name ending in .tar, or --format oci");
            case OTHER -> throw new BerthException("TARGET_INVALID", "cannot export to " + target
                    + ": it is a block device or socket; give a file name ending in .tar");
            case FILE, ABSENT -> {
                if (at.link()) {
                    throw new BerthException("TARGET_INVALID", "cannot export to " + target
                            + ": it is a symbolic link, which berth does not replace; give the path it leads to");
                }
            }
        }
        Path parent = at.path().getParent();
        if (!Files.isDirectory(parent)) {
            throw new BerthException("TARGET_INVALID", "cannot write " + target + ": directory " + parent + " does not exist");
        }
        at.requireStorage("a docker-archive");
        return new DockerArchiveWriter(at.path(), false, claimScratch(parent, target));
    }

    /**
     * A writer that streams the archive into this process's standard output, whatever that is (a
     * file it was redirected to, a pipe), as {@code docker save > x.tar} does; the path
     * /dev/stdout would reopen a redirected file from its start instead.
     */
    public static DockerArchiveWriter toStandardOutput() throws IOException {
        return new DockerArchiveWriter(null, true, claimScratch(Path.of(System.getProperty("java.io.tmpdir")), Path.of("stdout")));
    }

    private OutputStream streamTarget() throws IOException {
        if (target != null) {
            return Files.newOutputStream(target, StandardOpenOption.WRITE);
        }
        // standard output stays open for the rest of the process
        return new FilterOutputStream(new FileOutputStream(FileDescriptor.out)) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private static ScratchDirectory claimScratch(Path directory, Path target) throws IOException {
        ScratchDirectory.removeAbandoned(directory);
        return ScratchDirectory.create(directory, target.getFileName().toString());
    }

    @Override
    public boolean hasBlob(Descriptor descriptor) {
        return blobs.containsKey(descriptor.digest());
    }

    @Override
    public void putBlob(Descriptor descriptor, InputStream content) throws IOException {
        Path file = scratch.path().resolve(descriptor.digest().hex());
        AtomicFiles.writeVerified(file, content, descriptor.digest(), descriptor.size(), "blob " + descriptor.digest());
        blobs.put(descriptor.digest(), file);
    }

    @Override
    public synchronized void putManifest(ManifestBytes manifest) {
        if (manifest.isIndex()) {
            throw new BerthException("ARCHIVE_UNSUPPORTED",
                    "a docker-archive holds single-platform images, not index " + manifest.digest() + "; choose one with --platform");
        }
        manifests.put(manifest.digest(), manifest);
    }

    @Override
    public synchronized void tag(Reference name, ManifestBytes root) {
        tags.computeIfAbsent(root.digest(), d -> new ArrayList<>()).add(name.familiarString());
    }

    @Override
    public synchronized void commit() throws IOException {
        Path temp = scratch.path().resolve("archive.tar");
        List<Map<String, Object>> entries = new ArrayList<>();
        try (OutputStream file = stream ? new BufferedOutputStream(streamTarget(), 1 << 16)
                : Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Map.Entry<Digest, List<String>> tagged : tags.entrySet()) {
                entries.add(writeImage(tar, manifests.get(tagged.getKey()), tagged.getValue()));
            }
            byte[] manifestJson = Json.write(entries);
            addEntry(tar, DockerArchive.MANIFEST_FILE, manifestJson.length, new ByteArrayInputStream(manifestJson));
        }
        if (stream) {
            return;
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        AtomicFiles.moveIntoPlace(temp, target);
    }

    private Map<String, Object> writeImage(TarArchiveOutputStream tar, ManifestBytes manifest, List<String> repoTags)
            throws IOException {
        Descriptor configDescriptor = manifest.manifest().config();
        Path configFile = blobFile(configDescriptor.digest());
        ImageConfig.RootFs rootfs = ImageConfig.parse(Files.readAllBytes(configFile)).rootfs();
        List<Digest> diffIds = rootfs == null ? List.of() : rootfs.diffIds();
        String configName = configDescriptor.digest().hex() + ".json";
        addEntry(tar, configName, Files.size(configFile), Files.newInputStream(configFile));
        List<String> layerNames = new ArrayList<>();
        List<Descriptor> layers = manifest.manifest().layers();
        for (int i = 0; i < layers.size(); i++) {
            Digest expectedDiffId = i < diffIds.size() ? diffIds.get(i) : null;
            layerNames.add(writeLayer(tar, layers.get(i), expectedDiffId));
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("Config", configName);
        entry.put("RepoTags", repoTags);
        entry.put("Layers", layerNames);
        return entry;
    }

    /** Writes a layer uncompressed, as the format requires, and checks it against the config's diff_id. */
    private String writeLayer(TarArchiveOutputStream tar, Descriptor layer, Digest expectedDiffId) throws IOException {
        Path uncompressed = scratch.path().resolve(layer.digest().hex() + ".tar");
        Digest diffId;
        try (InputStream in = Compression.decompressed(Files.newInputStream(blobFile(layer.digest())))) {
            DigestingInputStream digesting = new DigestingInputStream(in, DigestAlgorithm.SHA256);
            Files.copy(digesting, uncompressed);
            diffId = digesting.digest();
        }
        if (expectedDiffId != null && !expectedDiffId.equals(diffId)) {
            throw new DigestMismatchException("layer " + layer.digest() + " (uncompressed)", expectedDiffId, diffId);
        }
        String name = diffId.hex() + ".tar";
        addEntry(tar, name, Files.size(uncompressed), Files.newInputStream(uncompressed));
        Files.delete(uncompressed);
        return name;
    }

    private Path blobFile(Digest digest) {
        Path file = blobs.get(digest);
        if (file == null) {
            throw new IllegalStateException("blob " + digest + " was not written before its manifest");
        }
        return file;
    }

    private static void addEntry(TarArchiveOutputStream tar, String name, long size, InputStream content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setMode(0644);
        entry.setModTime(0);
        tar.putArchiveEntry(entry);
        try (InputStream in = content) {
            in.transferTo(tar);
        }
        tar.closeArchiveEntry();
    }

    @Override
    public void close() throws IOException {
        scratch.close();
    }
}
