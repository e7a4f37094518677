package dev.berth.registry.http;

import static dev.berth.registry.http.Responses.JSON;
import static dev.berth.registry.http.Responses.json;
import static dev.berth.registry.http.Responses.requireMethod;
import static dev.berth.registry.http.Responses.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.BerthException;
import dev.berth.oci.Json;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryConfigFile;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.Access;
import dev.berth.registry.access.OidcConfig;
import dev.berth.registry.access.TokenScope;
import dev.berth.registry.access.oidc.DeviceSignIn;
import dev.berth.registry.access.oidc.ExternalSignIn;
import dev.berth.registry.access.oidc.IdentityProvider;
import dev.berth.registry.access.oidc.WebSignIn;
import dev.berth.registry.meta.Accounts;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Sign-in through the {@code [auth.oidc]} identity provider, under {@code /auth/oidc/}: the device
 * grant for {@code berth login --device} ({@code device/start}, then {@code device/poll} until the
 * person has approved, which answers with a personal access token), and the web sign-in
 * ({@code login}, the provider's {@code callback}, and {@code tokens}, where a signed-in browser
 * makes personal access tokens).
 */
final class OidcRoutes {
    static final String PREFIX = "/auth/oidc/";
    private static final String CALLBACK = PREFIX + "callback";
    private static final String SESSION_COOKIE = "berth_session";
    private static final int MAX_BODY_BYTES = 8 * 1024;
    private static final int MAX_FORM_FIELDS = 16;
    private static final HttpField HTML = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
    /** The pages have no scripts, styles or frames, and their one form posts back here. */
    private static final HttpField NOTHING_FOREIGN = new PreEncodedHttpField("Content-Security-Policy",
            "default-src 'none'; form-action 'self'; frame-ancestors 'none'");

    private final Access access;
    private final OidcConfig config;
    private final ExternalSignIn signIn;
    private final DeviceSignIn device;
    private final WebSignIn web;

    OidcRoutes(Access access) {
        this.access = access;
        this.config = access.config().oidc();
        IdentityProvider provider = new IdentityProvider(config);
        this.signIn = new ExternalSignIn(access);
        this.device = new DeviceSignIn(provider, signIn);
        this.web = new WebSignIn(provider, signIn);
    }

