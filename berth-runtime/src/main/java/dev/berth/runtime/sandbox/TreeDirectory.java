package dev.berth.runtime.sandbox;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A directory of an untrusted tree, held open and reached one name at a time, never through a
 * symbolic link: whatever is made, read or removed in it stays in the tree even if the tree's
 * content changes meanwhile (a process a build step left behind can rename and link at will).
 * The JDK has no openat(2) or mkdirat(2), so the directory is held as an O_PATH descriptor and
 * its entries are named through /proc/self/fd/N/NAME: the kernel resolves the descriptor's
 * directory itself there, and mkdir, O_CREAT|O_EXCL, lstat, readlink and unlink do not follow
 * a link that NAME may be.
 */
final class TreeDirectory implements AutoCloseable {
    /** The same on x86-64 and AArch64 (asm-generic/fcntl.h). */
    private static final int O_PATH = 010000000;
    private static final int O_CLOEXEC = 02000000;

    @SuppressWarnings("restricted") // the launcher and the tests enable native access for berth's class path
    private static final class Libc {
        static final Linker LINKER = Linker.nativeLinker();
        static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private final int descriptor;

    private TreeDirectory(int descriptor) {
        this.descriptor = descriptor;
    }

    /** The tree's own directory, berth's path to it followed as it is. */
    static TreeDirectory root(Path tree) throws IOException {
        return open(tree, Files.readAttributes(tree, BasicFileAttributes.class));
    }

    /** The directory at the link-free container path {@code path} of {@code tree}; fails where a name is not a directory (a link included). */
    static TreeDirectory path(Path tree, String path) throws IOException {
        TreeDirectory directory = root(tree);
        for (String name : path.split("/")) {
            if (name.isEmpty()) {
                continue;
            }
            try (TreeDirectory parent = directory) {
                directory = parent.child(name);
            }
        }
        return directory;
    }

    /** The entry {@code name}, which must be a directory itself, not a link to one. */
    TreeDirectory child(String name) throws IOException {
        Path entry = entry(name);
        return open(entry, Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
    }

    /** The path that names {@code name} in this directory, for the JDK's file operations; its last name is looked up here. */
    Path entry(String name) {
        return self().resolve(name);
    }

    @Override
    public void close() throws IOException {
        try {
            int ignored = (int) Libc.CLOSE.invokeExact(descriptor);
        } catch (Throwable e) {
            throw new IOException("close(2) failed", e);
        }
    }

    private Path self() {
        return Path.of("/proc/self/fd/" + descriptor);
    }

    /**
     * open(2) follows a link; so what it opened is compared with what was looked at before, and a
     * link put in between (another file than the directory seen) is refused.
     */
    private static TreeDirectory open(Path path, BasicFileAttributes seen) throws IOException {
        if (!seen.isDirectory()) {
            throw new NotDirectoryException(path.toString());
        }
        int descriptor;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            descriptor = (int) Libc.OPEN.invokeExact(name, O_PATH | O_CLOEXEC);
        } catch (Throwable e) {
            throw new IOException("open(2) failed", e);
        }
        if (descriptor < 0) {
            throw new IOException("cannot open the directory " + path);
        }
        TreeDirectory opened = new TreeDirectory(descriptor);
        if (!Files.readAttributes(opened.self(), BasicFileAttributes.class).fileKey().equals(seen.fileKey())) {
            opened.close();
            throw new IOException(path + " changed while it was opened");
        }
        return opened;
    }
}
