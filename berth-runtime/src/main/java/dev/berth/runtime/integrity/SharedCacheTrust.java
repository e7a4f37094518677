package dev.berth.runtime.integrity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a file of a site's shared cache is safe to run: it, its content record (if any) and every
 * directory from it up to the cache's root are owned by root or by the root's owner (the
 * maintainer), none is a symbolic link, and none can be written by group or others. Anyone
 * else who could write one of them could swap the image under every user of the cache.
 */
public final class SharedCacheTrust {
    private static final int GROUP_OR_OTHERS_WRITE = 0022;

    private SharedCacheTrust() {
    }

    /** Why {@code file}, which lies below {@code root}, cannot be trusted; empty when it can. */
    public static Optional<String> problem(Path root, Path file) throws IOException {
        Path realRoot = root.toRealPath();
        Path relative = root.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
        Object maintainer = Files.getAttribute(realRoot, "unix:uid");
        List<Path> checked = new ArrayList<>(List.of(realRoot));
        Path current = realRoot;
        for (Path name : relative) {
            current = current.resolve(name);
            checked.add(current);
        }
        if (Files.exists(ContentRecord.of(current), LinkOption.NOFOLLOW_LINKS)) {
            checked.add(ContentRecord.of(current));
        }
        for (Path path : checked) {
            Optional<String> problem = problemOf(path, maintainer);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> problemOf(Path path, Object maintainer) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(path + " is missing");
        }
        if (Files.isSymbolicLink(path)) {
            return Optional.of(path + " is a symbolic link");
        }
        Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        Object owner = attributes.get("uid");
        if (!owner.equals(0) && !owner.equals(maintainer)) {
            return Optional.of(path + " belongs to uid " + owner + ", neither root nor the cache's owner (uid " + maintainer + ")");
        }
        if (((Integer) attributes.get("mode") & GROUP_OR_OTHERS_WRITE) != 0) {
            return Optional.of(path + " can be written by users other than its owner");
        }
        return Optional.empty();
    }
}
