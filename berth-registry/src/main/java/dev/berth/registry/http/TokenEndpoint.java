package dev.berth.registry.http;

import static dev.berth.registry.http.Responses.JSON;
import static dev.berth.registry.http.Responses.json;
import static dev.berth.registry.http.Responses.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Json;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.Access;
import dev.berth.registry.access.Principal;
import dev.berth.registry.access.Secrets;
import dev.berth.registry.access.TokenIssuer;
import dev.berth.registry.access.TokenScope;
import dev.berth.registry.meta.Tokens;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The token service of the Docker registry token spec: GET with optional Basic credentials (what
 * podman, skopeo and buildah send), and the OAuth2 POST form with the {@code password} and
 * {@code refresh_token} grants (Docker's identity tokens). Anonymous callers get what public
 * content allows.
 */
final class TokenEndpoint {
    /** A form is a handful of short fields; a bigger body is not a token request. */
    private static final int MAX_FORM_BYTES = 16 * 1024;
    private static final int MAX_FORM_FIELDS = 64;
    private static final String BAD_CREDENTIALS = "invalid username or password";

    private final Access access;

    TokenEndpoint(Access access) {
        this.access = access;
    }

    void handle(String method, Request request, Response response, Callback callback) throws InterruptedException {
        String address = Request.getRemoteAddr(request);
        switch (method) {
            case "GET" -> {
                Fields query = Request.extractQueryParameters(request);
                requireService(query.getValue("service"));
                Optional<BasicCredentials> credentials = BasicCredentials.parse(request.getHeaders().get(HttpHeader.AUTHORIZATION));
                Principal principal = Principal.ANONYMOUS;
                if (credentials.isPresent()) {
                    principal = access.signIn().withPassword(credentials.get().name(), credentials.get().secret(), address)
                            .orElseThrow(() -> refused(response));
                }
                List<String> scopes = query.getValuesOrEmpty("scope");
                boolean offline = "true".equals(query.getValue("offline_token"));
                answer(response, callback, principal, address, scopes, offline ? query.getValue("client_id") : null, "token");
            }
            case "POST" -> {
                Fields form = FormFields.getFields(request, MAX_FORM_FIELDS, MAX_FORM_BYTES);
                requireService(form.getValue("service"));
                String grantType = form.getValue("grant_type");
                Principal principal;
                boolean offline;
                if ("password".equals(grantType)) {
                    String name = form.getValue("username");
                    String password = form.getValue("password");
                    if (name == null || password == null) {
                        throw new RegistryException(ErrorCode.UNAUTHORIZED, 400, "the password grant needs username and password");
                    }
                    principal = access.signIn().withPassword(name, password, address).orElseThrow(() -> refused(response));
                    offline = "offline".equals(form.getValue("access_type"));
                } else if ("refresh_token".equals(grantType)) {
                    String refresh = form.getValue("refresh_token");
                    if (refresh == null) {
                        throw new RegistryException(ErrorCode.UNAUTHORIZED, 400, "the refresh_token grant needs refresh_token");
                    }
                    principal = access.signIn().withRefreshToken(refresh, address).orElseThrow(() -> refused(response));
                    offline = false;
                } else {
                    throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "grant_type must be password or refresh_token");
                }
                String scope = form.getValue("scope");
                List<String> scopes = scope == null ? List.of() : List.of(scope.strip().split(" +"));
                answer(response, callback, principal, address, scopes, offline ? form.getValue("client_id") : null,
                        "access_token");
            }
            default -> throw Responses.methodNotAllowed(method);
        }
    }

    /** {@code offlineClient}: when not null, a refresh token for that client comes with the answer. */
    private void answer(Response response, Callback callback, Principal principal, String address, List<String> scopes,
                        String offlineClient, String scopeFieldStyle) {
        List<String> asked = new ArrayList<>();
        for (String scope : scopes) {
            for (String part : scope.split(" +")) {
                if (!part.isEmpty()) {
                    asked.add(part);
                }
            }
        }
        TokenIssuer.IssuedToken issued = access.issuer().issue(principal, asked, address);
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("token", issued.token());
        body.put("access_token", issued.token());
        body.put("expires_in", issued.lifetime().toSeconds());
        body.put("issued_at", issued.issuedAt().toString());
        if (scopeFieldStyle.equals("access_token")) {
            body.put("scope", String.join(" ", asked));
        }
        if (offlineClient != null && !principal.anonymous()) {
            String refresh = Secrets.generate(Secrets.REFRESH_TOKEN_PREFIX);
            String accountId = access.accounts().byName(principal.name()).orElseThrow().id();
            // Signed in with a scoped personal token, the refresh token carries the same narrowing.
            access.tokens().create(accountId, Tokens.Kind.REFRESH, "refresh:" + offlineClient, Secrets.hash(refresh),
                    TokenScope.format(principal.limits()), null);
            body.put("refresh_token", refresh);
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.setStatus(200);
        write(response, callback, JSON, json(body));
    }

    private void requireService(String service) {
        if (service != null && !service.equals(access.issuer().service())) {
            throw new RegistryException(ErrorCode.DENIED, 400, "this token service is \"" + access.issuer().service()
                    + "\", not \"" + service + "\"");
        }
    }

    private static RegistryException refused(Response response) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"berth\"");
        return new RegistryException(ErrorCode.UNAUTHORIZED, BAD_CREDENTIALS);
    }
}
