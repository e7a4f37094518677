package dev.berth.registry.http;

import static dev.berth.registry.http.Responses.JSON;
import static dev.berth.registry.http.Responses.json;
import static dev.berth.registry.http.Responses.methodNotAllowed;
import static dev.berth.registry.http.Responses.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.BerthException;
import dev.berth.oci.Json;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.Names;
import dev.berth.registry.RegistryConfigFile;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.Access;
import dev.berth.registry.access.Action;
import dev.berth.registry.access.Principal;
import dev.berth.registry.access.Role;
import dev.berth.registry.access.Secrets;
import dev.berth.registry.access.SharingClass;
import dev.berth.registry.access.TokenScope;
import dev.berth.registry.meta.Accounts;
import dev.berth.registry.meta.AuditLog;
import dev.berth.registry.meta.Projects;
import dev.berth.registry.meta.Tokens;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;


/**
 * The access API under {@code /berth/v1/}: users (admins), projects with their class and members,
 * personal access tokens, the audit log. Callers authenticate with Basic credentials: a password
 * or a personal access token, as {@code berth login} saves them.
 */
final class AccessApi {
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final Access access;

    AccessApi(Access access) {
        this.access = access;
    }

    void handle(String method, String path, Request request, Response response, Callback callback) throws Exception {
        String address = Request.getRemoteAddr(request);
        Principal caller = signIn(request, response, address);
        String[] parts = path.split("/");
        Call call = new Call(method, caller, address, request, response, callback);
        switch (parts[0]) {
            case "users" -> users(call, parts);
            case "projects" -> projects(call, parts);
            case "tokens" -> tokens(call, parts);
            case "audit" -> audit(call);
            default -> throw new RegistryException(ErrorCode.UNSUPPORTED, 404, "no such endpoint: /berth/v1/" + path);
        }
    }

    private record Call(String method, Principal caller, String address, Request request, Response response, Callback callback) {
    }

    // ---------------------------------------------------------------- users

    private void users(Call call, String[] parts) throws IOException {
        requireAdmin(call.caller());
        if (parts.length == 1 && call.method().equals("GET")) {
            ArrayNode list = Json.mapper().createArrayNode();
            for (Accounts.Account account : access.accounts().list()) {
                list.addObject().put("name", account.name()).put("admin", account.admin()).put("disabled", account.disabled());
            }
            ok(call, 200, list);
        } else if (parts.length == 1 && call.method().equals("POST")) {
            JsonNode body = body(call.request());
            String name = text(body, "name");
            String password = text(body, "password");
            if (!Names.isRepository(name) || name.contains("/")) {
                throw new RegistryException(ErrorCode.NAME_INVALID, "invalid user name \"" + name
                        + "\": use lower-case letters, digits, '.', '_' and '-' (it names the user's personal project)");
            }
            if (password.length() < 12) {
                throw new RegistryException(ErrorCode.DENIED, 400, "the password for " + name + " is too short: use at least 12 characters");
            }
            if (access.accounts().byName(name).isPresent()) {
                throw new RegistryException(ErrorCode.DENIED, 409, "user " + name + " already exists");
            }
            access.accounts().create(name, access.hasher().hash(password), body.path("admin").asBoolean(false));
            access.audit().append(call.caller().name(), call.address(), "account-created", name, true);
            ok(call, 201, Json.mapper().createObjectNode().put("name", name));
        } else if (parts.length == 3 && parts[2].equals("disabled") && call.method().equals("PUT")) {
            boolean disabled = body(call.request()).path("disabled").asBoolean(true);
            if (!access.accounts().setDisabled(parts[1], disabled)) {
                throw new RegistryException(ErrorCode.NAME_UNKNOWN, "user " + parts[1] + " does not exist");
            }
            access.audit().append(call.caller().name(), call.address(), disabled ? "account-disabled" : "account-enabled",
                    parts[1], true);
            ok(call, 200, Json.mapper().createObjectNode().put("name", parts[1]).put("disabled", disabled));
        } else {
            throw methodNotAllowed(call.method());
        }
    }

    // ---------------------------------------------------------------- projects

