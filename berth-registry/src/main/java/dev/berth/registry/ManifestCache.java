package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.image.ManifestBytes;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Parsed manifests by digest, so hot tags are served from memory. Bounded by total bytes; when
 * full it starts over, which is cheap and keeps whatever is hot coming straight back.
 */
final class ManifestCache {
    private final ConcurrentHashMap<Digest, ManifestBytes> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final long budget;

    ManifestCache(long budget) {
        this.budget = budget;
    }

    ManifestBytes get(Digest digest) {
        return entries.get(digest);
    }

    void put(ManifestBytes manifest) {
        if (entries.putIfAbsent(manifest.digest(), manifest) == null
                && bytes.addAndGet(manifest.size()) > budget) {
            entries.clear();
            bytes.set(0);
        }
    }

    void remove(Digest digest) {
        ManifestBytes removed = entries.remove(digest);
        if (removed != null) {
            bytes.addAndGet(-removed.size());
        }
    }
}
