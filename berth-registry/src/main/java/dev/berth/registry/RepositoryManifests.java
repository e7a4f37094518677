package dev.berth.registry;

import dev.berth.oci.BerthException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.InvalidImageException;
import dev.berth.oci.MediaType;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.registry.storage.RegistryStorage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The manifests, tags and referrers of each repository: what a manifest push must prove before
 * it becomes visible, and how tags, referrers and deletions move together. A repository's lock
 * serialises its manifest, tag and referrer changes with its in-memory index; a digest's lock is
 * held while a referenced blob is found present.
 */
public final class RepositoryManifests {
    private final RegistryStorage storage;
    private final RegistryConfig config;
    private final RepositoryIndex index;
    private final ManifestCache cache;
    private final StripedLocks digestLocks;
    private final StripedLocks repositoryLocks = new StripedLocks(64);
    private final TagChanges tagChanges;

    RepositoryManifests(RegistryStorage storage, RegistryConfig config, RepositoryIndex index, StripedLocks digestLocks,
                        TagChanges tagChanges) {
        this.storage = storage;
        this.config = config;
        this.index = index;
        this.cache = new ManifestCache(config.manifestCacheBytes());
        this.digestLocks = digestLocks;
        this.tagChanges = tagChanges;
    }

    /** Drops a manifest the collector removed from the cache. */
    void forget(Digest digest) {
        cache.remove(digest);
    }

    /** A manifest by tag or digest, as the repository holds it. */
    public ManifestBytes manifest(String repository, String reference) throws IOException {
        index.requireExisting(repository);
        RepositoryIndex.Repository repo = index.get(repository);
        Digest digest;
        if (Registry.isDigestReference(reference)) {
            digest = Registry.parseDigest(reference);
            if (!repo.manifests.contains(digest)) {
                throw manifestUnknown(repository, reference);
            }
        } else {
            digest = repo.tags.get(reference);
            if (digest == null) {
                throw manifestUnknown(repository, reference);
            }
        }
        return load(repository, digest).orElseThrow(() -> manifestUnknown(repository, reference));
    }

    /**
     * The manifest when answering needs no storage access (a known repository, reference and
     * cached content), else null: the caller then takes the full, possibly blocking, path.
     */
    public ManifestBytes cachedManifest(String repository, String reference) {
        RepositoryIndex.Repository repo = index.loadedOrNull(repository);
        if (repo == null || Registry.isDigestReference(reference)) {
            return null;
        }
        Digest digest = repo.tags.get(reference);
        return digest == null ? null : cache.get(digest);
    }

    private Optional<ManifestBytes> load(String repository, Digest digest) throws IOException {
        ManifestBytes cached = cache.get(digest);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<String> mediaType = storage.manifestMediaType(repository, digest);
        if (mediaType.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes;
        try (SeekableByteChannel channel = storage.openBlob(digest);
             InputStream in = Channels.newInputStream(channel)) {
            bytes = in.readNBytes(ManifestBytes.MAX_SIZE + 1);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        ManifestBytes parsed = ManifestBytes.parseVerified(bytes, mediaType.get(), digest, "stored manifest " + digest);
        cache.put(parsed);
        return Optional.of(parsed);
    }

    /** What a manifest push did: the manifest, the subject it refers to, and the tags that now point at it. */
    public record PushedManifest(Descriptor descriptor, Digest subject, List<String> tags) {
        public Digest digest() {
            return descriptor.digest();
        }
    }

    public PushedManifest putManifest(String repository, String reference, String contentType, byte[] body,
                                      List<String> extraTags, TagChanges.Actor actor) throws IOException {
        Names.requireRepository(repository);
        Digest byDigest = Registry.isDigestReference(reference) ? Registry.parseDigest(reference) : null;
        Set<String> tags = new LinkedHashSet<>();
        if (byDigest == null) {
            tags.add(Names.requireTag(reference));
        }
        for (String tag : extraTags) {
            tags.add(Names.requireTag(tag));
        }
        ManifestBytes manifest = parseManifest(body, contentType, byDigest);
        if (byDigest != null && !manifest.digest().equals(byDigest)) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "manifest has digest " + manifest.digest()
                    + ", not " + byDigest + " as its URL says");
        }
        requireReferencedContent(repository, manifest);
        Digest digest = manifest.digest();
        ReentrantLock blobLock = digestLocks.lockFor(digest);
        blobLock.lock();
        try {
            storage.putBlob(digest, manifest.bytesUnsafe());
        } finally {
            blobLock.unlock();
        }
        Digest subject = manifest.subject().map(Descriptor::digest).orElse(null);
        ReentrantLock repositoryLock = repositoryLocks.lockFor(repository);
        repositoryLock.lock();
        try {
            for (String tag : tags) {
                tagChanges.requireAllowed(repository, tag, taggedNow(repository, tag), digest);
            }
            storage.linkManifest(repository, digest, manifest.mediaType());
            if (subject != null) {
                storage.linkReferrer(repository, subject, digest);
            }
            for (String tag : tags) {
                Digest from = taggedNow(repository, tag);
                if (!digest.equals(from)) {
                    tagChanges.moving(repository, tag, from, digest, actor);
                }
                storage.putTag(repository, tag, digest);
            }
            index.created(repository);
            RepositoryIndex.Repository repo = index.get(repository);
            repo.manifests.add(digest);
            for (String tag : tags) {
                repo.tags.put(tag, digest);
            }
        } finally {
            repositoryLock.unlock();
        }
        cache.put(manifest);
        return new PushedManifest(Descriptor.of(manifest.mediaType(), digest, manifest.bytesUnsafe().length), subject,
                List.copyOf(tags));
    }

