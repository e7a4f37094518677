package dev.berth.runtime;

import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import dev.berth.oci.ScratchDirectory;
import dev.berth.runtime.cache.CacheShelf;
import dev.berth.runtime.integrity.Fingerprint;
import dev.berth.runtime.integrity.TreeSeal;
import dev.berth.runtime.sandbox.Caller;
import dev.berth.runtime.sandbox.ContainerOptions.RootMode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
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
    private static final String TREE = "root";
    private static final String SEAL = "seal";

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

    /** The seal of a tree that {@link #provide} extracted. */
    public static Path sealOf(Path extractedTree) {
        return extractedTree.resolveSibling(SEAL);
    }

    /** The read-only tree of {@code image}, mounted in {@code run} or extracted into {@code cache}. */
    public static Path provide(ImageFile image, RootMode mode, RunDirectory run, ImageCache cache) throws IOException {
        if (mode == RootMode.FUSE) {
            if (!fuseAvailable()) {
                throw new BerthException("FUSE_UNAVAILABLE", "cannot mount images here: /dev/fuse is not usable by you"
                        + " or squashfuse_ll/fusermount3 are missing; run without --fuse to extract the image instead");
            }
            if (image.path().toAbsolutePath().startsWith(cache.conversions().directory())) {
                run.hold(CacheShelf.use(image.path()));
            }
            Path mountPoint = run.newDirectory("image");
            run.mount(List.of(Tools.SQUASHFUSE.require(), "-o", "offset=" + image.offset(), image.path().toString(),
                    mountPoint.toString()), mountPoint, "mounting " + image.path());
            return mountPoint;
        }
        return extracted(image, cache, run);
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

    /**
     * The image's tree in the cache, extracted first if no run did, or again when it changed
     * since (see {@link TreeSeal}); killed extractions' leftovers go first. Each entry of the
     * cache is a directory holding the tree ({@code root}) and its seal, renamed into place
     * together so that no run sees a tree without the seal it was extracted with. One run at a
     * time extracts a tree (the tasks of a job start together on a node, and each would extract
     * its own copy); the others wait for it, then run from its tree.
     */
    private static Path extracted(ImageFile image, ImageCache cache, RunDirectory run) throws IOException {
        Path sandboxes = cache.sandboxes();
        ScratchDirectory.removeAbandoned(sandboxes);
        Path target = sandboxes.resolve(extractionKey(image));
        // held from before the tree is looked at, so that a prune cannot take it between the check and the run
        run.hold(CacheShelf.use(target));
        // checked without the lock first: runs of an extracted tree, the usual case, do not wait for each other
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) && TreeSeal.intact(target.resolve(TREE), target.resolve(SEAL))) {
            return target.resolve(TREE);
        }
        try (FileChannel lock = FileChannel.open(target.resolveSibling(target.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
             FileLock ignored = lock.lock()) {
            return extractedAlone(image, cache, sandboxes, target);
        }
    }

    /** {@link #extracted}, holding the lock of {@code target}. */
    private static Path extractedAlone(ImageFile image, ImageCache cache, Path sandboxes, Path target) throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            if (TreeSeal.intact(target.resolve(TREE), target.resolve(SEAL))) {
                return target.resolve(TREE);
            }
            cache.report("the extracted tree " + target.resolve(TREE) + " changed since it was extracted; extracting "
                    + image.path() + " again");
            discard(sandboxes, target);
        }
        try (ScratchDirectory scratch = ScratchDirectory.create(sandboxes, target.getFileName().toString())) {
            Path entry = Files.createDirectory(scratch.path().resolve("entry"));
            Path tree = Files.createDirectory(entry.resolve(TREE));
            unpack(image, tree, scratch.path());
            TreeSeal.write(tree, entry.resolve(SEAL));
            try {
                Files.move(entry, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException raced) {
                // rename(2) says ENOTEMPTY when another run extracted the same image first; theirs is as good as ours
                if (!Files.isDirectory(target)) {
                    throw raced;
                }
            }
            return target.resolve(TREE);
        }
    }

    /**
     * Writes the image's tree into the empty directory {@code tree}, owned by the caller, with the
     * image's permissions and modification times (Python checks its .pyc files against their
     * sources' times, make its targets against their inputs'); {@code scratch} holds a copy of the squashfs when the file has a header.
     */
    public static void unpack(ImageFile image, Path tree, Path scratch) throws IOException {
        Path payload = image.offset() == 0 ? image.path() : scratch.resolve("image.sqfs");
        if (image.offset() != 0) {
            try (FileChannel in = FileChannel.open(image.path());
                 FileChannel out = FileChannel.open(payload, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                in.transferTo(image.offset(), in.size() - image.offset(), out);
            }
        }
        try {
            ToolRunner.run(List.of(Tools.RDSQUASHFS.require(), "--quiet", "--chmod", "--set-times", "--unpack-path", "/",
                    "--unpack-root", tree.toString(), payload.toString()), "extracting " + image.path());
        } finally {
            if (image.offset() != 0) {
                Files.deleteIfExists(payload);
            }
        }
    }

    /** Moves a cache entry out of the way into a scratch directory, which removes it. */
    private static void discard(Path sandboxes, Path entry) throws IOException {
        try (ScratchDirectory scratch = ScratchDirectory.create(sandboxes, "discarded")) {
            Files.move(entry, scratch.path().resolve("entry"), StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException anotherRunWasFirst) {
            // already discarded
        }
    }

    /** A cached root file system's tree is named as the file (after its layer chain); other files' by what identifies their current content. */
    private static String extractionKey(ImageFile image) throws IOException {
        String name = image.path().getFileName().toString();
        if (image.cacheFiles().isPresent()) {
            return name.substring(0, name.length() - ".sqfs".length());
        }
        String identity = image.path().toRealPath() + "\n" + Fingerprint.of(image.path().toRealPath()).text();
        return "file-" + Digest.of(identity.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 32);
    }
}
