package dev.berth.registry.http;

import static dev.berth.registry.http.Responses.digest;
import static dev.berth.registry.http.Responses.methodNotAllowed;
import static dev.berth.registry.http.Responses.write;

import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.registry.ContentRange;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.Names;
import dev.berth.registry.Registry;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.AuthorizationSeam.Grant;
import dev.berth.registry.storage.ChunkSource;
import dev.berth.registry.storage.UploadState;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;

/**
 * The blob upload endpoints: starting one (monolithic, chunked or a cross-repository mount),
 * feeding it chunks, closing and cancelling it. Bodies stream from the socket to storage.
 */
final class UploadRoutes {
    private final Registry registry;
    private final Metrics metrics;
    private final UploadLimit uploads;

    UploadRoutes(Registry registry, Metrics metrics, UploadLimit uploads) {
        this.registry = registry;
        this.metrics = metrics;
        this.uploads = uploads;
    }

    /**
     * A mount links a blob only from a repository the grant may read (or, without {@code from},
     * only on an open registry); otherwise it falls back to a plain upload, as the spec allows,
     * so a mount cannot reveal blobs of repositories the caller cannot see.
     */
    void start(Request request, Response response, Callback callback, Route route, Grant grant) throws IOException {
        String repository = Names.requireRepository(route.repository());
        Fields query = Request.extractQueryParameters(request);
        String mount = query.getValue("mount");
        if (mount != null) {
            Digest digest = digest(mount);
            String from = query.getValue("from");
            boolean readable = from == null ? grant.unrestricted() : grant.mayPull(from);
            if (readable && registry.blobs().mount(repository, digest, from)) {
                blobCreated(response, callback, repository, digest);
                return;
            }
        }
        String digestParam = query.getValue("digest");
        Digest digest = digestParam == null ? null : digest(digestParam);
        String algorithmParam = query.getValue("digest-algorithm");
        DigestAlgorithm algorithm = digest != null ? digest.algorithm() : DigestAlgorithm.SHA256;
        if (algorithmParam != null) {
            algorithm = DigestAlgorithm.byId(algorithmParam);
            if (algorithm == null) {
                throw new RegistryException(ErrorCode.DIGEST_INVALID, "unsupported digest algorithm " + algorithmParam
                        + " (berth supports sha256 and sha512)");
            }
        }
        if (digest == null) {
            uploadAccepted(response, callback, registry.uploads().start(repository, algorithm), 202);
            return;
        }
        try (UploadLimit.Slot ignored = uploads.acquire()) {
            UploadState state = registry.uploads().start(repository, algorithm);
            Instant began = Instant.now();
            try {
                registry.uploads().finish(repository, state.id(), digest, null, body(request));
            } catch (IOException | RuntimeException e) {
                discard(repository, state.id());
                throw e;
            }
            metrics.upload(Duration.between(began, Instant.now()).toMillis());
            blobCreated(response, callback, repository, digest);
        }
    }

    private void discard(String repository, String id) {
        try {
            registry.uploads().cancel(repository, id);
        } catch (IOException | RuntimeException ignored) {
            // already gone
        }
    }

    void handle(String method, Request request, Response response, Callback callback, Route route) throws IOException {
        String repository = route.repository();
        String id = route.reference();
        switch (method) {
            case "GET" -> uploadAccepted(response, callback, registry.uploads().status(repository, id), 204);
            case "DELETE" -> {
                registry.uploads().cancel(repository, id);
                response.setStatus(204);
                write(response, callback, null, null);
            }
            case "PATCH" -> {
                ContentRange range = ContentRange.parse(request.getHeaders().get(HttpHeader.CONTENT_RANGE));
                try (UploadLimit.Slot ignored = uploads.acquire()) {
                    UploadState state = registry.uploads().appendChunk(repository, id, range, body(request));
                    uploadAccepted(response, callback, state, 202);
                } catch (RegistryException e) {
                    throw withUploadHeaders(response, repository, id, e);
                }
            }
            case "PUT" -> {
                String digestParam = Request.extractQueryParameters(request).getValue("digest");
                if (digestParam == null) {
                    throw new RegistryException(ErrorCode.DIGEST_INVALID, "closing an upload needs ?digest=<digest of the whole blob>");
                }
                Digest digest = digest(digestParam);
                ContentRange range = ContentRange.parse(request.getHeaders().get(HttpHeader.CONTENT_RANGE));
                boolean hasBody = request.getLength() != 0 && (request.getLength() > 0
                        || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
                UploadState state = registry.uploads().status(repository, id);
                // Closing without a last chunk holds no buffers, and refusing it would waste the upload.
                try (UploadLimit.Slot ignored = hasBody ? uploads.acquire() : null) {
                    registry.uploads().finish(repository, id, digest, range, hasBody ? body(request) : null);
                } catch (RegistryException e) {
                    throw withUploadHeaders(response, repository, id, e);
                }
                metrics.upload(Duration.between(state.started(), Instant.now()).toMillis());
                blobCreated(response, callback, repository, digest);
            }
            default -> throw methodNotAllowed(method);
        }
    }

    /** After a refused chunk, tells the client where the upload stands so it can resume. */
    private RegistryException withUploadHeaders(Response response, String repository, String id, RegistryException e) {
        if (e.status() == 416) {
            try {
                UploadState state = registry.uploads().status(repository, id);
                response.getHeaders().put(HttpHeader.LOCATION, uploadLocation(state));
                response.getHeaders().put(HttpHeader.RANGE, "0-" + Math.max(0, state.size() - 1));
            } catch (IOException | RuntimeException ignored) {
                // the error itself says enough
            }
        }
        return e;
    }

    private void uploadAccepted(Response response, Callback callback, UploadState state, int status) {
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.LOCATION, uploadLocation(state));
        headers.put(HttpHeader.RANGE, "0-" + Math.max(0, state.size() - 1));
        headers.put("Docker-Upload-UUID", state.id());
        response.setStatus(status);
        write(response, callback, null, null);
    }

    private static String uploadLocation(UploadState state) {
        return "/v2/" + state.repository() + "/blobs/uploads/" + state.id();
    }

    private void blobCreated(Response response, Callback callback, String repository, Digest digest) {
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.LOCATION, "/v2/" + repository + "/blobs/" + digest);
        headers.put("Docker-Content-Digest", digest.toString());
        response.setStatus(201);
        write(response, callback, null, null);
    }

    /** The request body as a chunk source: blocks this virtual thread until data arrives. */
    private static ChunkSource body(Request request) {
        return target -> {
            long total = 0;
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    try (Blocker.Runnable ready = Blocker.runnable()) {
                        request.demand(ready);
                        ready.block();
                    }
                    continue;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    Throwable failure = chunk.getFailure();
                    throw failure instanceof IOException io ? io : new IOException("request body failed", failure);
                }
                try {
                    ByteBuffer buffer = chunk.getByteBuffer();
                    while (buffer.hasRemaining()) {
                        total += target.write(buffer);
                    }
                } finally {
                    chunk.release();
                }
                if (chunk.isLast()) {
                    return total;
                }
            }
        };
    }
}
