package dev.berth.distribution.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Docker token service for tests: checks Basic credentials, then signs a real RS256 JWT
 * granting what was asked for. The signing certificate travels in the {@code x5c} header, which
 * docker-registry 2.8 verifies against its {@code rootcertbundle}. The key pair and
 * self-signed certificate come from the JDK's keytool.
 */
public final class TokenIssuer implements AutoCloseable {
    public static final String SERVICE = "berth-test-registry";
    public static final String ISSUER = "berth-test-issuer";

    private final HttpServer server;
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final String user;
    private final String password;
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final long lifetimeSeconds;

    private TokenIssuer(HttpServer server, PrivateKey key, X509Certificate certificate, String user, String password,
                        long lifetimeSeconds) {
        this.server = server;
        this.key = key;
        this.certificate = certificate;
        this.user = user;
        this.password = password;
        this.lifetimeSeconds = lifetimeSeconds;
    }

    /** Starts on a free port; writes the certificate to {@code workDir/token-root.pem} for the registry. */
    public static TokenIssuer start(Path workDir, String user, String password, long lifetimeSeconds) throws Exception {
        Files.createDirectories(workDir);
        Path keystore = workDir.resolve("token.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Programs.check(keytool, "-genkeypair", "-alias", "token", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=berth test token issuer", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey("token", "changeit".toCharArray());
        X509Certificate certificate = (X509Certificate) store.getCertificate("token");
        Files.writeString(workDir.resolve("token-root.pem"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TokenIssuer issuer = new TokenIssuer(server, key, certificate, user, password, lifetimeSeconds);
        server.createContext("/token", issuer::handle);
        server.start();
        return issuer;
    }

    public Path rootCertificate(Path workDir) {
        return workDir.resolve("token-root.pem");
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** The query strings of the token requests answered so far, for messages of failed assertions. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public int tokensIssued() {
        return tokensIssued.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            String sent = exchange.getRequestHeaders().getFirst("Authorization");
            boolean authenticated = expected.equals(sent);
            if (sent != null && !authenticated) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            List<String> access = new ArrayList<>();
            String query = exchange.getRequestURI().getRawQuery();
            for (String parameter : query == null ? new String[0] : query.split("&")) {
                if (parameter.startsWith("scope=")) {
                    String[] scope = URLDecoder.decode(parameter.substring(6), StandardCharsets.UTF_8).split(":");
                    // Anonymous users may pull; pushing needs the account.
                    String actions = authenticated ? scope[2] : scope[2].contains("pull") ? "pull" : "";
                    List<String> quoted = new ArrayList<>();
                    for (String action : actions.split(",")) {
                        if (!action.isEmpty()) {
                            quoted.add("\"" + action + "\"");
                        }
                    }
                    access.add("{\"type\":\"" + scope[0] + "\",\"name\":\"" + scope[1] + "\",\"actions\":["
                            + String.join(",", quoted) + "]}");
                }
            }
            String token = sign(authenticated ? user : "", "[" + String.join(",", access) + "]");
            tokensIssued.incrementAndGet();
            requests.add(String.valueOf(query));
            byte[] body = ("{\"token\":\"" + token + "\",\"expires_in\":" + lifetimeSeconds + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private String sign(String subject, String accessJson) throws Exception {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":[\""
                + Base64.getEncoder().encodeToString(certificate.getEncoded()) + "\"]}";
        long now = Instant.now().getEpochSecond();
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + subject + "\",\"aud\":\"" + SERVICE + "\","
                + "\"exp\":" + (now + lifetimeSeconds) + ",\"nbf\":" + (now - 10) + ",\"iat\":" + now + ","
                + "\"jti\":\"" + UUID.randomUUID() + "\",\"access\":" + accessJson + "}";
        String signingInput = url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + url.encodeToString(signature.sign());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
