package dev.berth.oci;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Directories that berth makes for one user and that no one else may read or change. */
public final class PrivateDirectories {
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions.asFileAttribute(PRIVATE);

    private PrivateDirectories() {
    }

    /**
     * Creates {@code dir} (0700, its missing parents as usual), or checks that an existing one is
     * not writable by others; {@code what} names it in the error ("berth's image store").
     */
    public static Path create(Path dir, String what) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            try {
                Files.createDirectory(dir, OWNER_ONLY);
                // the umask may have taken bits the attribute asked for; 0700 is what it must be
                Files.setPosixFilePermissions(dir, PRIVATE);
            } catch (FileAlreadyExistsException raced) {
                // another berth process made it first; checked below like any existing directory
            }
        }
        // a symlink (a store moved to a bigger disk) is judged by the directory it leads to
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new BerthException("DIRECTORY_UNSAFE", what + " " + dir
                    + " is writable by other users; make it private with 'chmod 700 " + dir + "'");
        }
        return dir;
    }
}
