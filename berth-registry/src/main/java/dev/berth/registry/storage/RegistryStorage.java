package dev.berth.registry.storage;

import dev.berth.oci.Digest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the registry keeps its content and metadata. Blobs (manifests included) are stored once,
 * by digest; repositories hold links to them, tags and referrer links. Implementations make every
 * change atomic: a crash leaves each name either as it was or as it became, never half written.
 * The filesystem implementation is the default; an object-store one can implement the same contract.
 */
public interface RegistryStorage extends Closeable {

    // ---- blobs, shared by all repositories

    /** The size of a stored blob, or empty when the registry does not have it. */
    Optional<Long> blobSize(Digest digest) throws IOException;

    /** Opens a stored blob for reading; throws {@link java.nio.file.NoSuchFileException} when absent. */
    SeekableByteChannel openBlob(Digest digest) throws IOException;

    /** Stores bytes the caller has already verified against the digest (manifests). */
    void putBlob(Digest digest, byte[] content) throws IOException;

    /** When the blob was last written or touched: the start of its grace period. */
    Optional<Instant> blobTouched(Digest digest) throws IOException;

    /** Marks a blob as just used, so a collection that started earlier keeps it. */
    void touchBlob(Digest digest) throws IOException;

    /** Calls the consumer with every stored blob. */
    void forEachBlob(Consumer<Digest> consumer) throws IOException;

    void deleteBlob(Digest digest) throws IOException;

    // ---- upload sessions: bytes on their way to becoming a blob

    void createUpload(UploadState state) throws IOException;

    /** The upload's state as last committed; bytes of an interrupted append are not counted. */
    Optional<UploadState> upload(String id) throws IOException;

    /**
     * Appends a chunk at the end of the upload and returns the new state. If the source fails,
     * the upload is left exactly as it was before the call. {@code tap} sees every appended byte
     * once, in order, perhaps on another thread, and is done with them when this returns.
     */
    UploadState append(UploadState state, ChunkSource source, Consumer<ByteBuffer> tap) throws IOException;

    /** The upload's bytes so far, to hash them again. */
    InputStream readUpload(String id) throws IOException;

    /**
     * Makes the upload's bytes the blob with this (verified) digest and ends the session. The blob
     * counts as touched now, when it becomes visible, however long ago its bytes arrived.
     */
    void commitUpload(String id, Digest digest) throws IOException;

    void deleteUpload(String id) throws IOException;

    List<UploadState> uploads() throws IOException;

    // ---- repositories

    List<String> repositories() throws IOException;

    boolean repositoryExists(String repository) throws IOException;

    boolean hasBlobLink(String repository, Digest digest) throws IOException;

    void linkBlob(String repository, Digest digest) throws IOException;

    boolean unlinkBlob(String repository, Digest digest) throws IOException;

    List<Digest> blobLinks(String repository) throws IOException;

    /** The media type the manifest was pushed with, or empty when the repository does not hold it. */
    Optional<String> manifestMediaType(String repository, Digest digest) throws IOException;

    /** Records that the repository holds the manifest, and the media type it was pushed with. */
    void linkManifest(String repository, Digest digest, String mediaType) throws IOException;

    boolean unlinkManifest(String repository, Digest digest) throws IOException;

    /** When the manifest was last pushed to the repository (linked or linked again); empty when it is not linked. */
    Optional<Instant> manifestLinked(String repository, Digest digest) throws IOException;

    List<Digest> manifestLinks(String repository) throws IOException;

    /** Every tag of the repository, in ASCII order. */
    NavigableMap<String, Digest> tags(String repository) throws IOException;

    /** Points the tag at the digest in one atomic step. */
    void putTag(String repository, String tag, Digest digest) throws IOException;

    boolean deleteTag(String repository, String tag) throws IOException;

    void linkReferrer(String repository, Digest subject, Digest referrer) throws IOException;

    void unlinkReferrer(String repository, Digest subject, Digest referrer) throws IOException;

    List<Digest> referrers(String repository, Digest subject) throws IOException;
}
