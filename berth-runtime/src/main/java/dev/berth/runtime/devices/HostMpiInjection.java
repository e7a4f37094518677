package dev.berth.runtime.devices;

import dev.berth.oci.BerthException;
import dev.berth.runtime.check.ElfFile;
import dev.berth.runtime.sandbox.Bind;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The plan for {@code --mpi host}, Apptainer's <em>bind</em> model: the host's MPI replaces the
 * image's, for images built against an ABI-compatible MPI (the same libmpi soname: Open MPI's
 * libmpi.so.40, or the MPICH ABI's libmpi.so.12).
 *
 * <p>The host's libmpi is the first found in the host's LD_LIBRARY_PATH (where a site's
 * {@code module load} puts it), else in its ldconfig cache. What it needs comes with it: the
 * libraries of its binding family (libmpi_mpifh, libmpicxx ...), and every library those and the
 * MPI's plugins link, found as the host's loader finds them (RUNPATH, LD_LIBRARY_PATH, the
 * cache), less glibc's and the compilers' run-time libraries, which must stay the image's. Each is bound under its soname into the
 * injected library directory, which goes in front of LD_LIBRARY_PATH so that it beats the
 * image's own MPI. The MPI's directories outside the system's library directories (an install
 * prefix such as /opt/openmpi, Debian's /usr/lib/x86_64-linux-gnu/openmpi) are bound whole at
 * their host paths, where the MPI looks for its plugins, help texts and configuration.
 */
final class HostMpiInjection {
    private static final Pattern MPI_LIBRARY = Pattern.compile("libmpi\\.so\\.\\d+");
    /** The MPI's own libraries beside libmpi: Fortran and C++ bindings, Open MPI's run-time layers. */
    private static final Pattern FAMILY = Pattern.compile("lib(mpi|open-pal|open-rte|pmix|prrte)\\w*\\.so\\.\\d+");
    /**
     * glibc's libraries, tied to the image's loader, and the compilers' run-time libraries, which
     * the image's own programs were built with: always the image's, never the host's.
     */
    private static final Set<String> IMAGE_RUNTIME = Set.of("libstdc++.so.6", "libgcc_s.so.1", "libgfortran.so.5", "libquadmath.so.0","ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "ld64.so.2", "ld64.so.1",
            "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libutil.so.1", "libresolv.so.2",
            "libanl.so.1", "libnsl.so.1", "libmvec.so.1", "libBrokenLocale.so.1", "libthread_db.so.1", "libc_malloc_debug.so.0");
    private static final Set<Path> SYSTEM_DIRECTORIES = Set.of(Path.of("/lib"), Path.of("/lib64"), Path.of("/usr/lib"),
            Path.of("/usr/lib64"), Path.of("/usr/local/lib"), Path.of("/usr/local/lib64"));
    /** An MPI has a few hundred plugins and libraries; a walk that finds more has wandered off. */
    private static final int MAX_FILES = 5000;
    private static final int PLUGIN_DEPTH = 3;

    private final LdconfigCache cache;
    private final List<Path> hostLibraryPath;
    private final Map<String, Path> injected = new LinkedHashMap<>();
    private final Set<Path> directories = new LinkedHashSet<>();
    private final Set<Path> read = new LinkedHashSet<>();
    private final Deque<Path> pending = new ArrayDeque<>();

    private HostMpiInjection(LdconfigCache cache, List<Path> hostLibraryPath) {
        this.cache = cache;
        this.hostLibraryPath = hostLibraryPath;
    }

