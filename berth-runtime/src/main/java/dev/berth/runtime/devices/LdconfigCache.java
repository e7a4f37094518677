package dev.berth.runtime.devices;

import dev.berth.oci.BerthException;
import dev.berth.runtime.HostProcess;
import dev.berth.runtime.ToolRunner;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's shared-library cache as {@code ldconfig -p} lists it: the libraries the host's
 * loader finds by name, wherever the driver's installer put them. The listing's format has not
 * changed in decades, and reading it needs no knowledge of ld.so.cache's binary layouts.
 */
public final class LdconfigCache {
    /** One name the loader resolves, and the file it resolves to. */
    public record Library(String name, Path path) {
    }

    /** {@code \tlibcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1} */
    private static final Pattern ENTRY = Pattern.compile("^\\s+(\\S+)\\s+\\(([^)]*)\\)\\s+=>\\s+(/.*?)\\s*$");
    /** How ldconfig tags each 64-bit ABI; a multilib host also lists 32-bit libraries, which a 64-bit container cannot load. */
    private static final Map<String, String> ABI_BY_ARCHITECTURE = Map.of("amd64", "x86-64", "x86_64", "x86-64",
            "aarch64", "AArch64", "ppc64le", "64bit", "s390x", "64bit");
    private static final int MAX_LISTING_BYTES = 64 * 1024 * 1024;

    private final List<Library> libraries;

    private LdconfigCache(List<Library> libraries) {
        this.libraries = List.copyOf(libraries);
    }

    /**
     * The entries of {@code listing} for the ABI ldconfig tags as {@code abi} (null: every entry),
     * the first for each name, which is the one the loader picks.
     */
    static LdconfigCache parse(String listing, String abi) {
        List<Library> libraries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String line : listing.split("\n")) {
            Matcher entry = ENTRY.matcher(line);
            if (entry.matches() && (abi == null || entry.group(2).contains(abi)) && names.add(entry.group(1))) {
                libraries.add(new Library(entry.group(1), Path.of(entry.group(3))));
            }
        }
        return new LdconfigCache(libraries);
    }

    /** The host's cache, from {@code ldconfig -p}; empty where there is no such program. */
    public static LdconfigCache query(Path ldconfig) throws IOException {
        if (!Files.isExecutable(ldconfig)) {
            return new LdconfigCache(List.of());
        }
        Process process = HostProcess.builder(List.of(ldconfig.toString(), "-p"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String listing;
        try (InputStream out = process.getInputStream()) {
            byte[] bytes = out.readNBytes(MAX_LISTING_BYTES);
            if (out.read() >= 0) {
                process.destroy();
                throw new BerthException("LDCONFIG_OUTPUT_TOO_LARGE", ldconfig + " -p listed more than "
                        + MAX_LISTING_BYTES / (1024 * 1024) + " MiB; is it ldconfig?");
            }
            listing = new String(bytes, StandardCharsets.UTF_8);
        }
        String errors = ToolRunner.lastErrorLine(process.getErrorStream());
        int code = ToolRunner.waitFor(process);
        if (code != 0) {
            throw ToolRunner.failure(ldconfig.toString(), code, errors, "cannot list the host's libraries");
        }
        return parse(listing, hostAbi());
    }

    /** Every name of library {@code baseName} (e.g. libcuda: libcuda.so, libcuda.so.1), in the cache's order. */
    public List<Library> named(String baseName) {
        String unversioned = baseName + ".so";
        return libraries.stream().filter(library -> library.name().equals(unversioned)
                || library.name().startsWith(unversioned + ".")).toList();
    }

    /** The ABI tag of this host's architecture, as ldconfig writes it; null where berth does not know it. */
    static String hostAbi() {
        return ABI_BY_ARCHITECTURE.get(System.getProperty("os.arch"));
    }
}
