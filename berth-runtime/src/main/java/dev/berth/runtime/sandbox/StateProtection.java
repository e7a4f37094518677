package dev.berth.runtime.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps berth's own state out of a container's reach. The home directory, /tmp and the working
 * directory are bound read-write by default, and berth's store, caches, config and installation
 * usually live under one of them: whatever a container wrote there would change what later runs
 * execute. So each such directory gets a read-only bind over it, at every place a writable mount
 * shows it inside, and a writable bind whose source lies inside berth's state becomes read-only.
 */
final class StateProtection {
    private StateProtection() {
    }

    /**
     * The read-only binds to add after {@code mounts}; rewrites, in {@code mounts}, the writable
     * binds of a source inside the state as read-only ones.
     */
    static List<List<String>> readOnlyOver(Map<String, List<String>> mounts, List<Path> berthState) throws IOException {
        // once each: the class path names the installation's lib/ once per jar, and every bind is a mount at each start
        Set<Path> state = new LinkedHashSet<>();
        for (Path path : berthState) {
            if (Files.exists(path)) {
                state.add(path.toRealPath());
            }
        }
        Set<List<String>> protections = new LinkedHashSet<>();
        for (Map.Entry<String, List<String>> mount : mounts.entrySet()) {
            List<String> operation = mount.getValue();
            if (!operation.getFirst().equals("--bind")) {
                continue;
            }
            Path source = Path.of(operation.get(1)).toRealPath();
            Path destination = Path.of(operation.get(2));
            for (Path protectedPath : state) {
                if (source.startsWith(protectedPath)) {
                    mount.setValue(List.of("--ro-bind", operation.get(1), operation.get(2)));
                } else if (protectedPath.startsWith(source)) {
                    String inside = destination.resolve(source.relativize(protectedPath)).toString();
                    protections.add(List.of("--ro-bind", protectedPath.toString(), inside));
                }
            }
        }
        return List.copyOf(protections);
    }
}
