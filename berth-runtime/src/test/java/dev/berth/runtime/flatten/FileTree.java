package dev.berth.runtime.flatten;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A file tree described the way the comparison with umoci needs: path to type, mode, size, link target, content hash. */
final class FileTree {
    record Node(String type, int mode, long size, String linkTarget, String sha256) {
    }

    private FileTree() {
    }

    /** The tree of a directory on disk (umoci's rootfs), links not followed. */
    static Map<String, Node> ofDirectory(Path root) throws IOException {
        Map<String, Node> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.toList()) {
                if (path.equals(root)) {
                    continue;
                }
                String name = root.relativize(path).toString();
                PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                int mode = bits(attributes.permissions());
                if (attributes.isSymbolicLink()) {
                    tree.put(name, new Node("symlink", 0, 0, Files.readSymbolicLink(path).toString(), null));
                } else if (attributes.isDirectory()) {
                    tree.put(name, new Node("dir", mode, 0, null, null));
                } else {
                    try (InputStream in = Files.newInputStream(path)) {
                        tree.put(name, new Node("file", mode, attributes.size(), null, sha256(in)));
                    }
                }
            }
        }
        return tree;
    }

    /** The tree in a tar stream (sqfs2tar's output of our image); hard links take their target's content. */
    static Map<String, Node> ofTar(InputStream stream) throws IOException {
        Map<String, Node> tree = new TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(stream)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = strip(entry.getName());
                int mode = entry.getMode() & 07777;
                if (name.isEmpty()) {
                    continue;
                }
                if (entry.isSymbolicLink()) {
                    tree.put(name, new Node("symlink", 0, 0, entry.getLinkName(), null));
                } else if (entry.isDirectory()) {
                    tree.put(name, new Node("dir", mode, 0, null, null));
                } else if (entry.isLink()) {
                    Node target = tree.get(strip(entry.getLinkName()));
                    tree.put(name, new Node("file", mode, target.size(), null, target.sha256()));
                } else {
                    tree.put(name, new Node(entry.isFile() ? "file" : "other", mode, entry.getSize(), null, sha256(tar)));
                }
            }
        }
        return tree;
    }

    private static String strip(String name) {
        String result = name.startsWith("./") ? name.substring(2) : name;
        result = result.startsWith("/") ? result.substring(1) : result;
        return result.endsWith("/") ? result.substring(0, result.length() - 1) : result;
    }

    private static int bits(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return mode;
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
