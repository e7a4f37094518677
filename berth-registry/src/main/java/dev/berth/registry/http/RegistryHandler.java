package dev.berth.registry.http;

import static dev.berth.registry.http.Responses.JSON;
import static dev.berth.registry.http.Responses.accepted;
import static dev.berth.registry.http.Responses.digest;
import static dev.berth.registry.http.Responses.errorBody;
import static dev.berth.registry.http.Responses.json;
import static dev.berth.registry.http.Responses.methodNotAllowed;
import static dev.berth.registry.http.Responses.requireMethod;
import static dev.berth.registry.http.Responses.write;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.BerthException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.Names;
import dev.berth.registry.Registry;
import dev.berth.registry.RepositoryManifests;
import dev.berth.registry.RegistryException;
import dev.berth.registry.TagChanges;
import dev.berth.registry.access.Access;
import dev.berth.registry.http.api.AccessApi;
import dev.berth.registry.meta.MetaException;
import dev.berth.registry.trust.PushAttestations;
import dev.berth.registry.access.AccessConfig;
import dev.berth.registry.access.AccessPolicy;
import dev.berth.registry.access.Action;
import dev.berth.registry.access.AuthorizationSeam;
import dev.berth.registry.access.AuthorizationSeam.Decision;
import dev.berth.registry.access.AuthorizationSeam.Grant;
import dev.berth.registry.access.AuthorizationSeam.Need;
import dev.berth.registry.access.Principal;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.http.HttpURI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
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
    private static final HttpField OCTET_STREAM = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    private static final HttpField INDEX_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, MediaType.OCI_INDEX);
    private static final HttpField ACCEPT_RANGES = new PreEncodedHttpField(HttpHeader.ACCEPT_RANGES, "bytes");
    private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.US_ASCII);
    private static final int MANIFEST_HEADER_CACHE_LIMIT = 100_000;

    private final Registry registry;
    private final Metrics metrics = new Metrics();
    private final boolean accessLog;
    private final Executor blocking;
    private final UploadRoutes uploads;
    private final AuthorizationSeam seam;
    /** Null on an open registry, which has no accounts, token service or access API. */
    private final Access access;
    private final TokenEndpoint tokenEndpoint;
    private final AccessApi accessApi;
    /** Null unless the {@code [auth]} table has an {@code [auth.oidc]} table. */
    private final OidcRoutes oidcRoutes;
    /** Pre-encoded response headers of manifests, so the hot GET-by-tag path formats nothing. */
    private final ConcurrentHashMap<Digest, HttpField[]> manifestHeaders = new ConcurrentHashMap<>();
    private final PushAttestations pushAttestations;

    /** {@code access} null: no authentication, every request may do anything (a loopback registry). */
    public RegistryHandler(Registry registry, Executor blockingExecutor, Access access) {
        this.registry = registry;
        this.accessLog = registry.config().accessLog();
        this.blocking = blockingExecutor;
        this.uploads = new UploadRoutes(registry, metrics, new UploadLimit(registry.config().maxUploads()));
        this.access = access;
        this.seam = access == null ? AuthorizationSeam.open() : AuthorizationSeam.enforcing(access.verifier());
        this.tokenEndpoint = access == null ? null : new TokenEndpoint(access);
        this.accessApi = access == null ? null : new AccessApi(access, registry);
        this.pushAttestations = access == null ? null : new PushAttestations(registry, access.attestationKey());
        this.oidcRoutes = access == null || access.config().oidc() == null ? null : new OidcRoutes(access);
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
            ManifestBytes cached = registry.manifests().cachedManifest(route.repository(), route.reference());
            List<String> accept = request.getHeaders().getCSV(HttpHeader.ACCEPT, false);
            // Deciding needs no I/O (a verified token is a cache hit), so the fast path stays on this thread.
            if (cached != null && accepts(accept, cached.mediaType())
                    && decide(request, route, method) instanceof Decision.Allowed) {
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
        } catch (MetaException e) {
            LOG.error("{} {}: {}", method, path, e.getMessage());
            sendError(request, response, finishing, new RegistryException(ErrorCode.UNAVAILABLE, e.getMessage()
                    + "; the registry cannot decide this request now: try again later"));
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

    private Decision decide(Request request, Route route, String method) {
        Need need = RouteNeeds.of(route, method);
        return need == null ? null : seam.decide(request.getHeaders().get(HttpHeader.AUTHORIZATION), need);
    }

    /**
     * A cross-repository mount reads the blob from its {@code from} repository: the challenge
     * asks for pull there too (as Docker's registry does), so that a client that asks for the
     * scopes it is challenged with gets a token that can mount. Without it the upload still
     * works, as a plain one.
     */
    private static String mountSourceScope(Request request, Route route) {
        if (route.kind() != Route.Kind.UPLOADS) {
            return "";
        }
        Fields query = Request.extractQueryParameters(request);
        String from = query.getValue("from");
        return query.getValue("mount") != null && from != null && Names.isRepository(from) ? " repository:" + from + ":pull" : "";
    }

    /** The seam: a request that may not do what its route does is answered 401 with a challenge. */
    private Grant authorize(Request request, Response response, Route route, String method) {
        Decision decision = decide(request, route, method);
        return switch (decision) {
            case null -> null;
            case Decision.Allowed allowed -> allowed.grant();
            case Decision.Challenge challenge -> {
                // the token endpoint, without the query of the request that was refused
                String realm = access.config().realm() != null ? access.config().realm()
                        : HttpURI.build(Request.newHttpURIFrom(request, AccessConfig.TOKEN_PATH)).query(null).asString();
                StringBuilder header = new StringBuilder("Bearer realm=\"").append(realm).append("\",service=\"")
                        .append(access.config().service()).append('"');
                if (challenge.scope() != null) {
                    header.append(",scope=\"").append(challenge.scope()).append(mountSourceScope(request, route)).append('"');
                }
                if (challenge.insufficientScope()) {
                    header.append(",error=\"insufficient_scope\"");
                }
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, header.toString());
                throw challenge.insufficientScope()
                        ? new RegistryException(ErrorCode.DENIED, 401, denial(request, route, method, challenge))
                        : new RegistryException(ErrorCode.UNAUTHORIZED, "authentication required: log in to this registry"
                                + " (podman login, skopeo login, berth login) or get a token from " + realm);
            }
        };
    }

    /** A pull that the policy refuses says why (a licence to accept, a condition unmet); anything else asks for a role. */
    private String denial(Request request, Route route, String method, Decision.Challenge challenge) {
        boolean pull = method.equals("GET") || method.equals("HEAD");
        if (pull && route.repository() != null && challenge.grant() != null) {
            Optional<String> why = access.policy().whyNotPull(access.principalOf(challenge.grant()), route.repository(),
                    Request.getRemoteAddr(request), Request.getServerName(request) + ":" + Request.getServerPort(request));
            if (why.isPresent()) {
                return why.get();
            }
        }
        if (!pull && route.repository() != null && access.policy().uploadControlled(route.repository())) {
            return "project " + AccessPolicy.projectOf(route.repository()) + " is trusted: only its maintainers push to it";
        }
        return "requested access to " + describe(route) + " is denied: ask the project's owner for a role that allows it";
    }

    private static String describe(Route route) {
        return route.repository() == null ? "the catalog" : "repository " + route.repository();
    }

    private void dispatch(Route route, String method, Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (route.kind() == Route.Kind.UNKNOWN && oidcRoutes != null && path.startsWith(OidcRoutes.PREFIX)) {
            oidcRoutes.handle(method, path, request, response, callback);
            return;
        }
        if (route.kind() == Route.Kind.TOKEN || route.kind() == Route.Kind.API) {
            if (access == null) {
                throw new RegistryException(ErrorCode.UNSUPPORTED, 404, "this registry has no accounts: add an [auth]"
                        + " table to its config to turn them on");
            }
            if (route.kind() == Route.Kind.TOKEN) {
                tokenEndpoint.handle(method, request, response, callback);
            } else {
                accessApi.handle(method, route.reference(), request, response, callback);
            }
            return;
        }
        Grant grant = authorize(request, response, route, method);
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
                catalog(request, response, callback, grant);
            }
            case MANIFEST -> {
                switch (method) {
                    case "GET", "HEAD" -> getManifest(request, response, callback, route, method.equals("HEAD"));
                    case "PUT" -> {
                        putManifest(request, response, callback, route, actor(request, grant));
                        audit(request, grant, "push", route.repository() + ":" + route.reference());
                    }
                    case "DELETE" -> {
                        registry.manifests().deleteManifest(route.repository(), route.reference(), actor(request, grant));
                        audit(request, grant, "delete", route.repository() + ":" + route.reference());
                        accepted(response, callback);
                    }
                    default -> throw methodNotAllowed(method);
                }
            }
            case BLOB -> {
                switch (method) {
                    case "GET", "HEAD" -> getBlob(request, response, callback, route, method.equals("HEAD"));
                    case "DELETE" -> {
                        registry.blobs().deleteBlob(route.repository(), digest(route.reference()));
                        audit(request, grant, "delete", route.repository() + "@" + route.reference());
                        accepted(response, callback);
                    }
                    default -> throw methodNotAllowed(method);
                }
            }
            case UPLOADS -> {
                requireMethod(method, "POST");
                uploads.start(request, response, callback, route, grant);
            }
            case UPLOAD -> uploads.handle(method, request, response, callback, route);
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
        ManifestBytes manifest = registry.manifests().manifest(route.repository(), route.reference());
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
                    return registry.manifests().manifest(route.repository(), entry.digest().toString());
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

    private void putManifest(Request request, Response response, Callback callback, Route route, TagChanges.Actor actor)
            throws IOException {
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
        RepositoryManifests.PushedManifest pushed = registry.manifests().putManifest(route.repository(), route.reference(), contentType, body,
                extraTags, actor);
        if (pushAttestations != null) {
            try {
                pushAttestations.record(route.repository(), pushed, actor);
            } catch (IOException | RuntimeException e) {
                LOG.error("push attestation of {}@{} failed: {}", route.repository(), pushed.digest(), e.getMessage());
            }
        }
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
        long size = head ? registry.blobs().blobSizeForPush(route.repository(), digest) : registry.blobs().blobSize(route.repository(), digest);
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
        try (SeekableByteChannel channel = registry.blobs().openBlob(digest)) {
            BlobStreams.send(request, response, channel, start, length);
        } catch (NoSuchFileException e) {
            // collected between the size check and the open; nothing was sent yet
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in repository " + route.repository());
        }
        callback.succeeded();
    }


    // ------------------------------------------------------------------ listings

    private void tags(Request request, Response response, Callback callback, Route route) {
        NavigableSet<String> all = registry.manifests().tags(route.repository());
        Page page = Page.ofTags(request, all, "/v2/" + route.repository() + "/tags/list");
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("name", route.repository());
        ArrayNode list = body.putArray("tags");
        page.items().forEach(list::add);
        page.link().ifPresent(link -> response.getHeaders().put(HttpHeader.LINK, link));
        response.setStatus(200);
        write(response, callback, JSON, json(body));
    }

    private void catalog(Request request, Response response, Callback callback, Grant grant) {
        NavigableSet<String> repositories = registry.manifests().repositories();
        if (grant.token() != null) {
            repositories = access.policy().visible(access.principalOf(grant.token()), Request.getRemoteAddr(request),
                    repositories);
        }
        Page page = Page.ofRepositories(request, repositories, "/v2/_catalog");
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode list = body.putArray("repositories");
        page.items().forEach(list::add);
        page.link().ifPresent(link -> response.getHeaders().put(HttpHeader.LINK, link));
        response.setStatus(200);
        write(response, callback, JSON, json(body));
    }

    /** Who is changing tags, for their history: the token's subject, else anonymous (a registry without accounts). */
    private TagChanges.Actor actor(Request request, Grant grant) {
        String address = Request.getRemoteAddr(request);
        String client = request.getHeaders().get(HttpHeader.USER_AGENT);
        if (grant == null || grant.token() == null || grant.token().subject() == null) {
            return new TagChanges.Actor("anonymous", "anonymous", address, client);
        }
        boolean robot = access.principalOf(grant.token()).robot();
        return new TagChanges.Actor(grant.token().subject(), robot ? "robot" : "user", address, client);
    }

    private void audit(Request request, Grant grant, String event, String target) {
        if (access != null && grant != null && grant.token() != null) {
            String actor = grant.token().subject() == null ? "anonymous" : grant.token().subject();
            access.audit().append(actor, Request.getRemoteAddr(request), event, target, true);
        }
    }

    private void referrers(Request request, Response response, Callback callback, Route route) throws IOException {
        Digest subject = digest(route.reference());
        String artifactType = request.getHttpURI().getQuery() == null ? null
                : Request.extractQueryParameters(request).getValue("artifactType");
        List<Descriptor> referrers = registry.manifests().referrers(route.repository(), subject, artifactType);
        if (artifactType != null) {
            response.getHeaders().put("OCI-Filters-Applied", "artifactType");
        }
        response.setStatus(200);
        write(response, callback, INDEX_TYPE, Json.write(ImageIndex.of(MediaType.OCI_INDEX, referrers)));
    }

    // ------------------------------------------------------------------ errors

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
}
