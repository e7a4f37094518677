package dev.berth.runtime.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The bwrap operations that rebuild a read-only image tree as the container's root while still
 * leaving room for mount points the image lacks (the caller's home, /etc/passwd, a bind to
 * /work). Every directory on the way to a mount point becomes a tmpfs holding read-only binds
 * of the image's entries (an "underlay"); everything else is one read-only bind of the image.
 * Afterwards each of those directories is remounted read-only, so the image stays unchangeable.
 */
final class RootLayout {
    private final Path imageRoot;
    private final Set<String> destinations;
    private final Set<String> scaffolding = new TreeSet<>();
    private final List<String> arguments = new ArrayList<>();
    private final List<String> tmpfsDirectories = new ArrayList<>();

    private RootLayout(Path imageRoot, Set<String> destinations) {
        this.imageRoot = imageRoot;
        this.destinations = destinations;
        scaffolding.add("/");
        for (String destination : destinations) {
            for (Path ancestor = Path.of(destination).getParent(); ancestor != null; ancestor = ancestor.getParent()) {
                scaffolding.add(ancestor.toString());
            }
        }
    }

    /** The operations that build the root, given every absolute path something will be mounted on. */
    static RootLayout of(Path imageRoot, Set<String> mountDestinations) throws IOException {
        RootLayout layout = new RootLayout(imageRoot, new HashSet<>(mountDestinations));
        layout.populate("/");
        return layout;
    }

    List<String> arguments() {
        return arguments;
    }

    /** Remounts the scaffolding read-only: to run after every mount in it is in place. */
    List<String> remountReadOnly() {
        List<String> result = new ArrayList<>();
        for (String dir : tmpfsDirectories) {
            result.add("--remount-ro");
            result.add(dir);
        }
        return result;
    }

    private void populate(String dir) throws IOException {
        if (!dir.equals("/")) {
            arguments.add("--tmpfs");
            arguments.add(dir);
        }
        tmpfsDirectories.add(dir);
        try (DirectoryStream<Path> children = Files.newDirectoryStream(hostPath(dir))) {
            for (Path child : children) {
                String inside = (dir.equals("/") ? "" : dir) + "/" + child.getFileName();
                if (destinations.contains(inside)) {
                    continue;
                }
                if (scaffolding.contains(inside)) {
                    if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                        populate(inside);
                    }
                } else if (Files.isSymbolicLink(child)) {
                    arguments.add("--symlink");
                    arguments.add(Files.readSymbolicLink(child).toString());
                    arguments.add(inside);
                } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
                    arguments.add("--ro-bind");
                    arguments.add(child.toString());
                    arguments.add(inside);
                }
            }
        }
    }

    private Path hostPath(String inside) {
        return inside.equals("/") ? imageRoot : imageRoot.resolve(inside.substring(1));
    }
}
