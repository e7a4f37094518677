package dev.berth.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The command line that runs this build's berth in a fresh JVM, for tests that need a separate
 * process, another mount namespace or another user.
 */
public final class JavaCommand {
    /** A user with no rights over the test's files, as on any Debian system. */
    static final int NOBODY = 65534;

    private static Path readableClassPath;

    private JavaCommand() {
    }

    /** {@code java ... dev.berth.cli.Main} as one shell word list, for scripts. */
    static String berth() {
        return String.join(" ", argv(System.getProperty("java.class.path")).stream().map(a -> "'" + a + "'").toList());
    }

    private static List<String> argv(String classPath) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC", "-cp", classPath, Main.class.getName());
    }

    /**
     * Runs berth as an unprivileged user: as root, as {@code nobody} through setpriv, with the
     * class path copied where nobody can read it; as anyone else, as that user.
     */
    static Tools.Result runAsUnprivileged(Path workDir, String... args) {
        List<String> command = new ArrayList<>();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
            command.addAll(argv(worldReadableClassPath()));
        } else {
            command.addAll(argv(System.getProperty("java.class.path")));
        }
        command.addAll(List.of(args));
        return Tools.run(workDir, Map.of("HOME", "/nonexistent"), command);
    }

    /**
     * Copies every jar and class directory of this JVM's class path into a directory anyone can
     * read (root's Maven repository is closed to other users) and returns the copy's class path.
     */
    public static synchronized String worldReadableClassPath() {
        try {
            if (readableClassPath == null) {
                readableClassPath = Files.createTempDirectory("berth-classpath-");
                Files.setPosixFilePermissions(readableClassPath, PosixFilePermissions.fromString("rwxr-xr-x"));
                int index = 0;
                for (Path element : classPathElements()) {
                    Path copy = readableClassPath.resolve(String.format("%03d-%s", index++, element.getFileName()));
                    copyTree(element, copy);
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(readableClassPath)));
            }
            try (var entries = Files.list(readableClassPath)) {
                return entries.sorted().map(Path::toString).collect(Collectors.joining(":"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> classPathElements() {
        List<Path> elements = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.exists(path)) {
                elements.add(path);
            }
        }
        return elements;
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (var walk = Files.walk(source)) {
            for (Path path : walk.toList()) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                    Files.setPosixFilePermissions(destination, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(path, destination);
                    Files.setPosixFilePermissions(destination, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
