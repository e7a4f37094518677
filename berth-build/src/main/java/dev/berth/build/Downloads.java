package dev.berth.build;

import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The files {@code ADD URL} downloads, once per build: each is fetched through the
 * {@link Fetcher} the caller gives (berth's own HTTP client, with its proxies and certificates),
 * checked against {@code --checksum} when given, and kept with mode 0600 and the server's
 * Last-Modified time (the Unix epoch without one), as Docker keeps them; it is not unpacked.
 * Its content digest is what the step's cache key holds, so the step runs again when the
 * content behind the URL changed.
 */
public final class Downloads {
    /** A downloaded file and its content digest. */
    record Download(Path file, Digest digest) {
    }

    /** A GET that follows redirects: the final status, the Last-Modified header, and the body to read and close. */
    @FunctionalInterface
    public interface Fetcher {
        record Fetched(int status, Optional<String> lastModified, InputStream body) {
        }

        Fetched get(URI uri) throws IOException;
    }

    private final Path directory;
    private final Fetcher fetcher;
    private final Map<String, Download> done = new HashMap<>();

    Downloads(Path directory, Fetcher fetcher) {
        this.directory = directory;
        this.fetcher = fetcher;
    }

    static boolean isUrl(String source) {
        return source.startsWith("http://") || source.startsWith("https://");
    }

    synchronized Download fetch(String url, Optional<String> checksum, String where) throws IOException {
        Download download = done.get(url);
        if (download == null) {
            download = get(url, where);
            done.put(url, download);
        }
        if (checksum.isPresent() && !checksum.get().equals(download.digest().toString())) {
            throw new BerthException("BUILD_CHECKSUM_MISMATCH", where + ": " + url + " has the digest " + download.digest()
                    + ", not " + checksum.get() + " as --checksum says");
        }
        return download;
    }

    private Download get(String url, String where) throws IOException {
        URI uri = URI.create(url);
        String name = Optional.ofNullable(uri.getPath()).map(path -> path.substring(path.lastIndexOf('/') + 1))
                .filter(last -> !last.isEmpty()).orElse("download");
        Files.createDirectories(directory);
        Path file = Files.createTempDirectory(directory, "download-").resolve(name);
        Fetcher.Fetched response;
        try {
            response = fetcher.get(uri);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw new BerthException("BUILD_DOWNLOAD_FAILED", where + ": cannot download " + url + ": " + e.getMessage(), e);
        }
        MessageDigest digest = DigestAlgorithm.SHA256.newMessageDigest();
        try (InputStream in = response.body()) {
            if (response.status() != 200) {
                throw new BerthException("BUILD_DOWNLOAD_FAILED", where + ": cannot download " + url + ": the server answered "
                        + response.status());
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int read; (read = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, read);
                    out.write(buffer, 0, read);
                }
            }
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(file, FileTime.from(response.lastModified().flatMap(Downloads::httpDate).orElse(Instant.EPOCH)));
        return new Download(file, new Digest(DigestAlgorithm.SHA256, HexFormat.of().formatHex(digest.digest())));
    }

    private static Optional<Instant> httpDate(String text) {
        try {
            return Optional.of(ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
