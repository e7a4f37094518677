package dev.berth.registry.storage;

import dev.berth.oci.AtomicFiles;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The registry on a local filesystem:
 * <pre>
 * ROOT/blobs/ALG/HH/HEX                          content, by digest (manifests too)
 * ROOT/uploads/ID/{data,state}                   upload sessions, resumable after a restart
 * ROOT/repositories/NAME/_blobs/ALG/HEX          empty link: the blob belongs to the repository
 * ROOT/repositories/NAME/_manifests/ALG/HEX      link holding the media type the manifest was pushed with
 * ROOT/repositories/NAME/_tags/TAG               the tag's digest, replaced by rename
 * ROOT/repositories/NAME/_referrers/ALG-HEX/ALG-HEX   subject -> referring manifest
 * </pre>
 * Repository path components never start with '_', so the metadata directories cannot collide
 * with nested repository names. One process holds the root at a time (ROOT/.lock).
 */
public final class FilesystemStorage implements RegistryStorage {
    private static final String BLOBS = "_blobs";
    private static final String MANIFESTS = "_manifests";
    private static final String TAGS = "_tags";
    private static final String REFERRERS = "_referrers";

    private final Path root;
    private final Path blobs;
    private final Path uploads;
    private final Path repositories;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Whether uploads bypass the page cache (see DirectAppender); decided once, when the storage opens. */
    private boolean directWrites;

