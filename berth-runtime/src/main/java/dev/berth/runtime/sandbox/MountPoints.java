package dev.berth.runtime.sandbox;

import dev.berth.oci.BerthException;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The places in an image's tree that a sandbox mounts on, found as the container will see them
 * and made by berth, in the tree, before bwrap starts; removed again afterwards. The tree is
 * untrusted: its /run or /etc may be a link to anywhere on the host. A link is followed as
 * BuildKit and runc follow one for a mount target, inside the tree: an absolute target starts
 * again at the tree, {@code ..} never climbs above it. bwrap is then given the link-free path
 * that was found, so it follows no link either. Each name is looked up in a {@link TreeDirectory},
 * so nothing is made or removed outside the tree even while the tree changes; and only what berth
 * made here is removed, if it is still empty and still the same file.
 */
final class MountPoints implements AutoCloseable {
    /** Linux gives up after 40 links in one lookup (ELOOP); so does this. */
    private static final int MAX_LINKS = 40;

    /** What is mounted: an empty file system bwrap makes (tmpfs, /proc, /dev), or a host directory or file. */
    enum Kind { EMPTY, DIRECTORY, FILE }

    /** A mount point berth made: its link-free path and what it was on the disk. */
    private record Made(String path, Object fileKey) {
    }

    /** One name of the path found so far; {@code directory} is null inside an EMPTY mount, where nothing is on the host. */
    private record Step(String name, TreeDirectory directory) {
    }

    private final Path tree;
    /** Mount destinations (link-free container paths) placed so far, in this run's order. */
    private final Map<String, Kind> placed = new HashMap<>();
    private final List<Made> made = new ArrayList<>();

    MountPoints(Path tree) {
        this.tree = tree;
    }

    /**
     * Finds {@code target} (an absolute path inside), makes what is missing of it (the last name
     * as a file for a FILE) and returns the path bwrap must mount on.
     */
    String place(String target, Kind kind) throws IOException {
        String destination = walk(target, Optional.of(kind)).orElseThrow();
        placed.put(destination, kind);
        return destination;
    }

    /** The link-free path of {@code path} where it is a directory in the tree; nothing is made. */
    Optional<String> existingDirectory(String path) throws IOException {
        Optional<String> found = walk(path, Optional.empty());
        if (found.isEmpty()) {
            return found;
        }
        try (TreeDirectory ignored = TreeDirectory.path(tree, found.get())) {
            return found;
        } catch (IOException notADirectory) {
            return Optional.empty();
        }
    }

    /** Removes what {@link #place} made, innermost first. */
    @Override
    public void close() throws IOException {
        for (Made entry : made.reversed()) {
            remove(entry);
        }
        made.clear();
    }

    /**
     * The walk, name by name, with a link's target put in front of the names still to go; {@code making}:
     * the mount to make the missing names for, or empty to only look (then a name that is missing,
     * or that cannot be followed, ends the walk with nothing found).
     */
    private Optional<String> walk(String target, Optional<Kind> making) throws IOException {
        Deque<String> pending = new ArrayDeque<>(names(target));
        Deque<Step> found = new ArrayDeque<>();
        found.push(new Step("", TreeDirectory.root(tree)));
        try {
            int links = 0;
            while (!pending.isEmpty()) {
                String name = pending.pollFirst();
                if (name.equals("..")) {
                    if (found.size() > 1) {
                        close(found.pop());
                    }
                    continue;
                }
                TreeDirectory here = found.peek().directory();
                String path = path(found) + "/" + name;
                Kind mounted = placed.get(path);
                if (here == null || mounted == Kind.EMPTY || mounted != null && pending.isEmpty()) {
                    // bwrap looks this up in what it mounted, not in the tree; an empty file system holds no link
                    found.push(new Step(name, null));
                    continue;
                }
                if (mounted != null) {
                    return failed(target, making, "it lies inside " + path + ", where a host " + mounted.name().toLowerCase()
                            + " is mounted; berth makes no mount point in a mounted host directory");
                }
                Path entry = here.entry(name);
                Optional<BasicFileAttributes> attributes = attributes(entry);
                if (attributes.isEmpty()) {
                    if (making.isEmpty()) {
                        return Optional.empty();
                    }
                    found.push(new Step(name, make(here, name, pending.isEmpty() && making.get() == Kind.FILE, path)));
                } else if (attributes.get().isSymbolicLink()) {
                    if (++links > MAX_LINKS) {
                        return failed(target, making, "too many symbolic links (the last " + path + ")");
                    }
                    String link = Files.readSymbolicLink(entry).toString();
                    if (link.startsWith("/")) {
                        while (found.size() > 1) {
                            close(found.pop());
                        }
                    }
                    for (String linkName : List.of(link.split("/")).reversed()) {
                        if (!linkName.isEmpty() && !linkName.equals(".")) {
                            pending.addFirst(linkName);
                        }
                    }
                } else if (attributes.get().isDirectory()) {
                    found.push(new Step(name, here.child(name)));
                } else if (pending.isEmpty()) {
                    found.push(new Step(name, null));
                } else {
                    return failed(target, making, path + " in the image is not a directory");
                }
            }
            return Optional.of(path(found).isEmpty() ? "/" : path(found));
        } finally {
            while (!found.isEmpty()) {
                close(found.pop());
            }
        }
    }

