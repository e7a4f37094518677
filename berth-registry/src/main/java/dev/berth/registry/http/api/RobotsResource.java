package dev.berth.registry.http.api;

import static dev.berth.registry.http.Responses.methodNotAllowed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Json;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.Names;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.Access;
import dev.berth.registry.access.Action;
import dev.berth.registry.access.Role;
import dev.berth.registry.access.Secrets;
import dev.berth.registry.access.TokenScope;
import dev.berth.registry.meta.Accounts;
import dev.berth.registry.meta.Projects;
import dev.berth.registry.meta.Tokens;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /berth/v1/projects/P/robots}: a project's robot accounts, made and removed by its
 * maintainers. A robot is named {@code P+NAME}, signs in with its token only (never to the web
 * pages), acts within its project and its scopes, and stops at its expiry.
 */
final class RobotsResource {
    private final Access access;

    RobotsResource(Access access) {
        this.access = access;
    }

    void handle(ApiCall call, Projects.Project project) throws IOException {
        requireMaintainer(call, project);
        String[] parts = call.path();
        if (parts.length == 3 && call.method().equals("GET")) {
            ArrayNode list = Json.mapper().createArrayNode();
            for (Accounts.Account robot : access.accounts().robotsOf(project.name())) {
                list.add(json(robot, scopesOf(robot)));
            }
            call.ok(200, list);
        } else if (parts.length == 3 && call.method().equals("POST")) {
            create(call, project, call.body());
        } else if (parts.length == 4 && call.method().equals("DELETE")) {
            String name = parts[3].startsWith(project.name() + "+") ? parts[3] : project.name() + "+" + parts[3];
            Accounts.Account robot = access.accounts().robotsOf(project.name()).stream()
                    .filter(r -> r.name().equals(name)).findFirst()
                    .orElseThrow(() -> new RegistryException(ErrorCode.NAME_UNKNOWN, "project " + project.name()
                            + " has no robot " + name));
            access.accounts().remove(robot.id());
            access.audit().append(call.caller().name(), call.address(), "robot-removed", name, true);
            call.noContent();
        } else {
            throw methodNotAllowed(call.method());
        }
    }

    private void create(ApiCall call, Projects.Project project, JsonNode body) {
        String name = ApiCall.text(body, "name");
        if (!Names.isRepository(name) || name.contains("/") || project.name().length() + 1 + name.length() > ApiCall.MAX_TEXT) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "invalid robot name \"" + name
                    + "\": use lower-case letters, digits, '.', '_' and '-', at most " + ApiCall.MAX_TEXT
                    + " characters with the project's name");
        }
        List<TokenScope> scopes = TokensResource.scopes(body);
        if (scopes.isEmpty()) {
            scopes = List.of(new TokenScope(project.name() + "/*", Set.of(Action.PULL)));
        }
        for (TokenScope scope : scopes) {
            if (!scope.within(project.name())) {
                throw new RegistryException(ErrorCode.DENIED, 400, "robot scope " + scope + " reaches outside project "
                        + project.name() + ": use " + project.name() + "/* or repositories under it");
            }
        }
        Instant expires = TokensResource.expiry(body);
        boolean runner = body.path("runner").asBoolean(false);
        Accounts.Account robot = access.accounts().createRobot(project.name(), name, runner, expires)
                .orElseThrow(() -> new RegistryException(ErrorCode.DENIED, 409, "project " + project.name()
                        + " already has a robot " + project.name() + "+" + name + ": remove it first to make a new token"));
        String secret = Secrets.generate(Secrets.PERSONAL_TOKEN_PREFIX);
        access.tokens().create(robot.id(), Tokens.Kind.PERSONAL, "robot", Secrets.hash(secret), TokenScope.format(scopes),
                robot.expires());
        access.audit().append(call.caller().name(), call.address(), "robot-created", robot.name()
                + (runner ? " runner" : "") + " " + TokenScope.format(scopes), true);
        call.ok(201, json(robot, TokenScope.format(scopes)).put("token", secret));
    }

    private String scopesOf(Accounts.Account robot) {
        return access.tokens().personalTokensOf(robot.id()).stream().filter(t -> t.revoked() == null)
                .map(Tokens.Token::scopes).findFirst().orElse("");
    }

    private void requireMaintainer(ApiCall call, Projects.Project project) {
        call.requireSignedIn("robot accounts");
        Optional<Role> role = access.policy().roleIn(call.caller(), Optional.of(project));
        boolean maintainer = role.filter(r -> r.compareTo(Role.MAINTAINER) >= 0).isPresent();
        if (!call.caller().admin() && !maintainer) {
            throw new RegistryException(ErrorCode.DENIED, "the robots of project " + project.name()
                    + " are managed by its maintainers and owners");
        }
    }

    private static ObjectNode json(Accounts.Account robot, String scopes) {
        ObjectNode json = Json.mapper().createObjectNode().put("name", robot.name());
        ArrayNode list = json.putArray("scopes");
        for (String scope : scopes.split(" ")) {
            if (!scope.isEmpty()) {
                list.add(scope);
            }
        }
        json.put("expires", robot.expires() == null ? null : robot.expires().toString());
        json.put("runner", robot.runner());
        return json;
    }
}
