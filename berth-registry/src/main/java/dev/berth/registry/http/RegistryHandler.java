package dev.berth.registry.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.BerthException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.registry.ContentRange;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.Names;
import dev.berth.registry.Registry;
import dev.berth.registry.RegistryException;
import dev.berth.registry.storage.ChunkSource;
import dev.berth.registry.storage.UploadState;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The distribution-spec v1.1 HTTP API over a {@link Registry}. Runs each request on a virtual
 * thread and blocks freely; bodies stream between the socket and storage in pooled buffers.
 */
public final class RegistryHandler extends Handler.Abstract.NonBlocking {
    /** How much of an oversized manifest is read (and dropped) so its client gets the 413. */
    private static final long OVERSIZED_BODY_DRAIN_LIMIT = 4L * ManifestBytes.MAX_SIZE;

    private static final Logger ACCESS = LoggerFactory.getLogger("dev.berth.registry.access");
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHandler.class);

    private static final HttpField API_VERSION = new PreEncodedHttpField("Docker-Distribution-API-Version", "registry/2.0");
    private static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
    private static final HttpField OCTET_STREAM = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    private static final HttpField INDEX_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, MediaType.OCI_INDEX);
    private static final HttpField ACCEPT_RANGES = new PreEncodedHttpField(HttpHeader.ACCEPT_RANGES, "bytes");
    private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.US_ASCII);
    private static final int MANIFEST_HEADER_CACHE_LIMIT = 100_000;

    private final Registry registry;
    private final Metrics metrics = new Metrics();
    private final boolean accessLog;
    private final Executor blocking;
    private final UploadLimit uploads;
    /** Pre-encoded response headers of manifests, so the hot GET-by-tag path formats nothing. */
    private final ConcurrentHashMap<Digest, HttpField[]> manifestHeaders = new ConcurrentHashMap<>();

    public RegistryHandler(Registry registry, Executor blockingExecutor) {
        this.registry = registry;
        this.accessLog = registry.config().accessLog();
        this.blocking = blockingExecutor;
        this.uploads = new UploadLimit(registry.config().maxUploads());
    }

    /**
     * Manifest reads that memory can answer are served right here on Jetty's thread; everything
     * else (storage, request bodies, streaming) moves to a virtual thread, where blocking is cheap.
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long started = System.nanoTime();
        String path = request.getHttpURI().getPath();
        Route route = Route.of(path == null ? "" : path);
        String method = request.getMethod();
        if (route.kind() == Route.Kind.MANIFEST && (method.equals("GET") || method.equals("HEAD"))) {
            ManifestBytes cached = registry.cachedManifest(route.repository(), route.reference());
            List<String> accept = request.getHeaders().getCSV(HttpHeader.ACCEPT, false);
            if (cached != null && accepts(accept, cached.mediaType())) {
                serveManifest(response, recording(request, response, callback, route, method, path, started), cached,
                        method.equals("HEAD"));
                return true;
            }
        }
        blocking.execute(() -> handleBlocking(request, response, callback, route, method, path, started));
        return true;
    }

    private Callback recording(Request request, Response response, Callback callback, Route route, String method, String path,
                               long started) {
        return new Callback() {
            @Override
            public void succeeded() {
                record(request, response, route, method, path, started);
                callback.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                record(request, response, route, method, path, started);
                callback.failed(failure);
            }
        };
    }

    private void handleBlocking(Request request, Response response, Callback callback, Route route, String method, String path,
                                long started) {
        Callback finishing = recording(request, response, callback, route, method, path, started);
        response.getHeaders().put(API_VERSION);
        try {
            dispatch(route, method, request, response, finishing);
        } catch (RegistryException e) {
            sendError(request, response, finishing, e);
        } catch (BerthException e) {
            sendError(request, response, finishing, new RegistryException(ErrorCode.MANIFEST_INVALID, e.getMessage()));
        } catch (EOFException e) {
            finishing.failed(e);
        } catch (Throwable e) {
            LOG.error("{} {} failed", method, path, e);
            if (!response.isCommitted()) {
                response.setStatus(500);
                write(response, finishing, JSON, json(errorBody("UNKNOWN", "internal error: " + e)));
            } else {
                finishing.failed(e);
            }
        }
    }

    private void record(Request request, Response response, Route route, String method, String path, long started) {
        int status = response.getStatus();
        long in = Request.getContentBytesRead(request);
        long out = Response.getContentBytesWritten(response);
        metrics.request(route.kind(), method, status, in, out);
        if (accessLog && ACCESS.isInfoEnabled()) {
            long micros = (System.nanoTime() - started) / 1000;
            ACCESS.info("{} {} {} {} {}ms", method, path, status, out, micros / 1000.0);
        }
    }

    private void dispatch(Route route, String method, Request request, Response response, Callback callback) throws Exception {
        switch (route.kind()) {
            case BASE -> {
                requireMethod(method, "GET", "HEAD");
                response.setStatus(200);
                write(response, callback, JSON, method.equals("HEAD") ? null : EMPTY_JSON);
            }
            case METRICS -> {
                requireMethod(method, "GET");
                response.setStatus(200);
                write(response, callback, new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4"),
                        metrics.render().getBytes(StandardCharsets.UTF_8));
            }
            case CATALOG -> {
                requireMethod(method, "GET");
                catalog(request, response, callback);
            }
            case MANIFEST -> {
                switch (method) {
                    case "GET", "HEAD" -> getManifest(request, response, callback, route, method.equals("HEAD"));
                    case "PUT" -> putManifest(request, response, callback, route);
                    case "DELETE" -> {
                        registry.deleteManifest(route.repository(), route.reference());
                        accepted(response, callback);
                    }
                    default -> throw methodNotAllowed(method);
                }
            }
            case BLOB -> {
                switch (method) {
                    case "GET", "HEAD" -> getBlob(request, response, callback, route, method.equals("HEAD"));
                    case "DELETE" -> {
                        registry.deleteBlob(route.repository(), digest(route.reference()));
                        accepted(response, callback);
                    }
                    default -> throw methodNotAllowed(method);
                }
            }
            case UPLOADS -> {
                requireMethod(method, "POST");
                startUpload(request, response, callback, route);
            }
            case UPLOAD -> upload(method, request, response, callback, route);
            case TAGS -> {
                requireMethod(method, "GET");
                tags(request, response, callback, route);
            }
            case REFERRERS -> {
                requireMethod(method, "GET");
                referrers(request, response, callback, route);
            }
            case UNKNOWN -> throw new RegistryException(ErrorCode.UNSUPPORTED, 404, "no such endpoint: " + request.getHttpURI().getPath());
        }
    }

    // ------------------------------------------------------------------ manifests

    private void getManifest(Request request, Response response, Callback callback, Route route, boolean head) throws IOException {
        ManifestBytes manifest = registry.manifest(route.repository(), route.reference());
        // Go clients send one Accept header per type: read them all.
        List<String> accept = request.getHeaders().getCSV(HttpHeader.ACCEPT, false);
        if (!accepts(accept, manifest.mediaType())) {
            manifest = negotiate(route, manifest, accept);
        }
        serveManifest(response, callback, manifest, head);
    }

    private void serveManifest(Response response, Callback callback, ManifestBytes manifest, boolean head) {
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(API_VERSION);
        for (HttpField field : manifestHeaders(manifest)) {
            headers.put(field);
        }
        response.setStatus(200);
        response.write(true, head ? null : ByteBuffer.wrap(manifest.bytesUnsafe()).asReadOnlyBuffer(), callback);
    }

    private HttpField[] manifestHeaders(ManifestBytes manifest) {
        HttpField[] fields = manifestHeaders.get(manifest.digest());
        if (fields == null) {
            if (manifestHeaders.size() > MANIFEST_HEADER_CACHE_LIMIT) {
                manifestHeaders.clear();
            }
            fields = new HttpField[] {
                    new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, manifest.mediaType()),
                    new PreEncodedHttpField("Docker-Content-Digest", manifest.digest().toString()),
                    new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(manifest.size())),
                    new PreEncodedHttpField(HttpHeader.ETAG, "\"" + manifest.digest() + "\""),
            };
            manifestHeaders.put(manifest.digest(), fields);
        }
        return fields;
    }

    /**
     * A client whose Accept leaves out the stored type: an index asked for by tag falls back to its
     * linux/amd64 image (what Docker-era clients expect); anything else is not found for this client.
     */
    private ManifestBytes negotiate(Route route, ManifestBytes manifest, List<String> accept) throws IOException {
        if (manifest.isIndex() && !Registry.isDigestReference(route.reference())) {
            for (Descriptor entry : manifest.index().manifests()) {
                if (entry.platform() != null && "linux".equals(entry.platform().os())
                        && "amd64".equals(entry.platform().architecture()) && accepts(accept, entry.mediaType())) {
                    return registry.manifest(route.repository(), entry.digest().toString());
                }
            }
        }
        throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + route.reference() + " is a "
                + manifest.mediaType() + ", which the request's Accept header does not allow");
    }

    static boolean accepts(List<String> accept, String mediaType) {
        if (accept.isEmpty()) {
            return true;
        }
        for (String part : accept) {
            String type = part.strip();
            int semicolon = type.indexOf(';');
            if (semicolon >= 0) {
                type = type.substring(0, semicolon).strip();
            }
            if (type.equals(mediaType) || type.equals("*/*") || type.equals("application/*")) {
                return true;
            }
        }
        return false;
    }

    private void putManifest(Request request, Response response, Callback callback, Route route) throws IOException {
        long declared = request.getLength();
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared > ManifestBytes.MAX_SIZE) {
                discardUpTo(in, declared <= OVERSIZED_BODY_DRAIN_LIMIT ? declared : 0);
                throw tooLarge(declared);
            }
            body = in.readNBytes(ManifestBytes.MAX_SIZE + 1);
            if (body.length > ManifestBytes.MAX_SIZE) {
                discardUpTo(in, OVERSIZED_BODY_DRAIN_LIMIT);
                throw tooLarge(body.length);
            }
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (contentType != null && contentType.indexOf(';') >= 0) {
            contentType = contentType.substring(0, contentType.indexOf(';')).strip();
        }
        List<String> extraTags = List.of();
        if (request.getHttpURI().getQuery() != null) {
            Fields query = Request.extractQueryParameters(request);
            List<String> tags = query.getValues("tag");
            if (tags != null && !tags.isEmpty()) {
                if (!Registry.isDigestReference(route.reference())) {
                    throw new RegistryException(ErrorCode.MANIFEST_INVALID, "tag parameters are for pushes by digest");
                }
                extraTags = tags;
            }
        }
        Registry.PushedManifest pushed = registry.putManifest(route.repository(), route.reference(), contentType, body, extraTags);
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.LOCATION, "/v2/" + route.repository() + "/manifests/" + pushed.digest());
        headers.put("Docker-Content-Digest", pushed.digest().toString());
        if (pushed.subject() != null) {
            headers.put("OCI-Subject", pushed.subject().toString());
        }
        if (!extraTags.isEmpty()) {
            headers.put("OCI-Tag", String.join(", ", pushed.tags()));
        }
        response.setStatus(201);
        write(response, callback, null, null);
    }

    /**
     * Reads and drops what is left of a refused body, up to {@code limit} bytes. A client still
     * sending when the connection closes sees a reset instead of the 413, so a modestly oversized
     * manifest is read to its end; a huge one is cut off.
     */
    private static void discardUpTo(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long discarded = 0;
        int n;
        while (discarded < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - discarded))) > 0) {
            discarded += n;
        }
    }

    private static RegistryException tooLarge(long size) {
        return new RegistryException(ErrorCode.MANIFEST_INVALID, 413, "manifest of " + size
                + " bytes is larger than the limit of " + ManifestBytes.MAX_SIZE + " bytes");
    }

    // ------------------------------------------------------------------ blobs

    private void getBlob(Request request, Response response, Callback callback, Route route, boolean head) throws IOException {
        Digest digest = digest(route.reference());
        long size = head ? registry.blobSizeForPush(route.repository(), digest) : registry.blobSize(route.repository(), digest);
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(OCTET_STREAM);
        headers.put("Docker-Content-Digest", digest.toString());
        headers.put(ACCEPT_RANGES);
        headers.put(HttpHeader.ETAG, "\"" + digest + "\"");
        long start = 0;
        long length = size;
        String range = head ? null : request.getHeaders().get(HttpHeader.RANGE);
        if (range != null) {
            long[] span = ByteRange.parse(range, size);
            if (span == null) {
                headers.put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
                throw new RegistryException(ErrorCode.SIZE_INVALID, 416, "range " + range + " is outside the blob's " + size + " bytes");
            }
            if (span.length == 2) {
                start = span[0];
                length = span[1] - span[0] + 1;
                headers.put(HttpHeader.CONTENT_RANGE, "bytes " + span[0] + "-" + span[1] + "/" + size);
                response.setStatus(206);
            }
        }
        if (response.getStatus() != 206) {
            response.setStatus(200);
        }
        headers.put(HttpHeader.CONTENT_LENGTH, length);
        if (head || length == 0) {
            response.write(true, null, callback);
            return;
        }
        try (SeekableByteChannel channel = registry.openBlob(digest)) {
            BlobStreams.send(request, response, channel, start, length);
        } catch (NoSuchFileException e) {
            // collected between the size check and the open; nothing was sent yet
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in repository " + route.repository());
        }
        callback.succeeded();
    }

    // ------------------------------------------------------------------ uploads

    private void startUpload(Request request, Response response, Callback callback, Route route) throws IOException {
        String repository = Names.requireRepository(route.repository());
        Fields query = Request.extractQueryParameters(request);
        String mount = query.getValue("mount");
        if (mount != null) {
            Digest digest = digest(mount);
            if (registry.mount(repository, digest, query.getValue("from"))) {
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
            uploadAccepted(response, callback, registry.startUpload(repository, algorithm), 202);
            return;
        }
        try (UploadLimit.Slot ignored = uploads.acquire()) {
            UploadState state = registry.startUpload(repository, algorithm);
            Instant began = Instant.now();
            try {
                registry.finishUpload(repository, state.id(), digest, null, body(request));
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
            registry.cancelUpload(repository, id);
        } catch (IOException | RuntimeException ignored) {
            // already gone
        }
    }

    private void upload(String method, Request request, Response response, Callback callback, Route route) throws IOException {
        String repository = route.repository();
        String id = route.reference();
        switch (method) {
            case "GET" -> uploadAccepted(response, callback, registry.uploadStatus(repository, id), 204);
            case "DELETE" -> {
                registry.cancelUpload(repository, id);
                response.setStatus(204);
                write(response, callback, null, null);
            }
            case "PATCH" -> {
                ContentRange range = ContentRange.parse(request.getHeaders().get(HttpHeader.CONTENT_RANGE));
                try (UploadLimit.Slot ignored = uploads.acquire()) {
                    UploadState state = registry.appendChunk(repository, id, range, body(request));
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
                UploadState state = registry.uploadStatus(repository, id);
                // Closing without a last chunk holds no buffers, and refusing it would waste the upload.
                try (UploadLimit.Slot ignored = hasBody ? uploads.acquire() : null) {
                    registry.finishUpload(repository, id, digest, range, hasBody ? body(request) : null);
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
                UploadState state = registry.uploadStatus(repository, id);
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

    // ------------------------------------------------------------------ listings

    private void tags(Request request, Response response, Callback callback, Route route) {
        NavigableSet<String> all = registry.tags(route.repository());
        Page page = Page.ofTags(request, all, "/v2/" + route.repository() + "/tags/list");
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("name", route.repository());
        ArrayNode list = body.putArray("tags");
        page.items().forEach(list::add);
        page.link().ifPresent(link -> response.getHeaders().put(HttpHeader.LINK, link));
        response.setStatus(200);
        write(response, callback, JSON, json(body));
    }

    private void catalog(Request request, Response response, Callback callback) {
        Page page = Page.ofRepositories(request, registry.repositories(), "/v2/_catalog");
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode list = body.putArray("repositories");
        page.items().forEach(list::add);
        page.link().ifPresent(link -> response.getHeaders().put(HttpHeader.LINK, link));
        response.setStatus(200);
        write(response, callback, JSON, json(body));
    }

    private void referrers(Request request, Response response, Callback callback, Route route) throws IOException {
        Digest subject = digest(route.reference());
        String artifactType = request.getHttpURI().getQuery() == null ? null
                : Request.extractQueryParameters(request).getValue("artifactType");
        List<Descriptor> referrers = registry.referrers(route.repository(), subject, artifactType);
        if (artifactType != null) {
            response.getHeaders().put("OCI-Filters-Applied", "artifactType");
        }
        response.setStatus(200);
        write(response, callback, INDEX_TYPE, Json.write(ImageIndex.of(MediaType.OCI_INDEX, referrers)));
    }

    // ------------------------------------------------------------------ helpers

    private static Digest digest(String text) {
        try {
            return Digest.parse(text);
        } catch (BerthException e) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, e.getMessage());
        }
    }

    private static void requireMethod(String method, String... allowed) {
        for (String candidate : allowed) {
            if (candidate.equals(method)) {
                return;
            }
        }
        throw methodNotAllowed(method);
    }

    private static RegistryException methodNotAllowed(String method) {
        return new RegistryException(ErrorCode.UNSUPPORTED, 405, "method " + method + " is not supported here");
    }

    private static void accepted(Response response, Callback callback) {
        response.setStatus(202);
        write(response, callback, null, null);
    }

    private static void write(Response response, Callback callback, HttpField contentType, byte[] body) {
        if (contentType != null) {
            response.getHeaders().put(contentType);
        }
        int length = body == null ? 0 : body.length;
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        if (body == null) {
            response.write(true, null, callback);
        } else {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    private void sendError(Request request, Response response, Callback callback, RegistryException e) {
        if (response.isCommitted()) {
            callback.failed(e);
            return;
        }
        response.setStatus(e.status());
        if (e.errorCode() == ErrorCode.TOOMANYREQUESTS) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, UploadLimit.RETRY_AFTER_SECONDS);
        }
        byte[] body = json(errorBody(e.errorCode().name(), e.getMessage()));
        if (request.getMethod().equals("HEAD")) {
            response.getHeaders().put(JSON);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, null, callback);
        } else {
            write(response, callback, JSON, body);
        }
    }

    /** Errors Jetty raises itself (malformed requests) in the spec's JSON shape too. */
    public static boolean jettyError(Request request, Response response, Callback callback) {
        Object message = request.getAttribute(org.eclipse.jetty.server.handler.ErrorHandler.ERROR_MESSAGE);
        write(response, callback, JSON, json(errorBody(ErrorCode.UNSUPPORTED.name(),
                message == null ? "bad request" : message.toString())));
        return true;
    }

    private static ObjectNode errorBody(String code, String message) {
        ObjectNode body = Json.mapper().createObjectNode();
        ObjectNode error = body.putArray("errors").addObject();
        error.put("code", code);
        error.put("message", message);
        error.putObject("detail");
        return body;
    }

    private static byte[] json(Object value) {
        return Json.write(value);
    }
}
