package dev.berth.registry.storage;

import dev.berth.oci.BerthException;

import java.nio.file.Path;

/** Another process (a running {@code berth serve}, or a collection) already holds the storage root. */
public final class StorageLockedException extends BerthException {
    public StorageLockedException(Path root) {
        super("REGISTRY_LOCKED", "registry storage " + root + " is in use by another berth process"
                + " (a running 'berth serve' collects garbage itself: see gc-interval in docs/registry.md)");
    }
}