    private void projects(Call call, String[] parts) throws IOException {
        if (parts.length == 1) {
            switch (call.method()) {
                case "GET" -> {
                    ArrayNode list = Json.mapper().createArrayNode();
                    for (Projects.Project project : access.projects().list()) {
                        if (access.policy().allowedOnProject(call.caller(), project.name()).contains(Action.PULL)) {
                            list.add(projectJson(project));
                        }
                    }
                    ok(call, 200, list);
                }
                case "POST" -> createProject(call);
                default -> throw methodNotAllowed(call.method());
            }
            return;
        }
        Projects.Project project = access.projects().byName(parts[1])
                .filter(p -> may(call.caller(), p.name(), Action.PULL))
                .orElseThrow(() -> new RegistryException(ErrorCode.NAME_UNKNOWN, "project " + parts[1]
                        + " does not exist or you may not see it"));
        if (parts.length == 2) {
            switch (call.method()) {
                case "GET" -> {
                    ObjectNode json = projectJson(project);
                    membersJson(json.putArray("members"), access.projects().members(project));
                    ok(call, 200, json);
                }
                case "PUT" -> {
                    requireOwner(call.caller(), project);
                    String text = text(body(call.request()), "class");
                    SharingClass sharing = parse(() -> SharingClass.parse(text));
                    access.projects().setSharing(project, sharing);
                    access.audit().append(call.caller().name(), call.address(), "class-changed",
                            project.name() + " " + sharing.label(), true);
                    ok(call, 200, projectJson(new Projects.Project(project.id(), project.name(), sharing)));
                }
                default -> throw methodNotAllowed(call.method());
            }
        } else if (parts[2].equals("members") && parts.length == 3 && call.method().equals("GET")) {
            ArrayNode list = Json.mapper().createArrayNode();
            membersJson(list, access.projects().members(project));
            ok(call, 200, list);
        } else if (parts[2].equals("members") && parts.length == 4) {
            requireOwner(call.caller(), project);
            boolean group = "true".equals(Request.extractQueryParameters(call.request()).getValue("group"));
            switch (call.method()) {
                case "PUT" -> {
                    String text = text(body(call.request()), "role");
                    Role role = parse(() -> Role.parse(text));
                    access.projects().setMember(project, new Projects.Member(parts[3], group, role));
                    access.audit().append(call.caller().name(), call.address(), "member-set",
                            project.name() + " " + (group ? "group " : "") + parts[3] + " " + role.label(), true);
                    ok(call, 200, Json.mapper().createObjectNode().put("name", parts[3]).put("group", group)
                            .put("role", role.label()));
                }
                case "DELETE" -> {
                    if (!access.projects().removeMember(project, parts[3], group)) {
                        throw new RegistryException(ErrorCode.NAME_UNKNOWN, parts[3] + " is not a member of project " + project.name());
                    }
                    access.audit().append(call.caller().name(), call.address(), "member-removed",
                            project.name() + " " + (group ? "group " : "") + parts[3], true);
                    noContent(call);
                }
                default -> throw methodNotAllowed(call.method());
            }
        } else {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 404, "no such endpoint under project " + project.name());
        }
    }

    private void createProject(Call call) throws IOException {
        if (call.caller().anonymous()) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "creating a project needs a signed-in user");
        }
        JsonNode body = body(call.request());
        String name = text(body, "name");
        if (!Names.isRepository(name) || name.contains("/")) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "invalid project name \"" + name
                    + "\": one path component of lower-case letters, digits, '.', '_' and '-'");
        }
        SharingClass sharing = parse(() -> SharingClass.parse(body.path("class").asText("private")));
        boolean othersPersonal = !name.equals(call.caller().name()) && access.accounts().byName(name).isPresent();
        if (othersPersonal && !call.caller().admin()) {
            throw new RegistryException(ErrorCode.DENIED, "project " + name + " is the personal project of user " + name);
        }
        if (!access.projects().create(name, sharing, call.caller().name())) {
            throw new RegistryException(ErrorCode.DENIED, 409, "project " + name + " already exists");
        }
        access.audit().append(call.caller().name(), call.address(), "project-created", name + " " + sharing.label(), true);
        ok(call, 201, Json.mapper().createObjectNode().put("name", name).put("class", sharing.label()));
    }

    // ---------------------------------------------------------------- tokens

    private void tokens(Call call, String[] parts) throws IOException {
        Principal caller = call.caller();
        if (caller.anonymous()) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "personal access tokens need a signed-in user");
        }
        String accountId = access.accounts().byName(caller.name()).orElseThrow().id();
        if (parts.length == 1 && call.method().equals("GET")) {
            ArrayNode list = Json.mapper().createArrayNode();
            for (Tokens.Token token : access.tokens().personalTokensOf(accountId)) {
                ObjectNode json = list.addObject().put("id", token.id()).put("name", token.name())
                        .put("scopes", token.scopes()).put("created", token.created().toString());
                json.put("expires", token.expires() == null ? null : token.expires().toString());
                json.put("revoked", token.revoked() == null ? null : token.revoked().toString());
            }
            ok(call, 200, list);
        } else if (parts.length == 1 && call.method().equals("POST")) {
            if (!caller.limits().isEmpty()) {
                throw new RegistryException(ErrorCode.DENIED, "a scoped token cannot make tokens: sign in with a password");
            }
            JsonNode body = body(call.request());
            String name = text(body, "name");
            List<TokenScope> scopes = new ArrayList<>();
            for (JsonNode scope : body.path("scopes")) {
                scopes.add(parse(() -> TokenScope.parse(scope.asText())));
            }
            Instant expires = null;
            if (body.hasNonNull("expires")) {
                Duration lifetime = parse(() -> RegistryConfigFile.duration(body.get("expires").asText()));
                expires = lifetime.isZero() ? null : Instant.now().plus(lifetime);
            }
            String secret = Secrets.generate(Secrets.PERSONAL_TOKEN_PREFIX);
            Tokens.Token token = access.tokens().create(accountId, Tokens.Kind.PERSONAL, name, Secrets.hash(secret),
                    TokenScope.format(scopes), expires);
            access.audit().append(caller.name(), call.address(), "token-created", token.id() + " " + name, true);
            ObjectNode json = Json.mapper().createObjectNode().put("id", token.id()).put("name", name).put("token", secret)
                    .put("scopes", TokenScope.format(scopes));
            json.put("expires", expires == null ? null : expires.toString());
            ok(call, 201, json);
        } else if (parts.length == 2 && call.method().equals("DELETE")) {
            if (!access.tokens().revoke(accountId, parts[1])) {
                throw new RegistryException(ErrorCode.NAME_UNKNOWN, "you have no token " + parts[1] + " that is still valid");
            }
            access.audit().append(caller.name(), call.address(), "token-revoked", parts[1], true);
            noContent(call);
        } else {
            throw methodNotAllowed(call.method());
        }
    }

    // ---------------------------------------------------------------- audit

    private void audit(Call call) {
        requireAdmin(call.caller());
        if (!call.method().equals("GET")) {
            throw methodNotAllowed(call.method());
        }
        String since = Request.extractQueryParameters(call.request()).getValue("since");
        Instant from = since == null ? Instant.EPOCH : parse(() -> Instant.parse(since));
        ArrayNode list = Json.mapper().createArrayNode();
        for (AuditLog.Event event : access.audit().since(from, 10_000)) {
            list.addObject().put("at", event.at().toString()).put("actor", event.actor()).put("address", event.address())
                    .put("event", event.event()).put("target", event.target()).put("outcome", event.outcome());
        }
        ok(call, 200, list);
    }

    // ---------------------------------------------------------------- helpers

    private Principal signIn(Request request, Response response, String address) throws InterruptedException {
        BasicCredentials credentials = BasicCredentials.parse(request.getHeaders().get(HttpHeader.AUTHORIZATION))
                .orElse(null);
        if (credentials == null) {
            return Principal.ANONYMOUS;
        }
        return access.signIn().withPassword(credentials.name(), credentials.secret(), address).orElseThrow(() -> {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"berth\"");
            return new RegistryException(ErrorCode.UNAUTHORIZED, "invalid username or password");
        });
    }

    private boolean may(Principal caller, String project, Action action) {
        return access.policy().allowedOnProject(caller, project).contains(action);
    }

    private void requireOwner(Principal caller, Projects.Project project) {
        if (!may(caller, project.name(), Action.ADMINISTER)) {
            throw new RegistryException(ErrorCode.DENIED, "changing project " + project.name()
                    + " needs its owner role or a site admin");
        }
    }

    private static void requireAdmin(Principal caller) {
        if (caller.anonymous()) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "this needs a signed-in site admin");
        }
        if (!caller.admin()) {
            throw new RegistryException(ErrorCode.DENIED, "this needs a site admin; " + caller.name() + " is not one");
        }
    }

    private static ObjectNode projectJson(Projects.Project project) {
        return Json.mapper().createObjectNode().put("name", project.name()).put("class", project.sharing().label());
    }

    private static void membersJson(ArrayNode list, List<Projects.Member> members) {
        for (Projects.Member member : members) {
            list.addObject().put("name", member.name()).put("group", member.group()).put("role", member.role().label());
        }
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
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "the request body is not JSON: " + e.getMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "the request body needs a \"" + field + "\" string");
        }
        return value.asText();
    }

    private interface Parsing<T> {
        T parse();
    }

    /** A value the client sent that does not parse: a 400 with the parser's own message. */
    private static <T> T parse(Parsing<T> parsing) {
        try {
            return parsing.parse();
        } catch (BerthException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, e.getMessage());
        }
    }

    private static void ok(Call call, int status, JsonNode body) {
        call.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        call.response().setStatus(status);
        write(call.response(), call.callback(), JSON, json(body));
    }

    private static void noContent(Call call) {
        call.response().setStatus(204);
        write(call.response(), call.callback(), null, null);
    }
}
