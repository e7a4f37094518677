package dev.berth.runtime.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a path inside the container lies on the host, found before the container starts: in the
 * image tree, or under the source of a bind mounted over it, following symbolic links as the
 * container's kernel will (an absolute link target starts again at the container's root). Paths
 * in mounts that have no host directory behind them (/proc, a private /dev, a tmpfs) are
 * {@link Kind#UNKNOWN}: berth cannot look into them before the container exists.
 */
public final class ContainerPaths {
    /** Linux gives up after 40 links in one lookup (ELOOP); so does this. */
    private static final int MAX_LINKS = 40;

    public enum Kind { FOUND, MISSING, UNKNOWN }

    /** What a lookup found: the host path for {@link Kind#FOUND}, else null. */
    public record Resolution(Kind kind, Path host) {
        static final Resolution MISSING = new Resolution(Kind.MISSING, null);
        static final Resolution UNKNOWN = new Resolution(Kind.UNKNOWN, null);
    }

    private final Path imageRoot;
    /** Mount destination → the host directory or file mounted there, empty for mounts without one. */
    private final TreeMap<String, Optional<Path>> mounts = new TreeMap<>();

    /**
     * @param mounts bwrap's operation for each mount destination, as {@link BwrapCommand} lays them
     *               out: {@code --bind SRC DST} and its read-only and device forms have a host source
     */
    ContainerPaths(Path imageRoot, Map<String, List<String>> mounts) {
        this.imageRoot = imageRoot;
        mounts.forEach((destination, operation) -> this.mounts.put(destination, hostSource(operation)));
    }

    private static Optional<Path> hostSource(List<String> operation) {
        return operation.size() == 3 && operation.getFirst().endsWith("bind") ? Optional.of(Path.of(operation.get(1))) : Optional.empty();
    }

    /** The paths of an image's own tree, with nothing mounted over it: what an image holds before it runs. */
    public static ContainerPaths ofImage(Path imageRoot) {
        return new ContainerPaths(imageRoot, Map.of());
    }

    /** Resolves an absolute container path. */
    public Resolution resolve(String containerPath) {
        Deque<String> pending = new ArrayDeque<>(components(containerPath));
        Deque<String> resolved = new ArrayDeque<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String name = pending.pollFirst();
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                resolved.pollLast();
                continue;
            }
            resolved.addLast(name);
            Optional<Path> host = hostPath(join(resolved));
            if (host.isEmpty()) {
                return Resolution.UNKNOWN;
            }
            Path file = host.get();
            if (Files.isSymbolicLink(file)) {
                if (++links > MAX_LINKS) {
                    return Resolution.MISSING;
                }
                String target;
                try {
                    target = Files.readSymbolicLink(file).toString();
                } catch (IOException e) {
                    return Resolution.UNKNOWN;
                }
                resolved.pollLast();
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                List<String> targetComponents = components(target);
                for (int i = targetComponents.size() - 1; i >= 0; i--) {
                    pending.addFirst(targetComponents.get(i));
                }
            } else if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !leadsToAMount(join(resolved))) {
                return Resolution.MISSING;
            }
        }
        return hostPath(join(resolved)).map(host -> new Resolution(Kind.FOUND, host)).orElse(Resolution.UNKNOWN);
    }

    /** Whether something is mounted below {@code containerPath}: then it is a directory bwrap makes, even where the image has none. */
    private boolean leadsToAMount(String containerPath) {
        String prefix = containerPath + "/";
        String next = mounts.ceilingKey(prefix);
        return next != null && next.startsWith(prefix);
    }

    /** The host path of a container path that holds no links: under the innermost mount, else in the image. */
    private Optional<Path> hostPath(String containerPath) {
        for (Map.Entry<String, Optional<Path>> mount = mounts.floorEntry(containerPath); mount != null;
             mount = mounts.lowerEntry(mount.getKey())) {
            String destination = mount.getKey();
            if (containerPath.equals(destination) || containerPath.startsWith(destination.endsWith("/") ? destination : destination + "/")) {
                String rest = containerPath.substring(destination.length());
                return mount.getValue().map(source -> rest.isEmpty() ? source : source.resolve(rest.substring(1)));
            }
        }
        return Optional.of(containerPath.equals("/") ? imageRoot : imageRoot.resolve(containerPath.substring(1)));
    }

    private static List<String> components(String path) {
        return List.of(path.split("/")).stream().filter(part -> !part.isEmpty()).toList();
    }

    private static String join(Deque<String> components) {
        return "/" + String.join("/", components);
    }
}
