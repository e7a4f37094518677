package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.registry.storage.RegistryStorage;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The blobs of each repository: which repository sees which blob, blobs the registry makes
 * itself, deletion and cross-repository mounts. A digest's lock is held while a blob is found
 * present and about to be referenced, so a collection that started earlier keeps it.
 */
public final class RepositoryBlobs {
    private final RegistryStorage storage;
    private final RegistryConfig config;
    private final RepositoryIndex index;
    private final StripedLocks digestLocks;

    RepositoryBlobs(RegistryStorage storage, RegistryConfig config, RepositoryIndex index, StripedLocks digestLocks) {
        this.storage = storage;
        this.config = config;
        this.index = index;
        this.digestLocks = digestLocks;
    }

    /** The size of a blob the repository holds; BLOB_UNKNOWN otherwise. */
    public long blobSize(String repository, Digest digest) throws IOException {
        Names.requireRepository(repository);
        if (storage.hasBlobLink(repository, digest)) {
            Optional<Long> size = storage.blobSize(digest);
            if (size.isPresent()) {
                return size.get();
            }
        }
        throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in repository " + repository);
    }

    /**
     * Answers a client asking whether it must upload a blob. A yes usually means the client will
     * reference the blob next, so it is touched to keep a running collection from removing it.
     */
    public long blobSizeForPush(String repository, Digest digest) throws IOException {
        ReentrantLock lock = digestLocks.lockFor(digest);
        lock.lock();
        try {
            long size = blobSize(repository, digest);
            storage.touchBlob(digest);
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Stores content the registry makes itself (an attestation) as a blob of the repository; returns its digest. */
    public Digest putBlob(String repository, byte[] content) throws IOException {
        Names.requireRepository(repository);
        Digest digest = Digest.of(content);
        ReentrantLock lock = digestLocks.lockFor(digest);
        lock.lock();
        try {
            if (storage.blobSize(digest).isEmpty()) {
                storage.putBlob(digest, content);
            } else {
                storage.touchBlob(digest);
            }
            storage.linkBlob(repository, digest);
            index.created(repository);
        } finally {
            lock.unlock();
        }
        return digest;
    }

    public SeekableByteChannel openBlob(Digest digest) throws IOException {
        return storage.openBlob(digest);
    }

    public void deleteBlob(String repository, Digest digest) throws IOException {
        config.requireDeletes();
        index.requireExisting(repository);
        if (!storage.unlinkBlob(repository, digest)) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in repository " + repository);
        }
    }

    /**
     * Links a blob another repository (or, without {@code from}, any repository) holds into this
     * one. False when it cannot: the client then uploads it.
     */
    public boolean mount(String repository, Digest digest, String from) throws IOException {
        Names.requireRepository(repository);
        if (from != null) {
            Names.requireRepository(from);
        }
        ReentrantLock lock = digestLocks.lockFor(digest);
        lock.lock();
        try {
            boolean visible = from == null || storage.hasBlobLink(from, digest);
            if (!visible || storage.blobSize(digest).isEmpty()) {
                return false;
            }
            storage.touchBlob(digest);
            storage.linkBlob(repository, digest);
            index.created(repository);
            return true;
        } finally {
            lock.unlock();
        }
    }
}
