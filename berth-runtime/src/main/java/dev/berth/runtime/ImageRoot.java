package dev.berth.runtime;

import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import dev.berth.oci.ScratchDirectory;
import dev.berth.runtime.sandbox.Caller;
import dev.berth.runtime.sandbox.ContainerOptions.RootMode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Makes an image file's tree available on the host for bwrap to build the container from:
 * extracted once into the node-local cache (the default, and what hosts without FUSE need), or
 * mounted for the run with squashfuse_ll (multithreaded FUSE, nothing written to disk).
 */
public final class ImageRoot {
    private ImageRoot() {
    }

    /** Whether this host lets the caller mount FUSE file systems. */
    public static boolean fuseAvailable() {
        Path device = Path.of("/dev/fuse");
        return Files.isReadable(device) && Files.isWritable(device)
                && Tools.SQUASHFUSE.find().isPresent() && Tools.FUSERMOUNT.find().isPresent();
    }

    public static RootMode effectiveMode(RootMode requested) {
        return requested == RootMode.AUTO ? RootMode.DIRECTORY : requested;
    }

    /** The read-only tree of {@code image}, mounted in {@code run} or extracted into {@code cache}. */
    public static Path provide(ImageFile image, RootMode mode, RunDirectory run, ImageCache cache) throws IOException {
        if (mode == RootMode.FUSE) {
            if (!fuseAvailable()) {
                throw new BerthException("FUSE_UNAVAILABLE", "cannot mount images here: /dev/fuse is not usable by you"
                        + " or squashfuse_ll/fusermount3 are missing; run without --fuse to extract the image instead");
            }
            Path mountPoint = run.newDirectory("image");
            run.mount(List.of(Tools.SQUASHFUSE.require(), "-o", "offset=" + image.offset(), image.path().toString(),
                    mountPoint.toString()), mountPoint, "mounting " + image.path());
            return mountPoint;
        }
        return extracted(image, cache);
    }

    /** A writable view of {@code lower} whose changes live in the run directory and vanish with it. */
    public static Path writableOverlay(Path lower, RunDirectory run, Caller caller) throws IOException {
        if (!fuseAvailable() || Tools.FUSE_OVERLAYFS.find().isEmpty()) {
            throw new BerthException("FUSE_UNAVAILABLE", "--writable-tmpfs needs FUSE and fuse-overlayfs"
                    + " (install the fuse-overlayfs package)");
        }
        Path upper = run.newDirectory("upper");
        Path work = run.newDirectory("work");
        Path merged = run.newDirectory("merged");
        // Squashing ownership to the caller lets them write where the image's owner (usually root) could.
        run.mount(List.of(Tools.FUSE_OVERLAYFS.require(), "-o", "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work
                + ",squash_to_uid=" + caller.uid() + ",squash_to_gid=" + caller.gid(), merged.toString()),
                merged, "mounting a writable layer over the image");
        return merged;
    }

    /** The image's tree in the cache, extracted first if no run did; killed extractions' leftovers go first. */
    private static Path extracted(ImageFile image, ImageCache cache) throws IOException {
        Path sandboxes = cache.sandboxes();
        ScratchDirectory.removeAbandoned(sandboxes);
        Path target = sandboxes.resolve(extractionKey(image));
        if (Files.isDirectory(target)) {
            return target;
        }
        try (ScratchDirectory scratch = ScratchDirectory.create(sandboxes, target.getFileName().toString())) {
            Path tree = scratch.path().resolve("root");
            Path payload = image.offset() == 0 ? image.path() : scratch.path().resolve("image.sqfs");
            if (image.offset() != 0) {
                try (FileChannel in = FileChannel.open(image.path());
                     FileChannel out = FileChannel.open(payload, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    in.transferTo(image.offset(), in.size() - image.offset(), out);
                }
            }
            Files.createDirectory(tree);
            ToolRunner.run(List.of(Tools.RDSQUASHFS.require(), "--quiet", "--chmod", "--unpack-path", "/",
                    "--unpack-root", tree.toString(), payload.toString()), "extracting " + image.path());
            try {
                Files.move(tree, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException raced) {
                // rename(2) says ENOTEMPTY when another run extracted the same image first; theirs is as good as ours
                if (!Files.isDirectory(target)) {
                    throw raced;
                }
            }
            return target;
        }
    }

    /** Cached conversions are named by manifest digest; other files by what identifies their current content. */
    private static String extractionKey(ImageFile image) throws IOException {
        String name = image.path().getFileName().toString();
        if (name.matches("sha(256|512)-[0-9a-f]+\\." + ImageCache.FORMAT + "\\.sqfs")) {
            return name.substring(0, name.length() - ".sqfs".length());
        }
        String identity = image.path().toRealPath() + "\n" + Files.size(image.path()) + "\n"
                + Files.getLastModifiedTime(image.path()).toMillis();
        return "file-" + Digest.of(identity.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 32);
    }
}