    /** Makes {@code name} in {@code here}, never through a link (mkdir(2) and O_EXCL do not follow one), and notes it for {@link #close}. */
    private TreeDirectory make(TreeDirectory here, String name, boolean file, String path) throws IOException {
        Path entry = here.entry(name);
        if (file) {
            Files.newByteChannel(entry, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS).close();
        } else {
            Files.createDirectory(entry, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        made.add(new Made(path, Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey()));
        return file ? null : here.child(name);
    }

    /**
     * Removes a mount point berth made if it is still there, still the one made and still empty;
     * where the way to it is no longer what berth walked (a link or a file put there), it is the image's now.
     */
    private void remove(Made entry) throws IOException {
        int slash = entry.path().lastIndexOf('/');
        TreeDirectory parent;
        try {
            parent = TreeDirectory.path(tree, entry.path().substring(0, slash));
        } catch (IOException wayChanged) {
            return;
        }
        try (parent) {
            Path path = parent.entry(entry.path().substring(slash + 1));
            Optional<BasicFileAttributes> attributes = attributes(path);
            if (attributes.isEmpty() || !entry.fileKey().equals(attributes.get().fileKey())
                    || attributes.get().isRegularFile() && attributes.get().size() > 0) {
                return;
            }
            // rmdir(2) itself refuses a directory that is not empty
            Files.delete(path);
        } catch (DirectoryNotEmptyException | NoSuchFileException kept) {
            // the step left something in it, or took it away itself
        }
    }

    private static Optional<BasicFileAttributes> attributes(Path entry) throws IOException {
        try {
            return Optional.of(Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        }
    }

    /** The target as BuildKit cleans it before it looks: {@code ..} taken away with the name before it, never above the root. */
    private static List<String> names(String target) {
        Deque<String> names = new ArrayDeque<>();
        for (String name : target.split("/")) {
            if (name.equals("..")) {
                names.pollLast();
            } else if (!name.isEmpty() && !name.equals(".")) {
                names.addLast(name);
            }
        }
        return List.copyOf(names);
    }

    private static String path(Deque<Step> found) {
        StringBuilder path = new StringBuilder();
        for (Step step : found.reversed()) {
            if (!step.name().isEmpty()) {
                path.append('/').append(step.name());
            }
        }
        return path.toString();
    }

    private static void close(Step step) throws IOException {
        if (step.directory() != null) {
            step.directory().close();
        }
    }

    /** A mount point that cannot be made is an error; a path only looked at is then not there. */
    private static Optional<String> failed(String target, Optional<Kind> making, String why) {
        if (making.isPresent()) {
            throw new BerthException("MOUNT_POINT_INVALID", "cannot mount on " + target + ": " + why);
        }
        return Optional.empty();
    }
}
