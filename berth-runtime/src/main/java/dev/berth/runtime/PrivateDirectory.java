package dev.berth.runtime;

import dev.berth.oci.BerthException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories berth makes for the calling user: created 0700, and when they exist already,
 * used only if they are the user's own. Nothing here ever changes the permissions of an
 * existing path or follows a symbolic link in the last component: on a shared machine another
 * user may have created the name first (in /tmp), pointed it at someone else's files, or
 * opened it to everyone.
 */
public final class PrivateDirectory {
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private PrivateDirectory() {
    }

    /**
     * Creates {@code dir} (its parents as usual), or checks that an existing one is a directory,
     * not a link, owned by {@code uid}, and writable by nobody else.
     */
    public static Path create(Path dir, long uid) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
            } catch (FileAlreadyExistsException raced) {
                // made by another process in the meantime: checked below like any existing one
            }
        }
        requireOwn(dir, uid);
        return dir;
    }

    /** The same checks for an existing directory, read with lstat. */
    public static void requireOwn(Path dir, long uid) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw unsafe(dir, Files.isSymbolicLink(dir) ? "is a symbolic link" : "is not a directory");
        }
        long owner = ((Number) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        if (owner != uid) {
            throw unsafe(dir, "belongs to another user (uid " + owner + ")");
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new BerthException("DIRECTORY_UNSAFE", "berth's directory " + dir
                    + " is writable by other users; make it private with 'chmod 700 " + dir + "'");
        }
    }

    private static BerthException unsafe(Path dir, String why) {
        return new BerthException("DIRECTORY_UNSAFE", "berth will not use " + dir + ": it " + why
                + ", and berth keeps its files only in directories of your own; remove it, or set XDG_RUNTIME_DIR"
                + " (or BERTH_CACHE_DIR for the cache) to a directory of yours");
    }
}