    private static ManifestBytes parseManifest(byte[] body, String contentType, Digest byDigest) {
        try {
            if (byDigest != null) {
                return ManifestBytes.parse(body, contentType, byDigest.algorithm());
            }
            ManifestBytes manifest = ManifestBytes.parse(body, contentType, DigestAlgorithm.SHA256);
            // Pushed by tag, a manifest gets the digest algorithm its own content is addressed with.
            List<Descriptor> references = manifest.references();
            if (!references.isEmpty() && references.getFirst().digest().algorithm() != DigestAlgorithm.SHA256) {
                return ManifestBytes.parse(body, contentType, references.getFirst().digest().algorithm());
            }
            return manifest;
        } catch (InvalidImageException e) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, e.getMessage());
        }
    }

    /**
     * An image manifest's config and layers must be blobs of the repository (non-distributable
     * layers excepted), an index's manifests must be manifests of it; a subject need not exist.
     */
    private void requireReferencedContent(String repository, ManifestBytes manifest) throws IOException {
        List<Digest> missing = new ArrayList<>();
        for (Descriptor reference : manifest.references()) {
            if (!manifest.isIndex() && (MediaType.isNonDistributable(reference.mediaType()) || !reference.urls().isEmpty())) {
                continue;
            }
            Digest digest = reference.digest();
            ReentrantLock lock = digestLocks.lockFor(digest);
            lock.lock();
            try {
                boolean linked = manifest.isIndex()
                        ? index.exists(repository) && index.get(repository).manifests.contains(digest)
                        : storage.hasBlobLink(repository, digest);
                if (linked && storage.blobSize(digest).isPresent()) {
                    storage.touchBlob(digest);
                } else {
                    missing.add(digest);
                }
            } finally {
                lock.unlock();
            }
        }
        if (!missing.isEmpty()) {
            throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN, "manifest references "
                    + (manifest.isIndex() ? "manifests" : "blobs") + " that repository " + repository
                    + " does not have: " + missing + "; push them first");
        }
    }

    /** Removes a tag, or a manifest with every tag that points at it. */
    public void deleteManifest(String repository, String reference, TagChanges.Actor actor) throws IOException {
        config.requireDeletes();
        index.requireExisting(repository);
        RepositoryIndex.Repository repo = index.get(repository);
        ReentrantLock repositoryLock = repositoryLocks.lockFor(repository);
        repositoryLock.lock();
        try {
            if (!Registry.isDigestReference(reference)) {
                Digest tagged = repo.tags.get(reference);
                if (tagged == null) {
                    throw manifestUnknown(repository, reference);
                }
                tagChanges.requireAllowed(repository, reference, tagged, null);
                tagChanges.moving(repository, reference, tagged, null, actor);
                storage.deleteTag(repository, reference);
                repo.tags.remove(reference);
                return;
            }
            Digest digest = Registry.parseDigest(reference);
            if (!repo.manifests.contains(digest)) {
                throw manifestUnknown(repository, reference);
            }
            Optional<ManifestBytes> manifest = load(repository, digest);
            List<String> tags = repo.tags.entrySet().stream().filter(tag -> tag.getValue().equals(digest))
                    .map(Map.Entry::getKey).toList();
            for (String tag : tags) {
                tagChanges.requireAllowed(repository, tag, digest, null);
            }
            for (String tag : tags) {
                tagChanges.moving(repository, tag, digest, null, actor);
                storage.deleteTag(repository, tag);
                repo.tags.remove(tag);
            }
            unlinkManifest(repository, repo, digest, manifest);
        } finally {
            repositoryLock.unlock();
        }
    }

    private void unlinkManifest(String repository, RepositoryIndex.Repository repo, Digest digest,
                                Optional<ManifestBytes> manifest) throws IOException {
        Optional<Digest> subject = manifest.flatMap(ManifestBytes::subject).map(Descriptor::digest);
        if (subject.isPresent()) {
            storage.unlinkReferrer(repository, subject.get(), digest);
        }
        storage.unlinkManifest(repository, digest);
        repo.manifests.remove(digest);
    }

    /**
     * Removes the repository's manifests that nothing keeps: a manifest stays while a tag points at
     * it, while it was pushed or a tag pointed at it at or after {@code keptSince}, and while a
     * manifest that stays lists it (an index's entries) or is its subject (signatures, attestations).
     * The collection sweeps their blobs afterwards. Returns how many were removed.
     */
    int removeUntagged(String repository, Instant keptSince) throws IOException {
        ReentrantLock repositoryLock = repositoryLocks.lockFor(repository);
        repositoryLock.lock();
        try {
            if (!index.exists(repository)) {
                return 0;
            }
            RepositoryIndex.Repository repo = index.get(repository);
            Set<Digest> recentlyTagged = tagChanges.taggedSince(repository, keptSince);
            Deque<Digest> reached = new ArrayDeque<>(repo.tags.values());
            for (Digest digest : repo.manifests) {
                Optional<Instant> linked = storage.manifestLinked(repository, digest);
                if (recentlyTagged.contains(digest) || linked.isEmpty() || !linked.get().isBefore(keptSince)) {
                    reached.add(digest);
                }
            }
            Set<Digest> kept = new HashSet<>();
            while (!reached.isEmpty()) {
                Digest digest = reached.pop();
                if (!repo.manifests.contains(digest) || !kept.add(digest)) {
                    continue;
                }
                reached.addAll(storage.referrers(repository, digest));
                Optional<ManifestBytes> manifest = load(repository, digest);
                if (manifest.isPresent() && manifest.get().isIndex()) {
                    manifest.get().references().forEach(entry -> reached.add(entry.digest()));
                }
            }
            List<Digest> unkept = repo.manifests.stream().filter(digest -> !kept.contains(digest)).toList();
            for (Digest digest : unkept) {
                unlinkManifest(repository, repo, digest, load(repository, digest));
            }
            return unkept.size();
        } finally {
            repositoryLock.unlock();
        }
    }

    /**
     * Points {@code tag} at a manifest the repository still holds, as a push of that manifest by
     * tag would (the same rules, the same record). False when it points there already.
     */
    public boolean restoreTag(String repository, String tag, Digest digest, TagChanges.Actor actor) throws IOException {
        index.requireExisting(repository);
        Names.requireTag(tag);
        RepositoryIndex.Repository repo = index.get(repository);
        ReentrantLock repositoryLock = repositoryLocks.lockFor(repository);
        repositoryLock.lock();
        try {
            if (!repo.manifests.contains(digest) || load(repository, digest).isEmpty()) {
                throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + digest + " is no longer in repository "
                        + repository + " (it was deleted): it cannot be restored");
            }
            Digest from = repo.tags.get(tag);
            if (digest.equals(from)) {
                return false;
            }
            tagChanges.requireAllowed(repository, tag, from, digest);
            tagChanges.moving(repository, tag, from, digest, actor);
            storage.putTag(repository, tag, digest);
            repo.tags.put(tag, digest);
            return true;
        } finally {
            repositoryLock.unlock();
        }
    }

    /** The digest a tag points at now, or null. */
    public Digest taggedNow(String repository, String tag) {
        return index.exists(repository) ? index.get(repository).tags.get(tag) : null;
    }

    /** The repository's tags in ASCII order. */
    public NavigableSet<String> tags(String repository) {
        index.requireExisting(repository);
        return index.get(repository).tags.navigableKeySet();
    }

    public NavigableSet<String> repositories() {
        return index.names();
    }

    /** Descriptors of the manifests in the repository whose subject is {@code subject}. */
    public List<Descriptor> referrers(String repository, Digest subject, String artifactType) throws IOException {
        Names.requireRepository(repository);
        if (!index.exists(repository)) {
            return List.of();
        }
        RepositoryIndex.Repository repo = index.get(repository);
        List<Descriptor> result = new ArrayList<>();
        for (Digest referrer : storage.referrers(repository, subject)) {
            if (!repo.manifests.contains(referrer)) {
                continue;
            }
            Optional<ManifestBytes> loaded;
            try {
                loaded = load(repository, referrer);
            } catch (BerthException e) {
                continue;
            }
            if (loaded.isEmpty()) {
                continue;
            }
            ManifestBytes manifest = loaded.get();
            String type = manifest.artifactType();
            if (type == null && !manifest.isIndex()) {
                type = manifest.manifest().config().mediaType();
            }
            if (artifactType != null && !artifactType.equals(type)) {
                continue;
            }
            Map<String, String> annotations = manifest.isIndex() ? manifest.index().annotations() : manifest.manifest().annotations();
            result.add(new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size(), null,
                    annotations, null, null, type));
        }
        result.sort((a, b) -> a.digest().compareTo(b.digest()));
        return result;
    }

    /** Every manifest every repository holds, with what it references: the collector's roots. */
    void forEachManifest(ManifestVisitor visitor) throws IOException {
        for (String repository : storage.repositories()) {
            for (Digest digest : storage.manifestLinks(repository)) {
                visitor.visit(digest, load(repository, digest).orElse(null));
            }
        }
    }

    @FunctionalInterface
    interface ManifestVisitor {
        /** {@code manifest} is null when its content is gone. */
        void visit(Digest digest, ManifestBytes manifest) throws IOException;
    }

    private static RegistryException manifestUnknown(String repository, String reference) {
        return new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in repository " + repository);
    }
}
