package dev.berth.build;

import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The directory a build reads COPY and ADD sources from, less what {@code .dockerignore}
 * excludes (Docker's rules: one pattern a line, {@code #} comments, {@code **} across
 * directories, {@code !} re-includes, the last matching line wins, a directory's exclusion
 * covers what is under it). Sources never leave the context: not by {@code ..}, not through a
 * symbolic link that points outside.
 */
final class BuildContext {
    private record Rule(PathMatcher matcher, boolean include) {
    }

    private final Path root;
    private final Path realRoot;
    private final List<Rule> rules;
    /** Each regular file's content digest, by its path in the context: a build reads each file once however many keys name it. */
    private final Map<Path, byte[]> fileDigests = new HashMap<>();

    private BuildContext(Path root, List<Rule> rules) throws IOException {
        this.root = root;
        this.realRoot = root.toRealPath();
        this.rules = List.copyOf(rules);
    }

    static BuildContext open(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new BerthException("BUILD_CONTEXT_INVALID", "the build context " + root + " is not a directory");
        }
        List<Rule> rules = new ArrayList<>();
        Path ignore = root.resolve(".dockerignore");
        if (Files.isRegularFile(ignore)) {
            for (String line : Files.readAllLines(ignore)) {
                String pattern = line.strip();
                if (pattern.isEmpty() || pattern.startsWith("#")) {
                    continue;
                }
                boolean include = pattern.startsWith("!");
                pattern = clean(include ? pattern.substring(1).strip() : pattern);
                if (!pattern.isEmpty()) {
                    rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + pattern), include));
                }
            }
        }
        return new BuildContext(root, rules);
    }

    private static String clean(String pattern) {
        String cleaned = pattern;
        while (cleaned.startsWith("/") || cleaned.startsWith("./")) {
            cleaned = cleaned.substring(cleaned.startsWith("/") ? 1 : 2);
        }
        while (cleaned.endsWith("/")) {
            cleaned = cleaned.substring(0, cleaned.length() - 1);
        }
        return cleaned;
    }

    Path root() {
        return root;
    }

    /** Whether the host path {@code path}, in the context, is one .dockerignore excludes. */
    boolean excludes(Path path) {
        return path.startsWith(root) && excluded(root.relativize(path));
    }

    /** Whether {@code relative} (or a directory above it) is excluded by .dockerignore. */
    boolean excluded(Path relative) {
        boolean excluded = false;
        for (Rule rule : rules) {
            for (Path prefix = relative; prefix != null; prefix = prefix.getParent()) {
                if (rule.matcher().matches(prefix)) {
                    excluded = !rule.include();
                    break;
                }
            }
        }
        return excluded;
    }

    /**
     * A digest of what COPY would read from these context paths: each file's and directory's
     * relative path, type, permissions, link target and content digest, in a fixed order, and
     * what .dockerignore leaves of a directory. Times are left out: a checkout made again is the
     * same source.
     */
    String contentKey(List<Path> sources) throws IOException {
        MessageDigest digest = DigestAlgorithm.SHA256.newMessageDigest();
        for (Path source : sources) {
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(root.resolve(source))) {
                paths = walk.map(root::relativize).filter(path -> !excluded(path) || path.equals(source)).sorted().toList();
            }
            for (Path path : paths) {
                Path file = root.resolve(path);
                int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                digest.update((path + "\0" + Integer.toOctalString(mode) + "\0").getBytes(StandardCharsets.UTF_8));
                if (Files.isSymbolicLink(file)) {
                    digest.update(Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8));
                } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    digest.update(contentDigest(path));
                }
                digest.update((byte) 0);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private byte[] contentDigest(Path path) throws IOException {
        byte[] known = fileDigests.get(path);
        if (known != null) {
            return known;
        }
        MessageDigest digest = DigestAlgorithm.SHA256.newMessageDigest();
        try (InputStream in = Files.newInputStream(root.resolve(path))) {
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
        }
        byte[] content = digest.digest();
        fileDigests.put(path, content);
        return content;
    }

    /** One digest over the whole context as {@code COPY . } would read it: what a build's provenance records. */
    Digest digest() throws IOException {
        return new Digest(DigestAlgorithm.SHA256, contentKey(List.of(Path.of(""))));
    }

    /**
     * The context paths a COPY source names: one path, or every path a glob matches (Go's
     * filepath.Match, as Docker uses it: {@code *} stays within one directory).
     */
    List<Path> sources(String source, String where) throws IOException {
        String cleaned = clean(source.replace('\\', '/'));
        Path relative = Path.of(cleaned.isEmpty() ? "." : cleaned).normalize();
        if (relative.startsWith("..")) {
            throw new BerthException("BUILD_SOURCE_OUTSIDE", where + ": " + source + " is outside the build context");
        }
        List<Path> found = new ArrayList<>();
        if (cleaned.chars().anyMatch(c -> c == '*' || c == '?' || c == '[')) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + cleaned);
            try (Stream<Path> walk = Files.walk(root)) {
                walk.map(root::relativize).filter(path -> !path.toString().isEmpty() && matcher.matches(path) && !excluded(path))
                        .sorted().forEach(found::add);
            }
        } else if (Files.exists(root.resolve(relative), LinkOption.NOFOLLOW_LINKS)
                && (relative.toString().isEmpty() || !excluded(relative))) {
            found.add(relative);
        }
        if (found.isEmpty()) {
            throw new BerthException("BUILD_SOURCE_MISSING", where + ": " + source + " is not in the build context " + root
                    + (rules.isEmpty() ? "" : " (or .dockerignore excludes it)"));
        }
        for (Path path : found) {
            Path real = root.resolve(path).toRealPath();
            if (!real.startsWith(realRoot)) {
                throw new BerthException("BUILD_SOURCE_OUTSIDE", where + ": " + source + " leads outside the build context (to " + real + ")");
            }
        }
        return found;
    }
}
