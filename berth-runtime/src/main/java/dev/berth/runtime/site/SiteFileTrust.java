package dev.berth.runtime.site;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a site file is the admin's: it and every directory above it (after following links)
 * belong to root and cannot be written by anyone else. Whoever else could change it would
 * decide what every user's containers bind and which variables they get. A directory that others
 * may write but with the sticky bit (as /tmp) passes, since nobody but root can replace root's
 * entries in it.
 */
public final class SiteFileTrust {
    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int STICKY = 01000;
    private static final long ROOT = 0;

    private SiteFileTrust() {
    }

    /**
     * Why {@code file} is not the admin's; empty when it is. {@code admin} is root's uid, 0, but
     * for tests, which cannot make files of root's unless they run as root.
     */
    public static Optional<String> problem(Path file, long admin) throws IOException {
        for (Path path = file.toRealPath(); path != null; path = path.getParent()) {
            Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            long owner = ((Number) attributes.get("uid")).longValue();
            if (owner != ROOT && owner != admin) {
                return Optional.of(path + " belongs to uid " + owner + ", not to root");
            }
            int mode = (Integer) attributes.get("mode");
            boolean stickyDirectory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && (mode & STICKY) != 0;
            if ((mode & GROUP_OR_OTHERS_WRITE) != 0 && !stickyDirectory) {
                return Optional.of(path + " can be written by users other than root");
            }
        }
        return Optional.empty();
    }
}
