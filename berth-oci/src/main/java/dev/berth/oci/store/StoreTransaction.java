package dev.berth.oci.store;

import dev.berth.oci.AtomicFiles;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.InvalidImageException;
import dev.berth.oci.MediaType;
import dev.berth.oci.Reference;
import dev.berth.oci.ScratchDirectory;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.transfer.BlobOpener;
import dev.berth.oci.transfer.ImageSink;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adds images to the store all at once or not at all. Blobs are verified into a private
 * staging directory; {@link #commit()} checks that every image is complete, moves the blobs into
 * place and then names the images. Closing without commit names nothing and adds no blob; the
 * blobs it had downloaded are kept as partial downloads, which the next pull resumes from and a
 * prune removes.
 */
public final class StoreTransaction implements ImageSink {
    private final LocalStore store;
    private final StoreLock.Held lock;
    private final ScratchDirectory staging;
    private final Map<Digest, Path> staged = new ConcurrentHashMap<>();
    private final Set<Digest> downloaded = ConcurrentHashMap.newKeySet();
    private final Map<Digest, ManifestBytes> manifests = new ConcurrentHashMap<>();
    private final Map<Reference, ManifestBytes> names = new LinkedHashMap<>();
    private final Set<ManifestBytes> referrers = ConcurrentHashMap.newKeySet();
    private boolean committed;

    StoreTransaction(LocalStore store, StoreLock.Held lock, ScratchDirectory staging) {
        this.store = store;
        this.lock = lock;
        this.staging = staging;
    }

    @Override
    public boolean hasBlob(Descriptor descriptor) {
        return staged.containsKey(descriptor.digest()) || store.hasBlob(descriptor.digest());
    }

    @Override
    public void putBlob(Descriptor descriptor, InputStream content) throws IOException {
        Digest digest = descriptor.digest();
        Path target = staging.path().resolve(digest.algorithm().id() + "-" + digest.hex());
        AtomicFiles.writeVerified(target, content, digest, descriptor.size(), "blob " + digest);
        staged.put(digest, target);
    }

    /** A download resumes what an earlier, interrupted one of the blob left (see {@link PartialBlobs}). */
    @Override
    public void putBlob(Descriptor descriptor, BlobOpener content) throws IOException {
        Digest digest = descriptor.digest();
        Path target = staging.path().resolve(digest.algorithm().id() + "-" + digest.hex());
        if (content.costlyToReadAgain() && store.partials().write(descriptor, content, target, "blob " + digest)) {
            staged.put(digest, target);
            downloaded.add(digest);
            return;
        }
        try (InputStream in = content.open()) {
            putBlob(descriptor, in);
        }
    }

    @Override
    public void putManifest(ManifestBytes manifest) throws IOException {
        if (!hasBlob(manifest.descriptor())) {
            putBlob(manifest.descriptor(), new ByteArrayInputStream(manifest.bytesUnsafe()));
        }
        manifests.put(manifest.digest(), manifest);
    }

    /** Stores {@code referrer}, a manifest with a subject, as one of its subject's referrers (see {@link LocalStore#referrers}). */
    public void putReferrer(ManifestBytes referrer) throws IOException {
        if (referrer.subject().isEmpty()) {
            throw new IllegalArgumentException("a referrer names its subject");
        }
        putManifest(referrer);
        referrers.add(referrer);
    }

    @Override
    public synchronized void tag(Reference name, ManifestBytes root) {
        names.put(name, root);
    }

    @Override
    public synchronized void commit() throws IOException {
        for (ManifestBytes manifest : manifests.values()) {
            requireComplete(manifest);
        }
        for (Map.Entry<Digest, Path> blob : staged.entrySet()) {
            Path target = store.blobPath(blob.getKey());
            if (!Files.exists(target)) {
                Files.move(blob.getValue(), target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
        // One fsync per directory, not per blob: it makes every rename in it durable.
        Set<Path> directories = new HashSet<>();
        for (Digest digest : staged.keySet()) {
            directories.add(store.blobPath(digest).getParent());
        }
        for (Path directory : directories) {
            AtomicFiles.syncDirectory(directory);
        }
        for (ManifestBytes referrer : referrers) {
            Path marks = Files.createDirectories(store.referrerMarks(referrer.subject().orElseThrow().digest()));
            Path mark = marks.resolve(LocalStore.referrerMarkName(referrer.digest()));
            if (!Files.exists(mark)) {
                Files.createFile(mark);
            }
        }
        for (Map.Entry<Reference, ManifestBytes> name : names.entrySet()) {
            store.tag(name.getKey(), name.getValue().descriptor());
        }
        committed = true;
    }

    /** An image manifest must have its config and layers; an index may hold only some platforms. */
    private void requireComplete(ManifestBytes manifest) {
        if (manifest.isIndex()) {
            return;
        }
        for (Descriptor blob : manifest.references()) {
            boolean mayBeAbsent = MediaType.isNonDistributable(blob.mediaType()) && !blob.urls().isEmpty();
            if (!mayBeAbsent && !hasBlob(blob)) {
                throw new InvalidImageException("manifest " + manifest.digest() + " names blob " + blob.digest()
                        + " (" + blob.mediaType() + ") which is missing");
            }
        }
    }

    public boolean committed() {
        return committed;
    }

    /** Without a commit nothing is named; the blobs downloaded so far wait in the partial downloads for the next pull. */
    @Override
    public void close() throws IOException {
        try {
            if (!committed) {
                for (Digest digest : downloaded) {
                    store.partials().keep(digest, staged.get(digest));
                }
            }
            staging.close();
        } finally {
            lock.close();
        }
    }
}
