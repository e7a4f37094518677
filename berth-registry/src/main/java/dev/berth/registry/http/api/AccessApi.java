package dev.berth.registry.http.api;

import static dev.berth.registry.http.Responses.methodNotAllowed;
import static dev.berth.registry.http.Responses.write;

import dev.berth.registry.ErrorCode;
import dev.berth.registry.Registry;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.Access;
import dev.berth.registry.access.Principal;
import dev.berth.registry.http.BasicCredentials;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The access API under {@code /berth/v1/}: users (admins), projects with their class, members and
 * robots, repository settings and licences, personal access tokens, the audit log, the public key
 * of the registry's push attestations, and its own OpenAPI description. Callers authenticate with Basic credentials: a password or a personal
 * access token, as {@code berth login} saves them.
 */
public final class AccessApi {
    private static final PreEncodedHttpField YAML = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/yaml");
    private static final PreEncodedHttpField PEM = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/x-pem-file");

    private final Access access;
    private final UsersResource users;
    private final ProjectsResource projects;
    private final RepositoriesResource repositories;
    private final TokensResource tokens;
    private final AuditResource audit;
    private final byte[] description;
    private final byte[] attestationKey;

    public AccessApi(Access access, Registry registry) {
        this.access = access;
        this.users = new UsersResource(access);
        this.projects = new ProjectsResource(access, registry.manifests()::repositories);
        this.repositories = new RepositoriesResource(access, registry);
        this.tokens = new TokensResource(access);
        this.audit = new AuditResource(access);
        this.description = openApiDescription();
        this.attestationKey = access.attestationKey().publicKey().pem().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** {@code path}: what follows {@code /berth/v1/}. */
    public void handle(String method, String path, Request request, Response response, Callback callback) throws Exception {
        String[] parts = path.split("/");
        if (parts[0].equals("openapi.yaml")) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw methodNotAllowed(method);
            }
            response.setStatus(200);
            write(response, callback, YAML, method.equals("HEAD") ? null : description);
            return;
        }
        if (parts[0].equals("attestation-key") && parts.length == 1) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw methodNotAllowed(method);
            }
            response.setStatus(200);
            write(response, callback, PEM, method.equals("HEAD") ? null : attestationKey);
            return;
        }
        String address = Request.getRemoteAddr(request);
        ApiCall call = new ApiCall(method, parts, signIn(request, response, address), address, request, response, callback);
        switch (parts[0]) {
            case "users" -> users.handle(call);
            case "projects" -> projects.handle(call);
            case "repositories" -> repositories.handle(call);
            case "tokens" -> tokens.handle(call);
            case "audit" -> audit.handle(call);
            default -> throw new RegistryException(ErrorCode.UNSUPPORTED, 404, "no such endpoint: /berth/v1/" + path
                    + " (the API is described at /berth/v1/openapi.yaml)");
        }
    }

    private Principal signIn(Request request, Response response, String address) throws InterruptedException {
        BasicCredentials credentials = BasicCredentials.parse(request.getHeaders().get(HttpHeader.AUTHORIZATION)).orElse(null);
        if (credentials == null) {
            return Principal.ANONYMOUS;
        }
        return access.signIn().withPassword(credentials.name(), credentials.secret(), address).orElseThrow(() -> {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"berth\"");
            return new RegistryException(ErrorCode.UNAUTHORIZED, "invalid username or password");
        });
    }

    private static byte[] openApiDescription() {
        try (InputStream in = AccessApi.class.getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the registry's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
