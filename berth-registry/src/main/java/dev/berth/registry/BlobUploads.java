package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.DigestingInputStream;
import dev.berth.registry.storage.ChunkSource;
import dev.berth.registry.storage.RegistryStorage;
import dev.berth.registry.storage.UploadState;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Blob upload sessions: chunks arrive in order, are hashed as they come, and become a blob of the
 * repository only when the whole content matches the digest the client names. One request feeds
 * an upload at a time (its lock); the collector skips uploads in use.
 */
public final class BlobUploads {
    private final RegistryStorage storage;
    private final StripedLocks digestLocks;
    private final RepositoryIndex index;
    private final KeyedLocks locks = new KeyedLocks();
    private final ConcurrentHashMap<String, UploadHasher> hashers = new ConcurrentHashMap<>();

    BlobUploads(RegistryStorage storage, StripedLocks digestLocks, RepositoryIndex index) {
        this.storage = storage;
        this.digestLocks = digestLocks;
        this.index = index;
    }

    /** The upload's lock when no request holds it, else null: that upload is in use. */
    KeyedLocks.Held tryLock(String id) {
        return locks.tryLock(id);
    }

    void forget(String id) {
        hashers.remove(id);
    }

    public UploadState start(String repository, DigestAlgorithm algorithm) throws IOException {
        Names.requireRepository(repository);
        UploadState state = new UploadState(UUID.randomUUID().toString(), repository, algorithm, 0, Instant.now());
        storage.createUpload(state);
        hashers.put(state.id(), new UploadHasher(algorithm));
        return state;
    }

    public UploadState status(String repository, String id) throws IOException {
        Names.requireRepository(repository);
        return storage.upload(id)
                .filter(state -> state.repository().equals(repository))
                .orElseThrow(() -> new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN,
                        "upload " + id + " is not in progress in repository " + repository));
    }

    /** Appends a chunk; {@code range}, when given, must continue exactly where the upload stands. */
    public UploadState appendChunk(String repository, String id, ContentRange range, ChunkSource body) throws IOException {
        try (KeyedLocks.Held ignored = locks.lock(id)) {
            return append(status(repository, id), range, body);
        }
    }

    private UploadState append(UploadState state, ContentRange range, ChunkSource body) throws IOException {
        if (range != null && range.start() != state.size()) {
            throw RegistryException.rangeNotSatisfiable("chunk starts at byte " + range.start()
                    + " but the upload has " + state.size() + " bytes: chunks must come in order");
        }
        UploadHasher hasher = hashers.get(state.id());
        if (hasher != null && hasher.position() != state.size()) {
            hashers.remove(state.id());
            hasher = null;
        }
        if (hasher == null && state.size() == 0) {
            hasher = new UploadHasher(state.algorithm());
            hashers.put(state.id(), hasher);
        }
        UploadHasher feeding = hasher;
        ChunkSource checked = target -> {
            long written = body.writeTo(target);
            if (range != null && written != range.length()) {
                throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "chunk " + range.start() + "-" + range.end()
                        + " should be " + range.length() + " bytes but " + written + " arrived");
            }
            return written;
        };
        try {
            // Without a running hash (after a restart), closing the upload hashes the stored bytes.
            return storage.append(state, checked, feeding == null ? bytes -> { } : feeding::update);
        } catch (IOException | RuntimeException e) {
            hashers.remove(state.id());
            throw e;
        }
    }

    /**
     * Closes an upload: appends the last chunk if there is one, checks the whole content against
     * {@code expected}, and only then makes it a blob of the repository. On a mismatch nothing is
     * stored and the session ends.
     */
    public Digest finish(String repository, String id, Digest expected, ContentRange range, ChunkSource lastChunk)
            throws IOException {
        try (KeyedLocks.Held ignored = locks.lock(id)) {
            UploadState state = status(repository, id);
            if (lastChunk != null) {
                state = append(state, range, lastChunk);
            }
            Digest actual = hashOf(state, expected.algorithm());
            hashers.remove(id);
            if (!actual.equals(expected)) {
                storage.deleteUpload(id);
                throw new RegistryException(ErrorCode.DIGEST_INVALID, "uploaded content has digest " + actual
                        + ", not " + expected + "; nothing was stored");
            }
            ReentrantLock blobLock = digestLocks.lockFor(expected);
            blobLock.lock();
            try {
                storage.commitUpload(id, expected);
                storage.linkBlob(repository, expected);
                index.created(repository);
            } finally {
                blobLock.unlock();
            }
            return expected;
        }
    }

    private Digest hashOf(UploadState state, DigestAlgorithm algorithm) throws IOException {
        UploadHasher hasher = hashers.get(state.id());
        if (hasher != null && hasher.algorithm() == algorithm && hasher.position() == state.size()) {
            return hasher.digest();
        }
        try (InputStream in = storage.readUpload(state.id());
             DigestingInputStream digesting = new DigestingInputStream(in, algorithm)) {
            long remaining = state.size();
            byte[] buffer = new byte[256 * 1024];
            while (remaining > 0) {
                int n = digesting.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new IOException("upload " + state.id() + " is shorter than its recorded " + state.size() + " bytes");
                }
                remaining -= n;
            }
            return digesting.digest();
        }
    }

    public void cancel(String repository, String id) throws IOException {
        try (KeyedLocks.Held ignored = locks.lock(id)) {
            status(repository, id);
            hashers.remove(id);
            storage.deleteUpload(id);
        }
    }
}
