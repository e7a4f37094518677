package dev.berth.oci.store;

import dev.berth.oci.AtomicFiles;
import dev.berth.oci.BerthException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.MediaType;
import dev.berth.oci.NotFoundException;
import dev.berth.oci.PrivateDirectory;
import dev.berth.oci.Reference;
import dev.berth.oci.ScratchDirectory;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.transfer.ImageSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The images on this machine: content-addressed blobs under {@code blobs/ALG/HEX} and a name
 * list in {@code refs.json}. Several berth processes may use one store at once: writers hold a
 * shared lock for the whole of their work, prune holds it exclusively, so prune never sees a
 * blob that a running import has written but not yet named.
 */
public final class LocalStore implements ImageSource {
    private final Path root;
    private final Path blobs;
    private final Path staging;
    private final Path referrers;
    private final PartialBlobs partials;
    private final RefsFile refs;
    private final StoreLock contentLock;
    private final StoreLock refsLock;

    private LocalStore(Path root) {
        this.root = root;
        this.blobs = root.resolve("blobs");
        this.staging = root.resolve("staging");
        this.referrers = root.resolve("referrers");
        this.partials = new PartialBlobs(root.resolve("partial"));
        this.refs = new RefsFile(root.resolve("refs.json"));
        this.contentLock = StoreLock.forFile(root.resolve("content.lock"));
        this.refsLock = StoreLock.forFile(root.resolve("refs.lock"));
    }