    private FilesystemStorage(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.blobs = root.resolve("blobs");
        this.uploads = root.resolve("uploads");
        this.repositories = root.resolve("repositories");
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (creating when needed) the storage at {@code root}, taking its lock and tidying after a crash. */
    public static FilesystemStorage open(Path root) throws IOException {
        Path absolute = root.toAbsolutePath().normalize();
        Files.createDirectories(absolute);
        FileChannel channel = FileChannel.open(absolute.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new StorageLockedException(absolute);
        }
        FilesystemStorage storage = new FilesystemStorage(absolute, channel, lock);
        try {
            Files.createDirectories(storage.blobs);
            Files.createDirectories(storage.uploads);
            storage.directWrites = DirectAppender.supportedIn(storage.uploads);
            Files.createDirectories(storage.repositories);
            storage.removeTemporaries(storage.blobs);
            storage.removeTemporaries(storage.repositories);
        } catch (IOException | RuntimeException e) {
            storage.close();
            throw e;
        }
        return storage;
    }

    public Path root() {
        return root;
    }

    /** A crash can leave AtomicFiles' temporary names behind; nothing refers to them. */
    private void removeTemporaries(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (AtomicFiles.isTemporary(path)) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    // ---- blobs

    private Path blobPath(Digest digest) {
        return blobs.resolve(digest.algorithm().id()).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    @Override
    public Optional<Long> blobSize(Digest digest) throws IOException {
        try {
            return Optional.of(Files.size(blobPath(digest)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public SeekableByteChannel openBlob(Digest digest) throws IOException {
        return FileChannel.open(blobPath(digest), StandardOpenOption.READ);
    }

    @Override
    public void putBlob(Digest digest, byte[] content) throws IOException {
        Path path = blobPath(digest);
        if (Files.exists(path)) {
            touchBlob(digest);
            return;
        }
        Files.createDirectories(path.getParent());
        AtomicFiles.write(path, content);
    }

    @Override
    public Optional<Instant> blobTouched(Digest digest) throws IOException {
        try {
            return Optional.of(Files.getLastModifiedTime(blobPath(digest)).toInstant());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void touchBlob(Digest digest) throws IOException {
        try {
            Files.setLastModifiedTime(blobPath(digest), FileTime.from(Instant.now()));
        } catch (NoSuchFileException e) {
            // nothing to protect
        }
    }

    @Override
    public void forEachBlob(Consumer<Digest> consumer) throws IOException {
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            Path algorithmDir = blobs.resolve(algorithm.id());
            for (Path prefix : list(algorithmDir)) {
                for (Path file : list(prefix)) {
                    String hex = file.getFileName().toString();
                    if (!AtomicFiles.isTemporary(file) && hex.length() == algorithm.hexLength()) {
                        consumer.accept(new Digest(algorithm, hex));
                    }
                }
            }
        }
    }

    @Override
    public void deleteBlob(Digest digest) throws IOException {
        Files.deleteIfExists(blobPath(digest));
    }

    // ---- uploads

    private Path uploadDir(String id) {
        if (!id.matches("[0-9a-f-]{36}")) {
            throw new IllegalArgumentException("not an upload id: " + id);
        }
        return uploads.resolve(id);
    }

    @Override
    public void createUpload(UploadState state) throws IOException {
        Path dir = uploadDir(state.id());
        Files.createDirectories(dir);
        Files.createFile(dir.resolve("data"));
        writeState(dir, state);
    }

    private static void writeState(Path dir, UploadState state) throws IOException {
        String text = "repository=" + state.repository() + "\n"
                + "algorithm=" + state.algorithm().id() + "\n"
                + "size=" + state.size() + "\n"
                + "started=" + state.started() + "\n";
        AtomicFiles.write(dir.resolve("state"), text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Optional<UploadState> upload(String id) throws IOException {
        Path dir;
        try {
            dir = uploadDir(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return readState(id, dir);
    }

    private static Optional<UploadState> readState(String id, Path dir) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("state"))) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            DigestAlgorithm algorithm = DigestAlgorithm.byId(properties.getProperty("algorithm"));
            return Optional.of(new UploadState(id, properties.getProperty("repository"),
                    algorithm == null ? DigestAlgorithm.SHA256 : algorithm,
                    Long.parseLong(properties.getProperty("size")),
                    Instant.parse(properties.getProperty("started"))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public UploadState append(UploadState state, ChunkSource source, Consumer<ByteBuffer> tap) throws IOException {
        Path dir = uploadDir(state.id());
        Path data = dir.resolve("data");
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // Bytes past the recorded size come from an append that never finished: drop them.
            channel.truncate(state.size());
            channel.position(state.size());
            long written;
            try (DurableAppend target = directWrites ? new DirectAppender(data, channel, state.size(), tap)
                    : new EarlyWriteback(channel, tap)) {
                written = source.writeTo(target);
                target.finish();
            } catch (IOException | RuntimeException e) {
                channel.truncate(state.size());
                throw e;
            }
            UploadState next = state.withSize(state.size() + written);
            writeState(dir, next);
            return next;
        }
    }

    @Override
    public InputStream readUpload(String id) throws IOException {
        return Files.newInputStream(uploadDir(id).resolve("data"));
    }

    @Override
    public void commitUpload(String id, Digest digest) throws IOException {
        Path dir = uploadDir(id);
        UploadState state = readState(id, dir).orElseThrow(() -> new NoSuchFileException(dir.toString()));
        Path target = blobPath(digest);
        if (Files.exists(target)) {
            // Content-addressed: the blob already holds these very bytes. Renaming over it would
            // only make the client wait while the kernel drops the old copy's pages.
            touchBlob(digest);
            discardUpload(id, dir);
            return;
        }
        Path data = dir.resolve("data");
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE)) {
            channel.truncate(state.size());
        }
        // The blob's grace period starts now, not at the upload's last write, which may be long past.
        Files.setLastModifiedTime(data, FileTime.from(Instant.now()));
        Files.createDirectories(target.getParent());
        AtomicFiles.moveIntoPlace(data, target);
        deleteUpload(id);
    }

    /**
     * Deletes an upload whose bytes are not needed. Freeing a large file's pages and blocks takes
     * the kernel tens of milliseconds, and it does that work at the last close rather than at the
     * unlink: holding the file open across the delete moves that work to a background thread.
     */
    private void discardUpload(String id, Path dir) throws IOException {
        FileChannel data = FileChannel.open(dir.resolve("data"), StandardOpenOption.READ);
        try {
            deleteUpload(id);
        } finally {
            Thread.ofVirtual().name("berth-discard-upload").start(() -> closeQuietly(data));
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // the file is already unlinked; nothing is left to clean up
        }
    }

    @Override
    public void deleteUpload(String id) throws IOException {
        Path dir = uploadDir(id);
        Files.deleteIfExists(dir.resolve("state"));
        Files.deleteIfExists(dir.resolve("data"));
        try (DirectoryStream<Path> rest = Files.newDirectoryStream(dir)) {
            for (Path leftover : rest) {
                Files.deleteIfExists(leftover);
            }
        } catch (NoSuchFileException e) {
            return;
        }
        Files.deleteIfExists(dir);
    }

    @Override
    public List<UploadState> uploads() throws IOException {
        List<UploadState> result = new ArrayList<>();
        for (Path dir : list(uploads)) {
            String id = dir.getFileName().toString();
            if (!id.matches("[0-9a-f-]{36}")) {
                continue;
            }
            Optional<UploadState> state = readState(id, dir);
            if (state.isPresent()) {
                result.add(state.get());
            } else {
                // No state yet (being created right now) or never (a crash during creation):
                // the directory's age tells which, so expiry handles both.
                try {
                    Instant created = Files.getLastModifiedTime(dir).toInstant();
                    result.add(new UploadState(id, "", DigestAlgorithm.SHA256, 0, created));
                } catch (NoSuchFileException e) {
                    // finished meanwhile
                }
            }
        }
        return result;
    }

    // ---- repositories

    private Path repositoryDir(String repository) {
        return repositories.resolve(repository);
    }

    private Path link(String repository, String kind, Digest digest) {
        return repositoryDir(repository).resolve(kind).resolve(digest.algorithm().id()).resolve(digest.hex());
    }

    @Override
    public List<String> repositories() throws IOException {
        List<String> names = new ArrayList<>();
        collectRepositories(repositories, "", names);
        Collections.sort(names);
        return names;
    }

    private void collectRepositories(Path dir, String prefix, List<String> names) throws IOException {
        boolean isRepository = false;
        for (Path child : list(dir)) {
            String name = child.getFileName().toString();
            if (name.startsWith("_")) {
                isRepository |= name.equals(BLOBS) || name.equals(MANIFESTS);
            } else if (Files.isDirectory(child)) {
                collectRepositories(child, prefix.isEmpty() ? name : prefix + "/" + name, names);
            }
        }
        if (isRepository) {
            names.add(prefix);
        }
    }

    @Override
    public boolean repositoryExists(String repository) throws IOException {
        Path dir = repositoryDir(repository);
        return Files.isDirectory(dir.resolve(BLOBS)) || Files.isDirectory(dir.resolve(MANIFESTS));
    }

    @Override
    public boolean hasBlobLink(String repository, Digest digest) {
        return Files.exists(link(repository, BLOBS, digest));
    }

    @Override
    public void linkBlob(String repository, Digest digest) throws IOException {
        createLink(link(repository, BLOBS, digest));
    }

    @Override
    public boolean unlinkBlob(String repository, Digest digest) throws IOException {
        return Files.deleteIfExists(link(repository, BLOBS, digest));
    }

    @Override
    public List<Digest> blobLinks(String repository) throws IOException {
        return links(repositoryDir(repository).resolve(BLOBS));
    }

    @Override
    public Optional<String> manifestMediaType(String repository, Digest digest) throws IOException {
        try {
            return Optional.of(Files.readString(link(repository, MANIFESTS, digest), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void linkManifest(String repository, Digest digest, String mediaType) throws IOException {
        Path file = link(repository, MANIFESTS, digest);
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, mediaType.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean unlinkManifest(String repository, Digest digest) throws IOException {
        return Files.deleteIfExists(link(repository, MANIFESTS, digest));
    }

    @Override
    public Optional<Instant> manifestLinked(String repository, Digest digest) throws IOException {
        try {
            return Optional.of(Files.getLastModifiedTime(link(repository, MANIFESTS, digest)).toInstant());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<Digest> manifestLinks(String repository) throws IOException {
        return links(repositoryDir(repository).resolve(MANIFESTS));
    }

    @Override
    public NavigableMap<String, Digest> tags(String repository) throws IOException {
        NavigableMap<String, Digest> tags = new TreeMap<>();
        for (Path file : list(repositoryDir(repository).resolve(TAGS))) {
            if (AtomicFiles.isTemporary(file)) {
                continue;
            }
            try {
                tags.put(file.getFileName().toString(), Digest.parse(Files.readString(file).strip()));
            } catch (NoSuchFileException e) {
                // deleted while listing
            }
        }
        return tags;
    }

    @Override
    public void putTag(String repository, String tag, Digest digest) throws IOException {
        Path file = repositoryDir(repository).resolve(TAGS).resolve(tag);
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, digest.toString().getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public boolean deleteTag(String repository, String tag) throws IOException {
        Path file = repositoryDir(repository).resolve(TAGS).resolve(tag);
        boolean deleted = Files.deleteIfExists(file);
        if (deleted) {
            AtomicFiles.syncDirectory(file.getParent());
        }
        return deleted;
    }

    private Path referrerDir(String repository, Digest subject) {
        return repositoryDir(repository).resolve(REFERRERS).resolve(subject.algorithm().id() + "-" + subject.hex());
    }

    @Override
    public void linkReferrer(String repository, Digest subject, Digest referrer) throws IOException {
        createLink(referrerDir(repository, subject).resolve(referrer.algorithm().id() + "-" + referrer.hex()));
    }

    @Override
    public void unlinkReferrer(String repository, Digest subject, Digest referrer) throws IOException {
        Files.deleteIfExists(referrerDir(repository, subject).resolve(referrer.algorithm().id() + "-" + referrer.hex()));
    }

    @Override
    public List<Digest> referrers(String repository, Digest subject) throws IOException {
        List<Digest> result = new ArrayList<>();
        for (Path file : list(referrerDir(repository, subject))) {
            String name = file.getFileName().toString();
            int dash = name.indexOf('-');
            if (dash > 0 && !AtomicFiles.isTemporary(file)) {
                result.add(Digest.parse(name.substring(0, dash) + ":" + name.substring(dash + 1)));
            }
        }
        return result;
    }

    // ---- helpers

    /** An empty file whose existence is the fact; created then made durable by syncing its directory. */
    private static void createLink(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return;
        }
        AtomicFiles.syncDirectory(file.getParent());
    }

    private static List<Digest> links(Path kindDir) throws IOException {
        List<Digest> result = new ArrayList<>();
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            for (Path file : list(kindDir.resolve(algorithm.id()))) {
                String hex = file.getFileName().toString();
                if (hex.length() == algorithm.hexLength() && !AtomicFiles.isTemporary(file)) {
                    result.add(new Digest(algorithm, hex));
                }
            }
        }
        return result;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            lockChannel.close();
        }
    }
}
