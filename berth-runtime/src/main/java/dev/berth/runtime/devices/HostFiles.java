package dev.berth.runtime.devices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Host files that injections bind: bwrap binds a link's target, so links are resolved first. */
final class HostFiles {
    private HostFiles() {
    }

    /** The regular file {@code path} resolves to; empty for a dangling link, a directory or a path that is gone. */
    static Optional<Path> realFile(Path path) {
        try {
            Path real = path.toRealPath();
            return Files.isRegularFile(real) ? Optional.of(real) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
