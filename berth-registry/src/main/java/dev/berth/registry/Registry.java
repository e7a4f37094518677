package dev.berth.registry;

import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import dev.berth.registry.storage.RegistryStorage;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registry's rules over its storage, in its three concerns: blobs and mounts
 * ({@link RepositoryBlobs}), upload sessions ({@link BlobUploads}), and manifests, tags and
 * referrers ({@link RepositoryManifests}). Thread-safe; the HTTP layer calls it from one virtual
 * thread per request.
 *
 * <p>Locks: a digest's lock is held whenever something decides a blob is present and about to be
 * referenced (a HEAD, a mount, a manifest push), and by the collector while it decides a blob may
 * go; each such decision touches the blob, so a collection that started earlier keeps it.
 */
public final class Registry {
    private final RegistryStorage storage;
    private final RegistryConfig config;
    private final StripedLocks digestLocks = new StripedLocks(256);
    private final RepositoryBlobs blobs;
    private final BlobUploads uploads;
    private final RepositoryManifests manifests;

    public Registry(RegistryStorage storage, RegistryConfig config) throws IOException {
        this(storage, config, TagChanges.UNRECORDED);
    }

    public Registry(RegistryStorage storage, RegistryConfig config, TagChanges tagChanges) throws IOException {
        this.storage = storage;
        this.config = config;
        RepositoryIndex index = new RepositoryIndex(storage);
        this.blobs = new RepositoryBlobs(storage, config, index, digestLocks);
        this.uploads = new BlobUploads(storage, digestLocks, index);
        this.manifests = new RepositoryManifests(storage, config, index, digestLocks, tagChanges);
    }

    /** Blobs as repositories see them, and mounts between repositories. */
    public RepositoryBlobs blobs() {
        return blobs;
    }

    /** Upload sessions: how blob content arrives before it becomes part of a repository. */
    public BlobUploads uploads() {
        return uploads;
    }

    /** Manifests, tags, referrers and repository listings. */
    public RepositoryManifests manifests() {
        return manifests;
    }

    public RegistryConfig config() {
        return config;
    }

    RegistryStorage storage() {
        return storage;
    }

    ReentrantLock digestLock(Digest digest) {
        return digestLocks.lockFor(digest);
    }

    public static boolean isDigestReference(String reference) {
        return reference.indexOf(':') >= 0;
    }

    static Digest parseDigest(String text) {
        try {
            return Digest.parse(text);
        } catch (BerthException e) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, e.getMessage());
        }
    }
}
