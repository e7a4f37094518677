package dev.berth.oci;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories berth makes for the calling user: created 0700, and when they exist already,
 * used only if nobody else can write to them. Nothing here changes the permissions of a
 * directory it did not just create: on a shared machine another user may have created the
 * name first (in /tmp), pointed it at someone else's files, or opened it to everyone.
 */
public final class PrivateDirectory {
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions.asFileAttribute(PRIVATE);

    private PrivateDirectory() {
    }

    /**
     * Creates {@code dir} (its parents as usual), or checks with lstat that an existing one is a
     * directory, not a link, owned by {@code uid}, and writable by nobody else. For names in
     * places where other users can create names too.
     */
    public static Path create(Path dir, long uid) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            makeIt(dir);
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw unsafe(dir, Files.isSymbolicLink(dir) ? "is a symbolic link" : "is not a directory");
        }
        long owner = ((Number) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        if (owner != uid) {
            throw unsafe(dir, "belongs to another user (uid " + owner + ")");
        }
        requireNotShared(dir, Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS), "berth's directory");
        return dir;
    }

    /**
     * Creates {@code dir}, or checks that an existing one is not writable by others; a symbolic
     * link (a store moved to a bigger disk) is judged by the directory it leads to. {@code what}
     * names it in the error ("berth's image store").
     */
    public static Path createOrFollow(Path dir, String what) throws IOException {
        if (!Files.isDirectory(dir)) {
            makeIt(dir);
        }
        requireNotShared(dir, Files.getPosixFilePermissions(dir), what);
        return dir;
    }

    private static void makeIt(Path dir) throws IOException {
        Files.createDirectories(dir.toAbsolutePath().getParent());
        try {
            Files.createDirectory(dir, OWNER_ONLY);
        } catch (FileAlreadyExistsException raced) {
            // made by another process in the meantime: checked like any existing one
        }
    }

    private static void requireNotShared(Path dir, Set<PosixFilePermission> permissions, String what) {
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new BerthException("DIRECTORY_UNSAFE", what + " " + dir
                    + " is writable by other users; make it private with 'chmod 700 " + dir + "'");
        }
    }

    private static BerthException unsafe(Path dir, String why) {
        return new BerthException("DIRECTORY_UNSAFE", "berth will not use " + dir + ": it " + why
                + ", and berth keeps its files only in directories of your own; remove it, or set XDG_RUNTIME_DIR"
                + " (or BERTH_CACHE_DIR for the cache) to a directory of yours");
    }
}
