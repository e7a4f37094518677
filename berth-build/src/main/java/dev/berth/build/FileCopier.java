package dev.berth.build;

import dev.berth.build.tree.TarUnpacker;
import dev.berth.build.tree.TreePaths;
import dev.berth.oci.BerthException;
import dev.berth.oci.layer.Compression;
import dev.berth.oci.layer.LayerWriter;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Puts COPY and ADD sources into a build tree as Docker does: a file to a file or into a
 * directory, a directory's contents into the destination, symbolic links as links (never
 * followed), modification times kept, {@code --chmod} and {@code --chown} applied. ADD also
 * unpacks a local tar archive (plain, gzip or zstd) into the destination; its entries cannot
 * climb out of the tree.
 */
final class FileCopier {
    private final Path tree;
    private final Map<String, LayerWriter.Owner> owners;
    private final Optional<LayerWriter.Owner> owner;
    private final Optional<Integer> mode;

    private final SourceTree sources;
    private final Predicate<Path> excluded;

    /** Where sources come from when they come from a tree of this build (COPY --from), and who owns them there. */
    record SourceTree(Path tree, Map<String, LayerWriter.Owner> owners) {
        static final SourceTree NONE = new SourceTree(Path.of("/nonexistent"), Map.of());

        Optional<LayerWriter.Owner> ownerOf(Path source) {
            return source.startsWith(tree) ? Optional.ofNullable(owners.get(tree.relativize(source).toString())) : Optional.empty();
        }
    }

    /**
     * {@code owner} and {@code mode}: from --chown and --chmod; otherwise the source's.
     * {@code excluded}: the paths under a source directory that are not copied (what .dockerignore leaves out of the context).
     */
    FileCopier(Path tree, Map<String, LayerWriter.Owner> owners, SourceTree sources, Optional<LayerWriter.Owner> owner,
               Optional<Integer> mode, Predicate<Path> excluded) {
        this.tree = tree;
        this.owners = owners;
        this.sources = sources;
        this.owner = owner;
        this.mode = mode;
        this.excluded = excluded;
    }

    /**
     * Copies {@code source} to {@code destination} (a host path in the tree, already resolved). An
     * excluded directory's walk goes on, since a later .dockerignore line may bring back some of
     * what is under it; its directory is made only for what is copied into it.
     */
    void copy(Path source, Path destination) throws IOException {
        if (Files.isDirectory(source)) {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                    Path target = destination.resolve(source.relativize(dir).toString());
                    if (!dir.equals(source) && excluded.test(dir)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                        Files.deleteIfExists(target);
                        TreePaths.createDirectories(target);
                    }
                    // a directory's contents are copied, not the directory: the destination keeps its own mode
                    if (!dir.equals(source)) {
                        written(target, dir);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    if (!excluded.test(file)) {
                        Path target = destination.resolve(source.relativize(file).toString());
                        TreePaths.createDirectories(target.getParent());
                        copyOne(file, target);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Path target = destination.resolve(source.relativize(dir).toString());
                    if (!dir.equals(source) && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                        Files.setLastModifiedTime(target, Files.getLastModifiedTime(dir));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } else {
            TreePaths.createDirectories(destination.getParent());
            copyOne(source, destination);
        }
    }

    private void copyOne(Path file, Path target) throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new BerthException("BUILD_COPY_CONFLICT", "cannot copy the file " + file + " over the directory /" + tree.relativize(target));
        }
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        written(target, file);
    }

    /**
     * Gives the copy its mode and time: the JDK copies a mode only together with the owner, and
     * an ordinary user cannot give a file away, so it is set here.
     */
    private void written(Path target, Path source) throws IOException {
        if (!Files.isSymbolicLink(target)) {
            int sourceMode = (Integer) Files.getAttribute(source, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
            Files.setAttribute(target, "unix:mode", mode.orElse(sourceMode));
            Files.setLastModifiedTime(target, Files.getLastModifiedTime(source, LinkOption.NOFOLLOW_LINKS));
        }
        String path = tree.relativize(target).toString();
        Optional<LayerWriter.Owner> chosen = owner.or(() -> sources.ownerOf(source));
        if (chosen.isPresent()) {
            owners.put(path, chosen.get());
        } else {
            owners.remove(path);
        }
    }

    /** Whether {@code file} is a tar archive, compressed or not, that ADD unpacks. */
    static boolean isArchive(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Compression.decompressed(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] header = in.readNBytes(512);
            return header.length == 512 && new String(header, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
        } catch (IOException notCompressedProperly) {
            return false;
        }
    }

    /** Unpacks {@code archive} into {@code directory} (a host path in the tree); every entry stays inside the tree. */
    void unpack(Path archive, Path directory) throws IOException {
        TreePaths.createDirectories(directory);
        new TarUnpacker(tree, owners).unpack(archive, "/" + tree.relativize(directory), false, owner);
    }
}
