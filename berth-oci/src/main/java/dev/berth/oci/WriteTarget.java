package dev.berth.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * What is at a path that berth was asked to write an image to, learnt before anything is
 * written, so that a writer refuses what it must not replace in one clear line and loses nothing.
 */
public record WriteTarget(Path path, Kind kind, boolean link) {
    public enum Kind {
        ABSENT, DIRECTORY, FILE,
        /** A character device or a FIFO (/dev/null, /dev/stdout in a pipe): written in order, never replaced. */
        STREAM,
        /** A block device or a socket. */
        OTHER
    }

    /** File systems of the kernel's own state (and devices): no place to keep an image. */
    private static final Set<String> PSEUDO_FILE_SYSTEMS = Set.of("proc", "sysfs", "devtmpfs", "devpts", "cgroup",
            "cgroup2", "debugfs", "tracefs", "securityfs", "configfs", "pstore", "bpf", "efivarfs", "hugetlbfs", "mqueue");

    /** Looks at {@code path}, following links for what they lead to. */
    public static WriteTarget of(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        boolean link = Files.isSymbolicLink(absolute);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
        } catch (NoSuchFileException absentOrDangling) {
            return new WriteTarget(absolute, Kind.ABSENT, link);
        }
        Kind kind;
        if (attributes.isDirectory()) {
            kind = Kind.DIRECTORY;
        } else if (attributes.isRegularFile()) {
            kind = Kind.FILE;
        } else {
            kind = isStream(absolute) ? Kind.STREAM : Kind.OTHER;
        }
        return new WriteTarget(absolute, kind, link);
    }

    private static boolean isStream(Path path) throws IOException {
        Object mode = Files.getAttribute(path, "unix:mode");
        int type = (Integer) mode & 0170000;
        return type == 0020000 || type == 0010000;
    }

    /**
     * Refuses a path on a pseudo file system such as /proc or /sys, whose entries look like files
     * but keep nothing; {@code what} names what was to be written there.
     */
    public void requireStorage(String what) throws IOException {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        String type = Files.getFileStore(existing).type();
        if (PSEUDO_FILE_SYSTEMS.contains(type)) {
            throw new BerthException("TARGET_INVALID", "cannot write " + what + " to " + path + ": it is on the kernel's "
                    + type + " file system, which keeps no files; choose a path on a disk");
        }
    }
}
