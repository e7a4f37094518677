package dev.berth.runtime;

import dev.berth.oci.AtomicFiles;
import dev.berth.oci.BerthException;
import dev.berth.oci.ScratchDirectory;
import dev.berth.oci.image.ImageConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;

/**
 * A single-file image: a squashfs, optionally behind a 4 KiB shell header that makes the file
 * executable. The header hands the file to {@code berth run}, with the name it was invoked by
 * (a symlink's name, for instance) in {@code BERTH_NAME}. A file of the cache holds the root file
 * system alone, shared by the manifests that have it; {@code cacheFiles} then says where this
 * image's metadata is.
 */
public record ImageFile(Path path, long offset, Optional<ImageMetadata.CacheFiles> cacheFiles) {
    public static final int HEADER_SIZE = 4096;
    private static final byte[] SQUASHFS_MAGIC = "hsqs".getBytes(StandardCharsets.US_ASCII);
    private static final String HEADER = """
            #!/bin/sh
            # A berth image: a squashfs file system after the first 4096 bytes of this file.
            # Running it runs the image with berth (https://berth.dev); BERTH_NAME is the name it was called by.
            BERTH_NAME=$(basename "$0")
            export BERTH_NAME
            exec "${BERTH:-berth}" run "$0" "$@"
            """;

    /** Opens a file written by {@link #write} (or any plain squashfs), finding where the squashfs starts. */
    public static ImageFile open(Path path) throws IOException {
        byte[] start;
        try (InputStream in = Files.newInputStream(path)) {
            start = in.readNBytes(HEADER_SIZE + SQUASHFS_MAGIC.length);
        }
        if (startsWithMagic(start, 0)) {
            return new ImageFile(path.toAbsolutePath(), 0, Optional.empty());
        }
        if (start.length > 2 && start[0] == '#' && start[1] == '!' && startsWithMagic(start, HEADER_SIZE)) {
            return new ImageFile(path.toAbsolutePath(), HEADER_SIZE, Optional.empty());
        }
        throw new BerthException("IMAGE_FILE_INVALID", path + " is not a berth image file (no squashfs inside); make one with 'berth convert'");
    }

    /** The image's metadata: from the cache's files when it has them, else from {@code tree}, the image's own. */
    public ImageMetadata metadata(Path tree) throws IOException {
        return cacheFiles.isPresent() ? ImageMetadata.read(cacheFiles.get()) : ImageMetadata.readFrom(tree);
    }

    /** The image's config as published, from the same place as {@link #metadata}. */
    public ImageConfig config(Path tree) throws IOException {
        return cacheFiles.isPresent() ? ImageMetadata.readConfig(cacheFiles.get()) : ImageMetadata.readConfigFrom(tree);
    }

    private static boolean startsWithMagic(byte[] bytes, int at) {
        return bytes.length >= at + SQUASHFS_MAGIC.length
                && Arrays.equals(bytes, at, at + SQUASHFS_MAGIC.length, SQUASHFS_MAGIC, 0, SQUASHFS_MAGIC.length);
    }

    /**
     * Copies the squashfs of {@code source}, a file that carries its own metadata, to
     * {@code target} atomically, behind the runnable header when {@code executable}.
     */
    public static void write(ImageFile source, Path target, boolean executable) throws IOException {
        if (source.cacheFiles().isPresent()) {
            throw new IllegalArgumentException(source.path() + " holds a root file system without its image's metadata");
        }
        Path absolute = target.toAbsolutePath();
        ScratchDirectory.removeAbandoned(absolute.getParent());
        try (ScratchDirectory scratch = ScratchDirectory.create(absolute.getParent(), absolute.getFileName().toString())) {
            Path temp = scratch.path().resolve(absolute.getFileName());
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                if (executable) {
                    byte[] header = Arrays.copyOf(HEADER.getBytes(StandardCharsets.US_ASCII), HEADER_SIZE);
                    Arrays.fill(header, HEADER.length(), HEADER_SIZE, (byte) '\n');
                    out.write(header);
                }
                try (FileChannel in = FileChannel.open(source.path())) {
                    WritableByteChannel channel = Channels.newChannel(out);
                    for (long at = source.offset(); at < in.size(); ) {
                        at += in.transferTo(at, in.size() - at, channel);
                    }
                }
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
            AtomicFiles.moveIntoPlace(temp, absolute);
        }
    }
}
