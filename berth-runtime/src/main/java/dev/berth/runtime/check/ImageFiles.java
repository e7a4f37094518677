package dev.berth.runtime.check;

import dev.berth.runtime.sandbox.ContainerPaths;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Where an image keeps its programs and libraries, found in its extracted tree as the
 * container will see them: links are followed inside the image (an absolute target starts at
 * the image's root), never out of it.
 */
final class ImageFiles {
    static final List<String> PROGRAM_DIRECTORIES = List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin");
    /**
     * The loader's default directories and where Debian, Red Hat, conda and /opt installs put libraries.
     * Only the directories themselves are listed: their glibc-hwcaps subdirectories hold optional
     * builds for newer CPUs, which the loader uses only where the CPU has what they need.
     */
    static final List<String> LIBRARY_DIRECTORIES = List.of("/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib",
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/lib/powerpc64le-linux-gnu", "/usr/lib/powerpc64le-linux-gnu", "/opt/conda/lib");
    private static final List<String> LIBC = List.of("/lib/x86_64-linux-gnu/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6",
            "/lib/powerpc64le-linux-gnu/libc.so.6", "/lib64/libc.so.6", "/usr/lib64/libc.so.6", "/lib/libc.so.6");
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Path root;
    private final ContainerPaths paths;

    /** The tree at {@code root}, by its real path so that every file found lies under it by name too. */
    ImageFiles(Path root) throws IOException {
        this.root = root.toRealPath();
        this.paths = ContainerPaths.ofImage(this.root);
    }

    /** A file of the tree as the container names it. */
    String inImage(Path file) {
        return "/" + root.relativize(file);
    }

    /** The host file behind an absolute path in the image, when it is a regular file or directory there. */
    Optional<Path> resolve(String containerPath) {
        ContainerPaths.Resolution found = paths.resolve(containerPath);
        return found.kind() == ContainerPaths.Kind.FOUND ? Optional.of(found.host()) : Optional.empty();
    }

    /** The program a run starts (the entrypoint's, else the command's), looked up on the image's PATH as the container would. */
    Optional<Path> program(String name, List<String> env) {
        if (name.contains("/")) {
            return name.startsWith("/") ? resolve(name).filter(Files::isRegularFile) : Optional.empty();
        }
        String path = env.stream().filter(variable -> variable.startsWith("PATH=")).map(variable -> variable.substring(5))
                .findFirst().orElse(DEFAULT_PATH);
        for (String directory : path.split(":")) {
            if (directory.startsWith("/")) {
                Optional<Path> found = resolve(directory + "/" + name).filter(Files::isRegularFile);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** The image's glibc, where the distributions put it. */
    Optional<Path> libc() {
        return LIBC.stream().map(this::resolve).flatMap(Optional::stream).filter(Files::isRegularFile).findFirst();
    }

    /** The regular files (no links: they name files listed anyway) directly in {@code directories}, at most {@code limit}. */
    List<Path> filesIn(List<String> directories, Predicate<String> name, int limit) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path directory : distinctDirectories(directories)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                    entry -> name.test(entry.getFileName().toString()) && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS))) {
                for (Path entry : entries) {
                    if (files.size() >= limit) {
                        return files;
                    }
                    files.add(entry);
                }
            }
        }
        return files;
    }

    /** Each directory once, however many names it has (/lib is /usr/lib in a merged-/usr image). */
    List<Path> distinctDirectories(List<String> directories) throws IOException {
        Set<Path> found = new LinkedHashSet<>();
        for (String directory : directories) {
            Optional<Path> host = resolve(directory).filter(Files::isDirectory);
            if (host.isPresent()) {
                found.add(host.get().toRealPath());
            }
        }
        return List.copyOf(found);
    }
}