    /** Opens the store at {@code root}, creating it when it does not exist. */
    public static LocalStore open(Path root) throws IOException {
        try {
            // the store may hold images its user may not share; no one else reads or changes it
            PrivateDirectory.createOrFollow(root, "berth's image store");
            PrivateDirectory.createOrFollow(root.resolve("blobs"), "berth's image store");
            for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
                PrivateDirectory.createOrFollow(root.resolve("blobs").resolve(algorithm.id()), "berth's image store");
            }
            PrivateDirectory.createOrFollow(root.resolve("staging"), "berth's image store");
            PrivateDirectory.createOrFollow(root.resolve("partial"), "berth's image store");
            PrivateDirectory.createOrFollow(root.resolve("referrers"), "berth's image store");
        } catch (IOException e) {
            throw new BerthException("STORE_UNAVAILABLE", "cannot create the image store at " + root + ": " + describe(e)
                    + " (choose another with --data-dir or BERTH_DATA_DIR)", e);
        }
        return new LocalStore(root);
    }

    public Path root() {
        return root;
    }

    /** The file of every name and what it points at: written anew whenever a name changes. */
    public Path namesFile() {
        return refs.path();
    }

    public Path blobPath(Digest digest) {
        return blobs.resolve(digest.algorithm().id()).resolve(digest.hex());
    }

    PartialBlobs partials() {
        return partials;
    }

    public boolean hasBlob(Digest digest) {
        return Files.isRegularFile(blobPath(digest));
    }

    public byte[] readBlob(Digest digest) throws IOException {
        try {
            return Files.readAllBytes(blobPath(digest));
        } catch (NoSuchFileException e) {
            throw new NotFoundException("blob " + digest + " is not in the local store");
        }
    }

    @Override
    public ManifestBytes manifest(Descriptor descriptor) throws IOException {
        return ManifestBytes.parseVerified(readBlob(descriptor.digest()), descriptor.mediaType(), descriptor.digest(),
                "manifest " + descriptor.digest() + " in the local store");
    }

    @Override
    public InputStream blob(Descriptor descriptor) throws IOException {
        try {
            return Files.newInputStream(blobPath(descriptor.digest()));
        } catch (NoSuchFileException e) {
            throw new NotFoundException("blob " + descriptor.digest() + " is not in the local store");
        }
    }

    /**
     * The manifests stored as referrers of {@code subject} (OCI 1.1: manifests whose
     * {@code subject} names it, such as a build's provenance), in the order of their digests.
     * They live as long as their subject does.
     */
    public List<ManifestBytes> referrers(Digest subject) throws IOException {
        List<ManifestBytes> found = new ArrayList<>();
        for (Descriptor referrer : referrerDescriptors(subject)) {
            found.add(manifest(referrer));
        }
        return found;
    }

    private List<Descriptor> referrerDescriptors(Digest subject) throws IOException {
        Path marks = referrerMarks(subject);
        if (!Files.isDirectory(marks)) {
            return List.of();
        }
        List<Descriptor> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(marks)) {
            for (Path mark : files.sorted().toList()) {
                Digest referrer = markedReferrer(mark);
                if (hasBlob(referrer)) {
                    found.add(Descriptor.of(MediaType.OCI_MANIFEST, referrer, Files.size(blobPath(referrer))));
                }
            }
        }
        return found;
    }

    /** A directory per subject, an empty file per referrer in it: adding one never rewrites a shared list. */
    Path referrerMarks(Digest subject) {
        return referrers.resolve(subject.algorithm().id()).resolve(subject.hex());
    }

    static String referrerMarkName(Digest referrer) {
        return referrer.algorithm().id() + "-" + referrer.hex();
    }

    private static Digest markedReferrer(Path mark) {
        return Digest.parse(mark.getFileName().toString().replaceFirst("-", ":"));
    }

    /**
     * Starts adding content; the transaction holds the store's shared lock until it is closed.
     * What killed transactions left in staging goes first.
     */
    public StoreTransaction begin() throws IOException {
        StoreLock.Held lock = contentLock.shared();
        try {
            ScratchDirectory.removeAbandoned(staging);
            return new StoreTransaction(this, lock, ScratchDirectory.create(staging, "transaction"));
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    // ---- names ----

    public List<ImageRecord> images() throws IOException {
        return refs.records();
    }

    /**
     * Finds an image by name ({@code busybox}, {@code busybox:1.36}), by name and digest, or by
     * a digest or a unique prefix of at least 12 hex characters of one, as {@code docker} does.
     */
    public Optional<ImageRecord> find(String text) throws IOException {
        List<ImageRecord> all = images();
        String hexPrefix = text.startsWith("sha256:") ? text.substring(7) : text;
        if (hexPrefix.length() >= 12 && hexPrefix.matches("[a-f0-9]+")) {
            List<ImageRecord> matches = all.stream().filter(r -> r.root().digest().hex().startsWith(hexPrefix)).toList();
            if (!matches.isEmpty()) {
                Digest digest = matches.getFirst().root().digest();
                if (matches.stream().anyMatch(r -> !r.root().digest().equals(digest))) {
                    throw new BerthException("AMBIGUOUS", "\"" + text + "\" matches several images; give more of the digest");
                }
                return Optional.of(matches.getFirst());
            }
        }
        Reference parsed = Reference.parseNormalized(text);
        Reference wanted = parsed.tag().isEmpty() && parsed.digest().isEmpty() ? parsed.withTag(Reference.DEFAULT_TAG) : parsed;
        for (ImageRecord record : all) {
            if (record.name().equals(wanted)) {
                return Optional.of(record);
            }
        }
        if (wanted.digest().isEmpty()) {
            return Optional.empty();
        }
        Digest digest = wanted.digest().get();
        return all.stream().filter(r -> r.name().name().equals(wanted.name()) && r.root().digest().equals(digest))
                .findFirst()
                .or(() -> hasBlob(digest) ? readRoot(wanted, digest) : Optional.empty());
    }

    private Optional<ImageRecord> readRoot(Reference name, Digest digest) {
        try {
            ManifestBytes manifest = ManifestBytes.parseVerified(readBlob(digest), null, digest, "manifest " + digest);
            return Optional.of(new ImageRecord(name, manifest.descriptor(), Instant.now()));
        } catch (IOException | BerthException e) {
            return Optional.empty();
        }
    }

    /** Like {@link #find} but an absent image is an error that says how to get one. */
    public ImageRecord require(String text) throws IOException {
        return find(text).orElseThrow(() -> new NotFoundException("no image \"" + text
                + "\" in the local store (see 'berth images'; add one with 'berth import' or 'berth pull')"));
    }

    /** Points {@code name} at {@code root}, replacing what it pointed at; the manifest must be in the store. */
    public void tag(Reference name, Descriptor root) throws IOException {
        if (!hasBlob(root.digest())) {
            throw new NotFoundException("manifest " + root.digest() + " is not in the local store");
        }
        try (StoreLock.Held ignored = refsLock.exclusive()) {
            Map<String, RefsFile.Entry> entries = refs.read();
            entries.put(name.toString(), new RefsFile.Entry(Descriptor.of(root.mediaType(), root.digest(), root.size()),
                    Instant.now().toString()));
            refs.write(entries);
        }
    }

    /** Removes a name; the content stays until {@link #prune()}. */
    public boolean untag(Reference name) throws IOException {
        try (StoreLock.Held ignored = refsLock.exclusive()) {
            Map<String, RefsFile.Entry> entries = refs.read();
            boolean removed = entries.remove(name.toString()) != null;
            if (removed) {
                refs.write(entries);
            }
            return removed;
        }
    }

    // ---- garbage ----

    /** What prune removed. */
    public record PruneResult(int blobsRemoved, long bytesRemoved) {
    }

    /**
     * Deletes every blob no name reaches (through indexes, manifests, configs and layers), what
     * crashed writers left in staging, and downloads no pull finished. Waits for running writers to finish first.
     */
    public PruneResult prune() throws IOException {
        try (StoreLock.Held ignored = contentLock.exclusive()) {
            Set<Digest> live = markLive();
            int removed = 0;
            long bytes = 0;
            for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(blobs.resolve(algorithm.id()))) {
                    for (Path file : files) {
                        if (!isLive(algorithm, file, live)) {
                            long size = Files.size(file);
                            Files.delete(file);
                            removed++;
                            bytes += size;
                        }
                    }
                }
            }
            removeReferrerMarks(live);
            deleteTree(staging, false);
            bytes += partials.removeAll();
            return new PruneResult(removed, bytes);
        }
    }

    /** The marks of referrers that are gone, and of subjects that are. */
    private void removeReferrerMarks(Set<Digest> live) throws IOException {
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            Path subjects = referrers.resolve(algorithm.id());
            if (!Files.isDirectory(subjects)) {
                continue;
            }
            try (DirectoryStream<Path> marked = Files.newDirectoryStream(subjects)) {
                for (Path subject : marked) {
                    if (!isLive(algorithm, subject, live)) {
                        deleteTree(subject, true);
                        continue;
                    }
                    try (DirectoryStream<Path> marks = Files.newDirectoryStream(subject)) {
                        for (Path mark : marks) {
                            if (!live.contains(markedReferrer(mark))) {
                                Files.delete(mark);
                            }
                        }
                    }
                }
            }
        }
    }

    /** What the store holds, for {@code berth system df}. */
    public record Usage(int blobs, long bytes, long unreferencedBytes) {
    }

    public Usage usage() throws IOException {
        try (StoreLock.Held ignored = contentLock.shared()) {
            Set<Digest> live = markLive();
            int count = 0;
            long bytes = 0;
            long unreferenced = 0;
            for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(blobs.resolve(algorithm.id()))) {
                    for (Path file : files) {
                        long size = Files.size(file);
                        count++;
                        bytes += size;
                        if (!isLive(algorithm, file, live)) {
                            unreferenced += size;
                        }
                    }
                } catch (NoSuchFileException none) {
                    // no blobs of this algorithm yet
                }
            }
            long partial = partials.bytes();
            return new Usage(count, bytes + partial, unreferenced + partial);
        }
    }

    /** Every digest a name reaches: indexes, manifests, configs and layers. */
    public Set<Digest> referenced() throws IOException {
        try (StoreLock.Held ignored = contentLock.shared()) {
            return markLive();
        }
    }

    private static boolean isLive(DigestAlgorithm algorithm, Path file, Set<Digest> live) {
        String name = file.getFileName().toString();
        if (AtomicFiles.isTemporary(file)) {
            return false;
        }
        try {
            return live.contains(new Digest(algorithm, name));
        } catch (BerthException notADigest) {
            return false;
        }
    }

    private Set<Digest> markLive() throws IOException {
        Set<Digest> live = new HashSet<>();
        Deque<Descriptor> pending = new ArrayDeque<>();
        for (ImageRecord record : images()) {
            pending.add(record.root());
        }
        while (!pending.isEmpty()) {
            Descriptor next = pending.pop();
            if (!live.add(next.digest()) || !hasBlob(next.digest())) {
                continue;
            }
            if (MediaType.isManifest(next.mediaType())) {
                pending.addAll(manifest(next).references());
                pending.addAll(referrerDescriptors(next.digest()));
            }
        }
        return live;
    }

    static void deleteTree(Path dir, boolean includingSelf) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path path : paths) {
            if (includingSelf || !path.equals(dir)) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
    }
}
