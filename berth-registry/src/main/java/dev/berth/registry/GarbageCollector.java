package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.registry.storage.RegistryStorage;
import dev.berth.registry.storage.UploadState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Online mark and sweep. With an untagged retention, first removes the manifests that no tag has
 * kept for that long ({@link Registry#removeUntagged}). Marks every manifest a repository holds and everything those manifests
 * reference; sweeps the rest, but only blobs untouched since {@code start - grace}. Pushes go on
 * meanwhile: a blob that was just uploaded, or that a push was just told exists (HEAD, mount,
 * manifest validation), has been touched after the collection started, and the touch and the
 * sweep's decision are serialised by the blob's lock, so no push loses a blob it relies on.
 */
public final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    /** What one collection did. */
    public record Report(int manifestsRemoved, int blobsKept, int blobsDeleted, long bytesFreed, int uploadsExpired,
                         Duration took) {
        @Override
        public String toString() {
            return "removed " + manifestsRemoved + " untagged manifests, kept " + blobsKept + " blobs, deleted " + blobsDeleted + " (" + bytesFreed + " bytes), expired "
                    + uploadsExpired + " uploads in " + took.toMillis() + " ms";
        }
    }

    private final Registry registry;
    private final RegistryStorage storage;
    private final Object running = new Object();

    public GarbageCollector(Registry registry) {
        this.registry = registry;
        this.storage = registry.storage();
    }

    public Report collect(Duration grace, Duration uploadExpiry) throws IOException {
        synchronized (running) {
            Instant start = Instant.now();
            int untagged = removeUntagged(start, grace);
            Set<Digest> marked = mark();
            Instant cutoff = start.minus(grace);
            List<Digest> candidates = new ArrayList<>();
            int[] kept = {0};
            storage.forEachBlob(digest -> {
                if (marked.contains(digest)) {
                    kept[0]++;
                } else {
                    candidates.add(digest);
                }
            });
            Set<Digest> deleted = new HashSet<>();
            long freed = 0;
            for (Digest digest : candidates) {
                ReentrantLock lock = registry.digestLock(digest);
                lock.lock();
                try {
                    Optional<Instant> touched = storage.blobTouched(digest);
                    if (touched.isPresent() && touched.get().isBefore(cutoff)) {
                        freed += storage.blobSize(digest).orElse(0L);
                        storage.deleteBlob(digest);
                        registry.manifests().forget(digest);
                        deleted.add(digest);
                    } else {
                        kept[0]++;
                    }
                } finally {
                    lock.unlock();
                }
            }
            removeDanglingLinks(deleted);
            int expired = expireUploads(start.minus(uploadExpiry));
            Report report = new Report(untagged, kept[0], deleted.size(), freed, expired, Duration.between(start, Instant.now()));
            LOG.info("garbage collection: {}", report);
            return report;
        }
    }

    /** Never sooner than the grace period: an index's entries are pushed, untagged, just before the index. */
    private int removeUntagged(Instant start, Duration grace) throws IOException {
        Duration retention = registry.config().untaggedRetention();
        if (retention == null) {
            return 0;
        }
        Instant keptSince = start.minus(retention.compareTo(grace) > 0 ? retention : grace);
        int removed = 0;
        for (String repository : storage.repositories()) {
            removed += registry.manifests().removeUntagged(repository, keptSince);
        }
        return removed;
    }

    private Set<Digest> mark() throws IOException {
        Set<Digest> marked = new HashSet<>();
        registry.manifests().forEachManifest((digest, manifest) -> {
            marked.add(digest);
            if (manifest != null) {
                for (Descriptor reference : manifest.references()) {
                    marked.add(reference.digest());
                }
            }
        });
        return marked;
    }

    /** Repository links to blobs this collection deleted, unless a push brought the blob back meanwhile. */
    private void removeDanglingLinks(Set<Digest> deleted) throws IOException {
        if (deleted.isEmpty()) {
            return;
        }
        for (String repository : storage.repositories()) {
            for (Digest digest : storage.blobLinks(repository)) {
                if (!deleted.contains(digest)) {
                    continue;
                }
                ReentrantLock lock = registry.digestLock(digest);
                lock.lock();
                try {
                    if (storage.blobSize(digest).isEmpty()) {
                        storage.unlinkBlob(repository, digest);
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private int expireUploads(Instant startedBefore) throws IOException {
        int expired = 0;
        for (UploadState upload : storage.uploads()) {
            if (!upload.started().isBefore(startedBefore)) {
                continue;
            }
            // A request is feeding it right now: it is not abandoned, and the collection must not wait for it.
            try (KeyedLocks.Held held = registry.uploads().tryLock(upload.id())) {
                if (held == null) {
                    continue;
                }
                registry.uploads().forget(upload.id());
                storage.deleteUpload(upload.id());
                expired++;
            }
        }
        return expired;
    }
}
