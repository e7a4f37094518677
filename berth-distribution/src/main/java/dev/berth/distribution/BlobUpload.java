package dev.berth.distribution;

import dev.berth.distribution.auth.Scope;
import dev.berth.distribution.http.RequestBody;
import dev.berth.distribution.http.Response;
import dev.berth.oci.Descriptor;
import dev.berth.oci.transfer.BlobOpener;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One blob's upload session. The first try sends the blob whole (or in chunks when it is large);
 * after an interruption the next try asks the registry how many bytes it kept and sends only the
 * rest, in small chunks, so a network that cuts connections still lets a large blob through.
 * A session the registry no longer knows is started over from the first byte.
 */
final class BlobUpload {
    /** Small enough that a network cutting long requests lets chunks through; only used after a cut. */
    static final int RESUME_CHUNK_SIZE = 1 << 20;
    private static final String OCTET_STREAM = "application/octet-stream";

    private final RegistryClient client;
    private final String repository;
    private final Scope scope;
    private final Descriptor blob;
    private final BlobOpener content;
    private final int chunkSize;

    private URI location;
    private long sent;
    private boolean interrupted;

    BlobUpload(RegistryClient client, String repository, Scope scope, Descriptor blob, BlobOpener content,
               int chunkSize) {
        this.client = client;
        this.repository = repository;
        this.scope = scope;
        this.blob = blob;
        this.content = content;
        this.chunkSize = chunkSize;
    }

    /** Bytes the registry is known to hold for this session. */
    long sent() {
        return sent;
    }

    /**
     * One try: resumes the session where the registry says it stands, or starts one (mounting
     * from {@code mountFrom} when given), and sends the bytes still missing.
     *
     * @throws Interrupted when the network broke or the registry asked to retry
     */
    void attempt(Optional<String> mountFrom) throws IOException {
        try {
            if (interrupted && location != null) {
                askWhereTheSessionStands();
            }
            if (location == null && start(mountFrom)) {
                return;
            }
            sendTheRest();
        } catch (Interrupted e) {
            interrupted = true;
            throw e;
        } catch (InterruptedIOException | RegistryException e) {
            throw e;
        } catch (IOException e) {
            interrupted = true;
            throw new Interrupted(describe(e), e, null, null);
        }
    }

    /** Ends a session that will not be finished, so the registry can free it at once; best effort. */
    void abandon() {
        if (location == null) {
            return;
        }
        try (Response ignored = client.send(new RegistryClient.Call("DELETE", location, scope), 1)) {
            location = null;
        } catch (IOException e) {
            // the registry expires sessions it hears no more of
        }
    }

    /** Starts a session; true when the registry mounted the blob and there is nothing to send. */
    private boolean start(Optional<String> mountFrom) throws IOException {
        String query = mountFrom.map(from -> "?mount=" + encode(blob.digest().toString()) + "&from=" + encode(from))
                .orElse("");
        Scope uploadScope = mountFrom.map(scope::mounting).orElse(scope);
        try (Response started = client.send(new RegistryClient.Call("POST",
                client.uri("/v2/" + repository + "/blobs/uploads/" + query), uploadScope))) {
            if (started.status() == 201) {
                return true;
            }
            location = expectStatus(started, 202, "starting the upload of " + blob.digest());
            sent = 0;
            return false;
        }
    }

    private void askWhereTheSessionStands() throws IOException {
        try (Response status = sendOnce(new RegistryClient.Call("GET", location, scope))) {
            if (status.status() != 204) {
                if (RetryPolicy.isRetryable(status.status())) {
                    throw interruption(status, "asking how much of " + blob.digest() + " arrived");
                }
                startOver();
                return;
            }
            Optional<Long> kept = status.header("Range").flatMap(BlobUpload::bytesInRange);
            if (kept.isEmpty() || kept.get() > blob.size()) {
                startOver();
                return;
            }
            sent = kept.get();
            location = status.header("Location").map(status.uri()::resolve).orElse(location);
        }
    }

    private void startOver() {
        abandon();
        location = null;
        sent = 0;
    }

