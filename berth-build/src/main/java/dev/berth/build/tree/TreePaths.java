package dev.berth.build.tree;

import dev.berth.oci.BerthException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Paths inside a build tree as the container sees them: a symbolic link in the image is
 * followed as if the tree were the root (an absolute target starts at the tree, {@code ..}
 * stops at it), so a COPY to {@code /usr/local/bin} lands where the image's link leads and never
 * outside the tree.
 */
public final class TreePaths {
    private static final int MAX_LINKS = 40;

    private TreePaths() {
    }

    /** The host path of the container path {@code path}; a link as its last component is left as it is. */
    public static Path resolve(Path tree, String path) throws IOException {
        return resolve(tree, path, false);
    }

    /** As {@link #resolve}, and a link as the last component is followed too (a destination directory). */
    public static Path resolveFollowing(Path tree, String path) throws IOException {
        return resolve(tree, path, true);
    }

    private static Path resolve(Path tree, String path, boolean followLast) throws IOException {
        Deque<String> pending = new ArrayDeque<>();
        push(pending, path);
        Deque<String> resolved = new ArrayDeque<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                resolved.pollLast();
                continue;
            }
            Path candidate = host(tree, resolved).resolve(name);
            if ((followLast || !pending.isEmpty()) && Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new BerthException("BUILD_PATH_INVALID", "too many symbolic links resolving " + path + " in the image");
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                push(pending, target);
                continue;
            }
            resolved.addLast(name);
        }
        return host(tree, resolved);
    }

    /** Creates the directories of {@code dir} (a host path in the tree) that are missing, mode 0755. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        createDirectories(dir.getParent());
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void push(Deque<String> pending, String path) {
        String[] names = path.split("/");
        for (int i = names.length - 1; i >= 0; i--) {
            pending.push(names[i]);
        }
    }

    private static Path host(Path tree, Deque<String> names) {
        Path path = tree;
        for (String name : names) {
            path = path.resolve(name);
        }
        return path;
    }
}
