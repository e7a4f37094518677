package dev.berth.build.tree;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What every path of a build tree is now (type, mode, size, times, inode, link target), so that
 * comparing two snapshots tells what a step changed. The change time catches what the
 * modification time can hide (chmod, a file rewritten with its old time restored). The
 * sandbox's mount points (/proc, /dev, /sys) are not part of the image and are not looked into.
 */
public record TreeSnapshot(Map<String, Entry> entries) {
    private static final Set<String> MOUNT_POINTS = Set.of("proc", "dev", "sys");

    /** One path's state; equal states mean the step left it alone. */
    public record Entry(int mode, long size, long modified, long changed, long inode, String linkTarget) {
        public boolean isDirectory() {
            return (mode & 0170000) == 0040000;
        }
    }

    public static TreeSnapshot of(Path tree) throws IOException {
        Map<String, Entry> entries = new TreeMap<>();
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (dir.equals(tree)) {
                    return FileVisitResult.CONTINUE;
                }
                String path = tree.relativize(dir).toString();
                entries.put(path, entry(dir));
                return MOUNT_POINTS.contains(path) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                entries.put(tree.relativize(file).toString(), entry(file));
                return FileVisitResult.CONTINUE;
            }
        });
        return new TreeSnapshot(entries);
    }

    private static Entry entry(Path path) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,size,lastModifiedTime,ctime,ino", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) attributes.get("mode");
        boolean link = (mode & 0170000) == 0120000;
        return new Entry(mode, (Long) attributes.get("size"), nanos((FileTime) attributes.get("lastModifiedTime")),
                nanos((FileTime) attributes.get("ctime")), (Long) attributes.get("ino"),
                link ? Files.readSymbolicLink(path).toString() : null);
    }

    private static long nanos(FileTime time) {
        return time.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** What changed from {@code before} to this snapshot. */
    public TreeChanges since(TreeSnapshot before) {
        return TreeChanges.between(before, this);
    }
}
