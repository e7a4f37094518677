package dev.berth.distribution;

import dev.berth.distribution.auth.Authenticator;
import dev.berth.distribution.auth.Credentials;
import dev.berth.distribution.auth.Scope;
import dev.berth.distribution.config.RegistrySettings;
import dev.berth.distribution.http.Hosts;
import dev.berth.distribution.http.Http1Client;
import dev.berth.distribution.http.Proxies;
import dev.berth.distribution.http.RequestBody;
import dev.berth.distribution.http.Response;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The HTTP side of one registry: which scheme it speaks, authentication, redirects and retries.
 * Everything above it speaks in distribution-API paths and leaves the network's moods here.
 */
public final class RegistryClient implements AutoCloseable {
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_ERROR_BODY = 1 << 16;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** How long a server may keep a request waiting without sending a byte. */
    static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

    private final String registry;
    private final URI base;
    private final Http1Client http;
    private final Authenticator authenticator;
    private final RetryPolicy retry;

    private RegistryClient(String registry, URI base, Http1Client http, Authenticator authenticator, RetryPolicy retry) {
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
    public static RegistryClient connect(String registry, RegistrySettings settings, Proxies proxies,
                                         Supplier<Optional<Credentials>> credentials, RetryPolicy retry) throws IOException {
        return connect(registry, settings, proxies, credentials, retry, retry.attempts());
    }

    /**
     * As {@link #connect(String, RegistrySettings, Proxies, Supplier, RetryPolicy)}, but gives the first
     * contact only {@code pingAttempts}: a mirror that is down should be passed over at once.
     */
    public static RegistryClient connect(String registry, RegistrySettings settings, Proxies proxies,
                                         Supplier<Optional<Credentials>> credentials, RetryPolicy retry, int pingAttempts)
            throws IOException {
        RegistryTls tls = new RegistryTls(settings);
        String host = apiHost(registry);
        RegistryClient plain = over(registry, URI.create("http://" + host), tls::socketFactory, proxies, credentials, retry);
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
        RegistryClient secure = over(registry, URI.create("https://" + host), tls::socketFactory, proxies, credentials, retry);
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
            Optional<String> clientCertificate = tls.clientCertificateProblem(registry);
            if (clientCertificate.isPresent()) {
                plain.close();
                throw new RegistryException("TLS_CLIENT_CERTIFICATE", clientCertificate.get(), e);
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

    private static RegistryClient over(String registry, URI base, Supplier<SSLSocketFactory> tls, Proxies proxies,
                                       Supplier<Optional<Credentials>> credentials, RetryPolicy retry) {
        Http1Client http = new Http1Client(tls, proxies, CONNECT_TIMEOUT, READ_TIMEOUT);
        return new RegistryClient(registry, base, http, new Authenticator(registry, http, credentials), retry);
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
                + " (trust its CA: put it in ~/.config/containers/certs.d/" + registry + "/ca.crt, or name it with ca = "
                + "\"/path/ca.pem\" under [registries.\"" + registry + "\"] in config.toml)", e);
    }

    /** Docker Hub's API lives at another host than its references name. */
    static String apiHost(String registry) {
        return registry.equals("docker.io") ? "registry-1.docker.io" : registry;
    }

    static boolean isLoopback(String hostAndPort) {
        return Hosts.isLoopback(hostAndPort.startsWith("[") ? hostAndPort.substring(1, hostAndPort.indexOf(']'))
                : hostAndPort.contains(":") ? hostAndPort.substring(0, hostAndPort.lastIndexOf(':')) : hostAndPort);
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

    /** Closes the connections kept open for further requests. */
    @Override
    public void close() {
        http.close();
    }

    /** One request: method, target, the scope it needs, a body (null for none) that can be sent again, and headers. */
    public record Call(String method, URI uri, Scope scope, RequestBody body, String... headers) {
        public Call(String method, URI uri, Scope scope) {
            this(method, uri, scope, null);
        }

        /** Whether the call brings its own Authorization header, as berth's access API takes Basic on every request. */
        boolean authorizesItself() {
            for (int i = 0; i + 1 < headers.length; i += 2) {
                if (headers[i].equalsIgnoreCase("Authorization")) {
                    return true;
                }
            }
            return false;
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
            } catch (java.net.UnknownHostException e) {
                // asking again does not make a name exist, as Docker and Podman also stop at once
                throw new RegistryException("UNKNOWN_HOST", "cannot reach " + registry + ": its name does not resolve ("
                        + (e.getMessage() == null ? call.uri().getHost() : e.getMessage()) + "); check its spelling", e);
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
        if (call.authorizesItself()) {
            // Its own credentials, not the token flow's; and no redirects, which would carry them elsewhere.
            return http.send(call.method(), call.uri(), List.of(call.headers()), call.body());
        }
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
            List<String> headers = new java.util.ArrayList<>(List.of(call.headers()));
            // Credentials go only to the registry itself, never to a storage host it redirects to.
            if (authorization != null && sameOrigin(target, base)) {
                headers.add("Authorization");
                headers.add(authorization);
            }
            Response response = http.send(call.method(), target, headers, call.body());
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
        // Proxies and load balancers answer in HTML or plain text; then the status says enough.
        Optional<OciError> error = OciError.firstIn(body);
        String code = error.map(OciError::code).orElse(null);
        String message = error.map(OciError::message).orElse(null);
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