    /**
     * A blob up to the chunk size goes in the closing PUT; a larger one in one PATCH streamed
     * from its source, so the registry keeps what arrived if the connection breaks. After a break
     * the rest goes in small chunks.
     */
    private void sendTheRest() throws IOException {
        if (sent == 0 && blob.size() <= chunkSize && !interrupted) {
            finish(slice(0, blob.size()));
            return;
        }
        long chunk = interrupted ? RESUME_CHUNK_SIZE : blob.size();
        while (sent < blob.size()) {
            sendChunk(slice(sent, Math.min(chunk, blob.size() - sent)));
        }
        finish(RequestBody.of(new byte[0]));
    }

    /** {@code length} bytes of the blob from {@code offset}, read from its source each time they are sent. */
    private RequestBody slice(long offset, long length) {
        return RequestBody.streamed(length, () -> content.openFrom(offset));
    }

    private void sendChunk(RequestBody chunk) throws IOException {
        try (Response response = sendOnce(new RegistryClient.Call("PATCH", location, scope,
                chunk, "Content-Type", OCTET_STREAM,
                "Content-Range", sent + "-" + (sent + chunk.length() - 1)))) {
            startOverIfLost(response, "at byte " + sent);
            location = expectStatus(response, 202, "uploading blob " + blob.digest());
            sent += chunk.length();
        }
    }

    private void finish(RequestBody lastBytes) throws IOException {
        String separator = location.getRawQuery() == null ? "?" : "&";
        URI target = URI.create(location + separator + "digest=" + encode(blob.digest().toString()));
        try (Response response = sendOnce(new RegistryClient.Call("PUT", target, scope,
                lastBytes, "Content-Type", OCTET_STREAM))) {
            startOverIfLost(response, "at its end");
            expectStatus(response, 201, "uploading blob " + blob.digest());
            location = null;
        }
    }

    /**
     * The registry holds another amount than this client thought (416), or no longer knows a
     * session that was resumed (404: docker-registry cancels one whose size moved after a cut
     * request, when the bytes of the cut request were still being written as the client asked
     * where it stood). Either way a new session is begun, by the caller's next try.
     */
    private void startOverIfLost(Response response, String where) throws Interrupted {
        if (response.status() == 416 || (response.status() == 404 && interrupted)) {
            startOver();
            throw new Interrupted("the registry dropped the upload session " + where, null, null, null);
        }
    }

    /** Upload steps are sent once each: an interrupted session is resumed as a whole by the caller. */
    private Response sendOnce(RegistryClient.Call call) throws IOException {
        try {
            return client.send(call, 1);
        } catch (RegistryException e) {
            if (e.getCause() instanceof IOException io) {
                throw new Interrupted(describe(io), io, null, null);
            }
            throw e;
        }
    }

    /** Checks the status and returns the session's next location; a status worth retrying interrupts the upload. */
    private URI expectStatus(Response response, int expected, String what) throws IOException {
        if (response.status() == expected) {
            return response.header("Location").map(response.uri()::resolve).orElse(response.uri());
        }
        if (RetryPolicy.isRetryable(response.status())) {
            throw interruption(response, what);
        }
        throw client.failure(response, what);
    }

    private Interrupted interruption(Response response, String what) throws IOException {
        RegistryException failure = client.failure(response, what);
        return new Interrupted(failure.getMessage(), null, failure, response.header("Retry-After").orElse(null));
    }

    /** The byte count a {@code Range: 0-N} answer announces; "0-0" is read as nothing kept, the safe side. */
    static Optional<Long> bytesInRange(String range) {
        String value = range.startsWith("bytes=") ? range.substring("bytes=".length()) : range;
        int dash = value.indexOf('-');
        if (dash <= 0) {
            return Optional.empty();
        }
        try {
            long first = Long.parseLong(value.substring(0, dash).trim());
            long last = Long.parseLong(value.substring(dash + 1).trim());
            if (first != 0 || last < 0) {
                return Optional.empty();
            }
            return Optional.of(last == 0 ? 0 : last + 1);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A failure worth trying again for: the network broke, or the registry asked to retry. */
    static final class Interrupted extends IOException {
        private final transient RegistryException failure;
        private final String retryAfter;

        Interrupted(String message, IOException cause, RegistryException failure, String retryAfter) {
            super(message, cause);
            this.failure = failure;
            this.retryAfter = retryAfter;
        }

        RegistryException failure() {
            return failure;
        }

        String retryAfter() {
            return retryAfter;
        }
    }
}
