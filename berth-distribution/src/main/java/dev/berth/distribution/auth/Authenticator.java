package dev.berth.distribution.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.berth.distribution.RegistryException;
import dev.berth.distribution.http.Http1Client;
import dev.berth.distribution.http.Response;
import dev.berth.oci.JsonStreams;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Answers one registry's authentication challenges: nothing until the registry asks, then
 * Basic with the stored credentials, or the Docker token protocol (a Bearer token per scope,
 * fetched from the challenge's realm with the credentials when there are any, cached until it
 * expires, fetched again when the registry refuses it).
 *
 * <p>A token request has {@link #DEFAULT_TOKEN_TIMEOUT} in all, connection and answer together:
 * a token service that accepts the connection and then says nothing would otherwise keep berth
 * silent for the HTTP client's read timeout, minutes.
 */
public final class Authenticator {
    private static final int MAX_TOKEN_RESPONSE = 1 << 20;
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TOKEN_TIMEOUT = Duration.ofSeconds(30);

    private final String registry;
    private final Http1Client http;
    private final Supplier<Optional<Credentials>> credentials;
    private final Duration tokenTimeout;
    private final Map<Scope, Token> tokens = new ConcurrentHashMap<>();
    private final Map<Scope, Object> fetchLocks = new ConcurrentHashMap<>();
    private volatile Challenge bearer;
    private volatile boolean basic;

    private record Token(String value, Instant expires) {
        boolean valid() {
            return Instant.now().isBefore(expires);
        }
    }

    public Authenticator(String registry, Http1Client http, Supplier<Optional<Credentials>> credentials) {
        this(registry, http, credentials, DEFAULT_TOKEN_TIMEOUT);
    }

    /** @param tokenTimeout how long one token request may take in all before berth gives up */
    public Authenticator(String registry, Http1Client http, Supplier<Optional<Credentials>> credentials,
                         Duration tokenTimeout) {
        this.registry = registry;
        this.http = http;
        this.credentials = memoize(credentials);
        this.tokenTimeout = tokenTimeout;
    }

    /** The {@code Authorization} header for a request that needs {@code scope}, or null to go without. */
    public String authorization(Scope scope) throws IOException {
        if (basic) {
            return credentials.get().map(c -> "Basic " + c.basicToken()).orElse(null);
        }
        Challenge challenge = bearer;
        if (challenge == null) {
            return null;
        }
        Token token = tokens.get(scope);
        if (token == null || !token.valid()) {
            // One fetch per scope: parallel blob transfers that start together share it.
            synchronized (fetchLocks.computeIfAbsent(scope, s -> new Object())) {
                token = tokens.get(scope);
                if (token == null || !token.valid()) {
                    token = fetchToken(challenge, scope);
                    tokens.put(scope, token);
                }
            }
        }
        return "Bearer " + token.value();
    }

    /**
     * A request with {@code sentAuthorization} (null: none) was answered 401. Learns the challenge
     * and returns normally when a retry may succeed; throws when it cannot. The caller retries once
     * and reports {@link #refused} when the retry is refused too.
     */
    public void challenged(String wwwAuthenticate, Scope scope, String sentAuthorization) throws IOException {
        List<Challenge> challenges = Challenge.parseAll(wwwAuthenticate);
        Optional<Challenge> bearerChallenge = challenges.stream().filter(Challenge::isBearer).findFirst();
        if (bearerChallenge.isPresent()) {
            bearer = bearerChallenge.get();
            basic = false;
            Token cached = tokens.get(scope);
            if (cached != null && sentAuthorization != null && sentAuthorization.equals("Bearer " + cached.value())) {
                // Expired or revoked early: the next authorization() fetches a fresh one.
                tokens.remove(scope, cached);
            }
            return;
        }
        if (challenges.stream().anyMatch(Challenge::isBasic)) {
            if (credentials.get().isEmpty()) {
                throw loginRequired();
            }
            if (sentAuthorization != null && sentAuthorization.startsWith("Basic ")) {
                throw wrongCredentials();
            }
            basic = true;
            return;
        }
        throw new RegistryException("UNAUTHORIZED", registry + " asks for an authentication scheme berth does not support"
                + (challenges.isEmpty() ? "" : " (" + challenges.getFirst().scheme() + ")"));
    }

    /** The registry said 401 again although berth answered its challenge with {@code sentAuthorization}. */
    public RegistryException refused(Scope scope, String sentAuthorization) {
        return sentAuthorization != null && sentAuthorization.startsWith("Basic ") ? wrongCredentials() : denied(scope);
    }

    private RegistryException denied(Scope scope) {
        String what = scope.repository() == null ? registry : registry + "/" + scope.repository();
        if (credentials.get().isEmpty()) {
            return new RegistryException("UNAUTHORIZED", "access to " + what
                    + " requires authentication: run 'berth login " + registry + "'");
        }
        return new RegistryException("UNAUTHORIZED", "access to " + what + " denied for user "
                + credentials.get().get().username() + " (" + (scope.push() ? "push" : "pull") + ")");
    }

    private Token fetchToken(Challenge challenge, Scope scope) throws IOException {
        String realm = challenge.parameter("realm");
        if (realm == null || realm.isEmpty()) {
            throw new RegistryException("UNAUTHORIZED", registry + " asks for a Bearer token but names no realm to get it from");
        }
        List<String> query = new ArrayList<>();
        if (challenge.parameter("service") != null) {
            query.add("service=" + encode(challenge.parameter("service")));
        }
        List<String> scopes = scope.tokenScopes();
        if (scopes.isEmpty() && challenge.parameter("scope") != null) {
            scopes = List.of(challenge.parameter("scope"));
        }
        scopes.forEach(s -> query.add("scope=" + encode(s)));
        Optional<Credentials> login = credentials.get();
        login.ifPresent(c -> query.add("account=" + encode(c.username())));
        URI uri;
        try {
            uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + String.join("&", query));
            if (!List.of("http", "https").contains(String.valueOf(uri.getScheme()).toLowerCase(java.util.Locale.ROOT))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("not an HTTP URL");
            }
        } catch (IllegalArgumentException e) {
            throw new RegistryException("UNAUTHORIZED", registry + " names an invalid token realm");
        }
        List<String> headers = login.map(c -> List.of("Authorization", "Basic " + c.basicToken())).orElse(List.of());
        TokenReply reply = requestToken(uri, realm, headers);
        int status = reply.status();
        byte[] body = reply.body();
        if (status == 401 || status == 403) {
            throw login.isPresent() ? wrongCredentials() : denied(scope);
        }
        if (status != 200) {
            throw new RegistryException("UNAUTHORIZED", "the token service of " + registry + " answered " + status);
        }
        TokenAnswer answer = TokenAnswer.read(body, "token response of " + registry);
        String token = answer.token != null ? answer.token : answer.accessToken != null ? answer.accessToken : "";
        if (token.isEmpty()) {
            throw new RegistryException("UNAUTHORIZED", "the token service of " + registry + " sent no token");
        }
        if (!token.chars().allMatch(c -> c > 32 && c < 127)) {
            // It goes into a header line: a control character there could end it and add headers.
            throw new RegistryException("UNAUTHORIZED", "the token service of " + registry
                    + " sent a token that is not printable ASCII");
        }
        long lifetime = answer.expiresIn != null ? answer.expiresIn : DEFAULT_TOKEN_LIFETIME.toSeconds();
        Duration valid = Duration.ofSeconds(Math.max(lifetime, 1)).minus(EXPIRY_MARGIN);
        return new Token(token, Instant.now().plus(valid.isNegative() ? Duration.ofSeconds(1) : valid));
    }

    private record TokenReply(int status, byte[] body) {
    }

    /**
     * The token request, bounded in all by {@code tokenTimeout}. It runs on a daemon thread of its
     * own, and when the bound passes its connection is hung up, which ends the request wherever it
     * stands (connecting, handshaking, reading), with no connection left behind. Not a virtual
     * thread: its first socket read would start the JDK's poller threads, which wait in native code,
     * and a JVM halting with threads in native code waits 300 ms for them at the end of every command.
     */
    private TokenReply requestToken(URI uri, String realm, List<String> headers) throws IOException {
        AtomicReference<Runnable> hangUp = new AtomicReference<>(() -> { });
        AtomicBoolean abandoned = new AtomicBoolean();
        FutureTask<TokenReply> request = new FutureTask<>(() -> {
            try (Response response = http.send("GET", uri, headers, null, connection -> {
                hangUp.set(connection);
                if (abandoned.get()) {
                    connection.run();
                }
            }); InputStream in = response.body()) {
                return new TokenReply(response.status(), in.readNBytes(MAX_TOKEN_RESPONSE));
            }
        });
        Thread.ofPlatform().daemon().name("berth-token-request").start(request);
        try {
            return request.get(tokenTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            request.cancel(true);
            abandoned.set(true);
            hangUp.get().run();
            throw new RegistryException("REGISTRY_UNAVAILABLE", "the token service of " + registry + " at " + realm
                    + " did not answer within " + describe(tokenTimeout) + "; check that it is up, or try again later");
        } catch (InterruptedException e) {
            request.cancel(true);
            abandoned.set(true);
            hangUp.get().run();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while asking " + realm + " for a token");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException failure) {
                throw new RegistryException("REGISTRY_UNAVAILABLE", "cannot reach the token service of " + registry
                        + " at " + realm + ": " + (failure.getMessage() == null ? failure.getClass().getSimpleName()
                        : failure.getMessage()), failure);
            }
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /**
     * What a token service answers: {@code token} (or OAuth2's {@code access_token}) and
     * {@code expires_in} in seconds. Fields of another type are ignored, and a lifetime may come
     * as a string, as some services send it. Read with the streaming parser: the data binder's
     * first use costs a short command a tenth of a second.
     */
    private static final class TokenAnswer {
        String token;
        String accessToken;
        Long expiresIn;

        static TokenAnswer read(byte[] body, String what) {
            TokenAnswer answer = new TokenAnswer();
            JsonStreams.readDocument(body, what, (name, parser) -> {
                switch (name) {
                    case "token" -> answer.token = text(parser);
                    case "access_token" -> answer.accessToken = text(parser);
                    case "expires_in" -> answer.expiresIn = seconds(parser);
                    default -> parser.skipChildren();
                }
            });
            return answer;
        }

        private static String text(JsonParser parser) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                return parser.getText();
            }
            parser.skipChildren();
            return null;
        }

        private static Long seconds(JsonParser parser) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                return parser.getLongValue();
            }
            String text = text(parser);
            return text != null && text.matches("[0-9]{1,18}") ? Long.valueOf(text) : null;
        }
    }

    private RegistryException loginRequired() {
        return new RegistryException("UNAUTHORIZED", registry + " requires a login: run 'berth login " + registry + "'");
    }

    private RegistryException wrongCredentials() {
        return new RegistryException("UNAUTHORIZED", registry + " rejected the user name or password of "
                + credentials.get().map(Credentials::username).orElse("(none)")
                + " (run 'berth login " + registry + "' again)");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T result = value;
                if (result == null) {
                    synchronized (this) {
                        if (value == null) {
                            value = supplier.get();
                        }
                        result = value;
                    }
                }
                return result;
            }
        };
    }
}