    static InjectionPlan plan(HostDevices host, LdconfigCache cache) throws IOException {
        List<Path> libraryPath = Arrays.stream(host.environment().getOrDefault("LD_LIBRARY_PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).map(Path::of).toList();
        return new HostMpiInjection(cache, libraryPath).plan();
    }

    private InjectionPlan plan() throws IOException {
        Path libmpi = hostLibmpi().orElseThrow(() -> new BerthException("MPI_NOT_ON_HOST", "--mpi host: this host has no "
                + "MPI library (no libmpi.so.N in LD_LIBRARY_PATH or in ldconfig -p); load the site's MPI module first"));
        try (Stream<Path> siblings = Files.list(libmpi.getParent())) {
            for (Path sibling : siblings.filter(file -> FAMILY.matcher(file.getFileName().toString()).matches()).sorted().toList()) {
                inject(sibling.getFileName().toString(), sibling);
            }
        }
        while (!pending.isEmpty() && read.size() < MAX_FILES) {
            Path file = pending.removeFirst();
            if (read.add(file)) {
                follow(file);
            }
        }
        List<Bind> binds = new ArrayList<>();
        injected.forEach((name, file) -> binds.add(new Bind(file, Path.of(InjectionPlan.MPI_LIBRARY_DIRECTORY, name), true)));
        directories.forEach(directory -> binds.add(new Bind(directory, directory, true)));
        return new InjectionPlan(List.of(), binds, Map.of(), List.of(InjectionPlan.MPI_LIBRARY_DIRECTORY), List.of(),
                List.of(), List.of());
    }

    private Optional<Path> hostLibmpi() throws IOException {
        for (Path directory : hostLibraryPath) {
            try (Stream<Path> files = Files.isDirectory(directory) ? Files.list(directory) : Stream.empty()) {
                Optional<Path> found = files.filter(file -> MPI_LIBRARY.matcher(file.getFileName().toString()).matches())
                        .sorted().findFirst();
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return cache.named("libmpi").stream().filter(library -> MPI_LIBRARY.matcher(library.name()).matches())
                .map(LdconfigCache.Library::path).findFirst();
    }

    /** Binds {@code file} under {@code soname} and reads it for what it needs; the first file found under a name wins. */
    private void inject(String soname, Path file) throws IOException {
        Optional<Path> real = HostFiles.realFile(file);
        if (real.isEmpty() || injected.containsKey(soname)) {
            return;
        }
        injected.put(soname, real.get());
        mpiDirectory(real.get().getParent());
        pending.add(real.get());
    }

    private void follow(Path file) throws IOException {
        ElfFile elf;
        try {
            Optional<ElfFile> parsed = ElfFile.read(file);
            if (parsed.isEmpty()) {
                return;
            }
            elf = parsed.get();
        } catch (IOException unreadable) {
            return; // a file the host's loader could not load either
        }
        List<Path> runPath = elf.runPath().stream()
                .map(directory -> Path.of(directory.replace("$ORIGIN", file.getParent().toString())
                        .replace("${ORIGIN}", file.getParent().toString())).normalize())
                .toList();
        runPath.forEach(this::mpiDirectory);
        for (String needed : elf.libraries()) {
            if (!IMAGE_RUNTIME.contains(needed) && !injected.containsKey(needed)) {
                Optional<Path> found = locate(needed, runPath);
                if (found.isPresent()) {
                    inject(needed, found.get());
                }
            }
        }
    }

    /** Where the host's loader would find {@code soname} for a file with {@code runPath}: empty for a plugin's optional extra. */
    private Optional<Path> locate(String soname, List<Path> runPath) {
        for (Path directory : Stream.concat(runPath.stream(), hostLibraryPath.stream()).toList()) {
            Path candidate = directory.resolve(soname);
            if (Files.exists(candidate)) {
                return Optional.of(candidate);
            }
        }
        return cache.named(soname.replaceFirst("\\.so(\\..*)?$", "")).stream()
                .filter(library -> library.name().equals(soname)).map(LdconfigCache.Library::path).findFirst();
    }

    /**
     * A directory of the MPI's own, outside the system's library directories: bound whole, at
     * its path, with the install prefix it is the lib directory of; its plugins are read too.
     */
    private void mpiDirectory(Path directory) {
        Path real;
        try {
            real = directory.toRealPath();
        } catch (IOException gone) {
            return;
        }
        if (isSystem(real) || directories.stream().anyMatch(real::startsWith)) {
            return;
        }
        String name = real.getFileName() == null ? "" : real.getFileName().toString();
        Path bound = (name.equals("lib") || name.equals("lib64")) && !isSystem(real.getParent()) ? real.getParent() : real;
        directories.removeIf(existing -> existing.startsWith(bound));
        directories.add(bound);
        try (Stream<Path> plugins = Files.walk(real, PLUGIN_DEPTH)) {
            plugins.filter(file -> file.getFileName().toString().contains(".so")
                            && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                    .limit(MAX_FILES).sorted().forEach(pending::add);
        } catch (IOException | java.io.UncheckedIOException unreadable) {
            // a directory the caller cannot list is one the MPI cannot load plugins from either
        }
    }

    /** /lib, /usr/lib, /usr/local/lib, their lib64 twins and multiarch directories (/usr/lib/x86_64-linux-gnu), or the root. */
    private static boolean isSystem(Path directory) {
        if (directory.getParent() == null || SYSTEM_DIRECTORIES.contains(directory)) {
            return true;
        }
        return SYSTEM_DIRECTORIES.contains(directory.getParent()) && directory.getFileName().toString().contains("-linux-");
    }
}