    void handle(String method, String path, Request request, Response response, Callback callback) throws IOException {
        String address = Request.getRemoteAddr(request);
        switch (path.substring(PREFIX.length())) {
            case "device/start" -> {
                requireMethod(method, "POST");
                DeviceSignIn.Started started = device.start();
                ObjectNode body = Json.mapper().createObjectNode()
                        .put("device_code", started.deviceCode())
                        .put("user_code", started.userCode())
                        .put("verification_uri", started.verificationUri().toString())
                        .put("interval", started.intervalSeconds())
                        .put("expires_in", started.expiresInSeconds());
                if (started.verificationUriComplete() != null) {
                    body.put("verification_uri_complete", started.verificationUriComplete().toString());
                }
                ok(response, callback, body);
            }
            case "device/poll" -> {
                requireMethod(method, "POST");
                JsonNode code = body(request).get("device_code");
                if (code == null || !code.isTextual() || code.asText().isEmpty() || code.asText().length() > 1024) {
                    throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "the request body needs a \"device_code\" string");
                }
                ObjectNode body = Json.mapper().createObjectNode();
                switch (device.poll(code.asText(), address)) {
                    case DeviceSignIn.Outcome.Pending pending -> body.put("status", pending.slowDown() ? "slow_down" : "pending");
                    case DeviceSignIn.Outcome.Expired ignored -> body.put("status", "expired");
                    case DeviceSignIn.Outcome.Denied ignored -> body.put("status", "denied");
                    case DeviceSignIn.Outcome.SignedIn signedIn -> body.put("status", "signed-in")
                            .put("username", signedIn.username()).put("token", signedIn.token());
                }
                ok(response, callback, body);
            }
            case "login" -> {
                requireMethod(method, "GET");
                URI redirect = config.redirectUrl() != null ? URI.create(config.redirectUrl() + CALLBACK)
                        : URI.create(Request.newHttpURIFrom(request, CALLBACK).asString());
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                response.getHeaders().put(HttpHeader.LOCATION, web.begin(redirect).toString());
                response.setStatus(303);
                write(response, callback, null, null);
            }
            case "callback" -> {
                requireMethod(method, "GET");
                Fields query = Request.extractQueryParameters(request);
                WebSignIn.Opened opened = web.complete(query.getValue("state"), query.getValue("code"),
                        query.getValue("error"), query.getValue("iss"), address);
                response.getHeaders().put(HttpHeader.SET_COOKIE, SESSION_COOKIE + "=" + opened.id() + "; Path=" + PREFIX
                        + "; Max-Age=" + WebSignIn.SESSION_LIFETIME.toSeconds() + "; HttpOnly; SameSite=Strict"
                        + (request.isSecure() ? "; Secure" : ""));
                page(response, callback, SignInPages.signedIn(opened.session()));
            }
            case "tokens" -> {
                requireMethod(method, "POST");
                createToken(request, response, callback, address);
            }
            default -> throw new RegistryException(ErrorCode.UNSUPPORTED, 404, "no such endpoint: " + path);
        }
    }

    private void createToken(Request request, Response response, Callback callback, String address) {
        WebSignIn.Session session = web.session(sessionCookie(request)).orElseThrow(() -> new RegistryException(
                ErrorCode.UNAUTHORIZED, "you are not signed in, or your sign-in is over: sign in at " + PREFIX + "login"));
        Fields form;
        try {
            form = FormFields.getFields(request, MAX_FORM_FIELDS, MAX_BODY_BYTES);
        } catch (RuntimeException e) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "the form is not a small url-encoded form");
        }
        if (!session.csrfMatches(form.getValue("csrf"))) {
            throw new RegistryException(ErrorCode.DENIED, "the form did not come from your sign-in page: sign in again at "
                    + PREFIX + "login");
        }
        String name = form.getValue("name") == null ? "" : form.getValue("name").strip();
        if (name.isEmpty() || name.length() > 100) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "a token needs a name of 1 to 100 characters");
        }
        List<TokenScope> scopes;
        Duration lifetime;
        try {
            scopes = TokenScope.parseAll(form.getValue("scopes") == null ? "" : form.getValue("scopes").strip());
            lifetime = RegistryConfigFile.duration(form.getValue("expires") == null ? "90d" : form.getValue("expires"));
        } catch (BerthException | IllegalArgumentException e) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, e.getMessage());
        }
        Accounts.Account account = access.accounts().byName(session.accountName()).filter(a -> !a.disabled())
                .orElseThrow(() -> new RegistryException(ErrorCode.DENIED, "user " + session.accountName()
                        + " is disabled on this registry: ask its admin"));
        ExternalSignIn.NewToken token = signIn.personalToken(account, name, TokenScope.format(scopes), lifetime, address);
        String host = Request.getServerName(request) + ":" + Request.getServerPort(request);
        page(response, callback, SignInPages.tokenCreated(session, name, token.secret(), host));
    }

    private static String sessionCookie(Request request) {
        for (HttpCookie cookie : Request.getCookies(request)) {
            if (cookie.getName().equals(SESSION_COOKIE)) {
                return cookie.getValue();
            }
        }
        return null;
    }

    private static void page(Response response, Callback callback, String html) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(NOTHING_FOREIGN);
        response.setStatus(200);
        write(response, callback, HTML, html.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode body(Request request) throws IOException {
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, 413, "request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            JsonNode body = Json.mapper().readTree(bytes);
            if (body == null || !body.isObject()) {
                throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "the request body must be a JSON object");
            }
            return body;
        } catch (IOException e) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "the request body is not JSON");
        }
    }

    private static void ok(Response response, Callback callback, JsonNode body) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.setStatus(200);
        write(response, callback, JSON, json(body));
    }
}
