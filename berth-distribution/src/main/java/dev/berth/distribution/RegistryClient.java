package dev.berth.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.distribution.auth.Authenticator;
import dev.berth.distribution.auth.Credentials;
import dev.berth.distribution.auth.Scope;
import dev.berth.distribution.config.RegistrySettings;
import dev.berth.oci.Json;

import javax.net.ssl.SSLHandshakeException;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The HTTP side of one registry: which scheme it speaks, authentication, redirects and retries.
 * Everything above it speaks in distribution-API paths and leaves the network's moods here.
 */
public final class RegistryClient implements AutoCloseable {
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_ERROR_BODY = 1 << 16;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);
    private static final String BUFFER_SIZE_PROPERTY = "jdk.httpclient.bufsize";

    static {
        // The JDK client passes a response body through its reactive pipeline one buffer at a
        // time, 16 KiB by default. With 1 MiB buffers a 180 MB pull from a loopback registry took
        // about 1 s less CPU (3.7 s -> 2.7 s, bench/pull). The client reads the property once, when
        // its classes initialise, so it is set here, before the first client is built, and only
        // when the user has not chosen a size.
        if (System.getProperty(BUFFER_SIZE_PROPERTY) == null) {
            System.setProperty(BUFFER_SIZE_PROPERTY, Integer.toString(1 << 20));
        }
    }

    private final String registry;
    private final URI base;
    private final HttpClient http;
    private final Authenticator authenticator;
    private final RetryPolicy retry;

    private RegistryClient(String registry, URI base, HttpClient http, Authenticator authenticator, RetryPolicy retry) {
        this.registry = registry;
        this.base = base;
        this.http = http;
        this.authenticator = authenticator;
        this.retry = retry;
    }

    /**
     * Connects to {@code registry} (host[:port] as in an image reference): HTTPS, or plain HTTP
     * when the registry is on a loopback address or {@code settings} allow it and it does not
     * speak TLS. Pings {@code /v2/} so that the first real request already knows how to authenticate.
     */
    public static RegistryClient connect(String registry, RegistrySettings settings,
                                         Supplier<Optional<Credentials>> credentials, RetryPolicy retry) throws IOException {
        return connect(registry, settings, credentials, retry, retry.attempts());
    }

    /**
     * As {@link #connect(String, RegistrySettings, Supplier, RetryPolicy)}, but gives the first
     * contact only {@code pingAttempts}: a mirror that is down should be passed over at once.
     */
    public static RegistryClient connect(String registry, RegistrySettings settings, Supplier<Optional<Credentials>> credentials,
                                         RetryPolicy retry, int pingAttempts) throws IOException {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.caBundle() != null) {
            builder.sslContext(TrustedCertificates.withBundle(settings.caBundle()));
        }
        String host = apiHost(registry);
        HttpClient plainHttp = settings.caBundle() != null
                ? builder.version(HttpClient.Version.HTTP_1_1).build()
                : HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
                        .version(HttpClient.Version.HTTP_1_1)
                        .sslContext(LazyTls.context()).sslParameters(LazyTls.parameters()).build();
        RegistryClient plain = new RegistryClient(registry, URI.create("http://" + host), plainHttp,
                new Authenticator(registry, plainHttp, credentials), retry);
        boolean loopback = isLoopback(host);
        if (loopback) {
            // Loopback traffic never leaves the machine, so plain HTTP first spares a TLS handshake;
            // a TLS-only server refuses it (Go's answers 400) and is then spoken to over HTTPS.
            try {
                plain.ping(1);
                return plain;
            } catch (RegistryException notPlainHttp) {
                // try HTTPS below
            }
        }
        // HTTP/2 only where TLS negotiates it; h2c upgrades confuse some plain-HTTP registries.
        HttpClient tls = builder.version(HttpClient.Version.HTTP_2).build();
        RegistryClient secure = new RegistryClient(registry, URI.create("https://" + host), tls,
                new Authenticator(registry, tls, credentials), retry);
        boolean plainAllowed = settings.insecure() || loopback;
        try {
            secure.ping(plainAllowed ? 1 : pingAttempts);
            plain.close();
            return secure;
        } catch (RegistryException e) {
            secure.close();
            if (isCertificateProblem(e.getCause())) {
                plain.close();
                throw untrustedCertificate(registry, (IOException) e.getCause());
            }
            // Not a TLS server (or none at all there): plain HTTP is allowed, so try it.
            if (!plainAllowed || !(e.getCause() instanceof IOException)) {
                plain.close();
                throw e;
            }
        }
        try {
            plain.ping(pingAttempts);
            return plain;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** A TLS server whose certificate is not trusted, as opposed to no TLS server at all. */
    private static boolean isCertificateProblem(Throwable failure) {
        if (!(failure instanceof SSLHandshakeException)) {
            return false;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.security.cert.CertificateException
                    || cause instanceof java.security.cert.CertPathValidatorException) {
                return true;
            }
        }
        return false;
    }

    private static RegistryException untrustedCertificate(String registry, IOException e) {
        return new RegistryException("TLS_UNTRUSTED", "cannot connect to " + registry + " securely: " + e.getMessage()
                + " (trust its CA with ca = \"/path/ca.pem\" under [registries.\"" + registry + "\"] in config.toml)", e);
    }

    /** Docker Hub's API lives at another host than its references name. */
    static String apiHost(String registry) {
        return registry.equals("docker.io") ? "registry-1.docker.io" : registry;
    }

    static boolean isLoopback(String hostAndPort) {
        String host = hostAndPort.startsWith("[") ? hostAndPort.substring(1, hostAndPort.indexOf(']'))
                : hostAndPort.contains(":") ? hostAndPort.substring(0, hostAndPort.lastIndexOf(':')) : hostAndPort;
        if (host.equals("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: do not trust DNS to decide whether plain HTTP is safe
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void ping(int attempts) throws IOException {
        try (Response response = send(new Call("GET", base.resolve("/v2/"), Scope.REGISTRY), attempts)) {
            int status = response.status();
            if (status != 200 && status != 401) {
                throw failure(response, "ping of " + registry);
            }
        }
    }

    public String registry() {
        return registry;
    }

    /** The API URI for a path such as {@code /v2/library/busybox/manifests/latest}. */
    public URI uri(String path) {
        return base.resolve(path);
    }

    public RetryPolicy retryPolicy() {
        return retry;
    }

    /**
     * Stops the HTTP client's selector thread. A JVM that exits while a thread waits in native
     * code (the selector's epoll) first waits up to 0.3 s for it to return, so a command that is
     * done with the registry should close its client rather than leave it to the exit.
     */
    @Override
    public void close() {
        http.shutdownNow();
        try {
            http.awaitTermination(CLOSE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One request: method, target, the scope it needs, headers, and a body that can be sent again. */
    public record Call(String method, URI uri, Scope scope, HttpRequest.BodyPublisher body, String... headers) {
        public Call(String method, URI uri, Scope scope) {
            this(method, uri, scope, HttpRequest.BodyPublishers.noBody());
        }
    }

    /** A response whose body must be closed; {@link #close()} drains nothing, it just lets go. */
    public record Response(HttpResponse<InputStream> raw) implements AutoCloseable {
        public int status() {
            return raw.statusCode();
        }

        public Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }

        public InputStream body() {
            return raw.body();
        }

        public URI uri() {
            return raw.uri();
        }

        @Override
        public void close() throws IOException {
            raw.body().close();
        }
    }

    /** Sends with the policy's retries. */
    public Response send(Call call) throws IOException {
        return send(call, retry.attempts());
    }

    /**
     * Sends, authenticating on 401, following redirects, and repeating after connection failures
     * and 408/429/5xx up to {@code attempts} times. The last answer is returned whatever its
     * status; a network failure on the last attempt becomes a {@code REGISTRY_UNAVAILABLE} error.
     */
    public Response send(Call call, int attempts) throws IOException {
        IOException lastFailure = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                Response response = sendAuthenticated(call);
                if (!RetryPolicy.isRetryable(response.status()) || attempt == attempts) {
                    return response;
                }
                String retryAfter = response.header("Retry-After").orElse(null);
                response.close();
                RetryPolicy.sleep(retry.delayAfter(attempt, retryAfter));
            } catch (java.io.InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                lastFailure = e;
                if (attempt < attempts) {
                    RetryPolicy.sleep(retry.delayAfter(attempt, null));
                }
            }
        }
        throw unreachable(call, attempts, lastFailure);
    }

    private RegistryException unreachable(Call call, int attempts, IOException cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new RegistryException("REGISTRY_UNAVAILABLE", "cannot reach " + registry + " (" + call.method() + " "
                + call.uri().getPath() + "): " + reason + (attempts > 1 ? " (gave up after " + attempts + " attempts)" : ""),
                cause);
    }

    private Response sendAuthenticated(Call call) throws IOException {
        String authorization = authenticator.authorization(call.scope());
        Response response = sendFollowingRedirects(call, authorization);
        if (response.status() != 401) {
            return response;
        }
        String challenge = response.header("WWW-Authenticate").orElse(null);
        response.close();
        authenticator.challenged(challenge, call.scope(), authorization);
        String retried = authenticator.authorization(call.scope());
        response = sendFollowingRedirects(call, retried);
        if (response.status() == 401) {
            response.close();
            throw authenticator.refused(call.scope(), retried);
        }
        return response;
    }

    private Response sendFollowingRedirects(Call call, String authorization) throws IOException {
        URI target = call.uri();
        for (int redirects = 0; ; redirects++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .method(call.method(), call.body())
                    .timeout(RESPONSE_TIMEOUT);
            for (int i = 0; i + 1 < call.headers().length; i += 2) {
                request.header(call.headers()[i], call.headers()[i + 1]);
            }
            // Credentials go only to the registry itself, never to a storage host it redirects to.
            if (authorization != null && sameOrigin(target, base)) {
                request.header("Authorization", authorization);
            }
            Response response = new Response(execute(request.build()));
            int status = response.status();
            boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
            if (!redirect || !(call.method().equals("GET") || call.method().equals("HEAD"))) {
                return response;
            }
            String location = response.header("Location").orElse(null);
            response.close();
            if (location == null || redirects == MAX_REDIRECTS) {
                throw new RegistryException("REGISTRY_ERROR", registry + " answered " + call.uri().getPath()
                        + " with " + (location == null ? "a redirect without Location" : "too many redirects"));
            }
            target = target.resolve(location);
        }
    }

    private HttpResponse<InputStream> execute(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while talking to " + registry);
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && a.getPort() == b.getPort();
    }

    /**
     * The error a failed response means, with the registry's own OCI error code and message when
     * it sent one. Closes the response.
     */
    public RegistryException failure(Response response, String what) throws IOException {
        byte[] body;
        try (response) {
            body = response.body().readNBytes(MAX_ERROR_BODY);
        }
        int status = response.status();
        String code = null;
        String message = null;
        try {
            JsonNode first = Json.tree(body, "error").path("errors").path(0);
            code = first.path("code").isTextual() ? first.path("code").asText() : null;
            message = first.path("message").isTextual() ? first.path("message").asText() : null;
        } catch (RuntimeException notOciError) {
            // Proxies and load balancers answer in HTML or plain text; the status says enough.
        }
        String detail = "HTTP " + status + (code != null ? " " + code : "") + (message != null ? ": " + printable(message) : "");
        String stableCode = switch (status) {
            case 401 -> "UNAUTHORIZED";
            case 403 -> "DENIED";
            case 404 -> code != null ? code : "NOT_FOUND";
            default -> RetryPolicy.isRetryable(status) ? "REGISTRY_UNAVAILABLE" : code != null ? code : "REGISTRY_ERROR";
        };
        String retried = RetryPolicy.isRetryable(status) ? " (gave up after " + retry.attempts() + " attempts)" : "";
        return new RegistryException(stableCode, what + " on " + registry + " failed: " + detail + retried);
    }

    /** Registry messages reach the terminal: keep them to one line of printable text. */
    private static String printable(String message) {
        String cleaned = message.replaceAll("[\\p{Cntrl}]", " ");
        return cleaned.length() > 300 ? cleaned.substring(0, 300) + "..." : cleaned;
    }
}
