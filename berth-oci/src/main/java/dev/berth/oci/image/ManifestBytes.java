package dev.berth.oci.image;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.DigestMismatchException;
import dev.berth.oci.InvalidImageException;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A manifest or index exactly as it was received or written. The digest is over these bytes,
 * so they are never re-serialised; the parsed view exists only to follow references.
 */
public final class ManifestBytes {
    /** Manifests larger than this are refused, as registries do. */
    public static final int MAX_SIZE = 4 * 1024 * 1024;

    private final byte[] bytes;
    private final String mediaType;
    private final Digest digest;
    private final ImageManifest manifest;
    private final ImageIndex index;

    private ManifestBytes(byte[] bytes, String mediaType, Digest digest, ImageManifest manifest, ImageIndex index) {
        this.bytes = bytes;
        this.mediaType = mediaType;
        this.digest = digest;
        this.manifest = manifest;
        this.index = index;
    }

    /**
     * Parses and validates a manifest. {@code declaredMediaType} is what the container of the
     * bytes said they are (a descriptor, a Content-Type header); it may be null.
     */
    public static ManifestBytes parse(byte[] bytes, String declaredMediaType) {
        return parse(bytes, declaredMediaType, DigestAlgorithm.SHA256);
    }

    public static ManifestBytes parse(byte[] bytes, String declaredMediaType, DigestAlgorithm algorithm) {
        if (bytes.length > MAX_SIZE) {
            throw new InvalidImageException("manifest is " + bytes.length + " bytes, more than the limit of " + MAX_SIZE);
        }
        ManifestFields fields = ManifestFields.read(bytes);
        String mediaType = resolveMediaType(fields, declaredMediaType);
        if (fields.schemaVersion() == null || fields.schemaVersion() != 2) {
            throw new InvalidImageException("manifest of type " + mediaType + " must have schemaVersion 2");
        }
        Digest digest = Digest.of(algorithm, bytes);
        if (MediaType.isIndex(mediaType)) {
            if (fields.manifests() == null) {
                throw new InvalidImageException("image index " + digest + " has no manifests array");
            }
            return new ManifestBytes(bytes, mediaType, digest, null, fields.index());
        }
        if (fields.config() == null) {
            throw new InvalidImageException("image manifest " + digest + " has no config descriptor");
        }
        if (fields.layers() == null) {
            throw new InvalidImageException("image manifest " + digest + " has no layers array");
        }
        return new ManifestBytes(bytes, mediaType, digest, fields.manifest(), null);
    }

    /** Parses and checks that the bytes hash to {@code expected}; {@code what} names them in errors. */
    public static ManifestBytes parseVerified(byte[] bytes, String declaredMediaType, Digest expected, String what) {
        ManifestBytes parsed = parse(bytes, declaredMediaType, expected.algorithm());
        if (!parsed.digest.equals(expected)) {
            throw new DigestMismatchException(what, expected, parsed.digest);
        }
        return parsed;
    }

    /** Serialises a manifest berth itself creates; the result is then fixed forever. */
    public static ManifestBytes create(ImageManifest manifest) {
        return parse(Json.write(manifest), manifest.mediaType());
    }

    public static ManifestBytes create(ImageIndex index) {
        return parse(Json.write(index), index.mediaType());
    }

    private static String resolveMediaType(ManifestFields fields, String declared) {
        String inDocument = fields.mediaType();
        if (inDocument != null && declared != null && MediaType.isManifest(declared) && !inDocument.equals(declared)) {
            throw new InvalidImageException("manifest says its mediaType is " + inDocument + " but it was given as " + declared);
        }
        String mediaType = inDocument != null ? inDocument : declared;
        if (mediaType == null || !MediaType.isManifest(mediaType)) {
            if (mediaType == null && fields.hasManifestsField()) {
                mediaType = MediaType.OCI_INDEX;
            } else if (mediaType == null && fields.hasConfigField()) {
                mediaType = MediaType.OCI_MANIFEST;
            } else {
                throw new InvalidImageException("unsupported manifest media type " + (mediaType == null ? "(none)" : mediaType));
            }
        }
        return mediaType;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes without a defensive copy, for writing them out. */
    public byte[] bytesUnsafe() {
        return bytes;
    }

    public int size() {
        return bytes.length;
    }

    public String mediaType() {
        return mediaType;
    }

    public Digest digest() {
        return digest;
    }

    public boolean isIndex() {
        return index != null;
    }

    public ImageManifest manifest() {
        if (manifest == null) {
            throw new IllegalStateException(digest + " is an index, not an image manifest");
        }
        return manifest;
    }

    public ImageIndex index() {
        if (index == null) {
            throw new IllegalStateException(digest + " is an image manifest, not an index");
        }
        return index;
    }

    public Optional<Descriptor> subject() {
        return Optional.ofNullable(isIndex() ? index.subject() : manifest.subject());
    }

    public String artifactType() {
        return isIndex() ? index.artifactType() : manifest.artifactType();
    }

    /** What this manifest points at: the config then the layers, or an index's manifests. */
    public List<Descriptor> references() {
        if (isIndex()) {
            return index.manifests();
        }
        List<Descriptor> refs = new ArrayList<>(manifest.layers().size() + 1);
        refs.add(manifest.config());
        refs.addAll(manifest.layers());
        return refs;
    }

    public Descriptor descriptor() {
        return Descriptor.of(mediaType, digest, bytes.length);
    }
}
