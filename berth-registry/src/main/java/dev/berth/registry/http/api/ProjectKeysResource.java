package dev.berth.registry.http.api;

import static dev.berth.registry.http.Responses.methodNotAllowed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Json;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.Access;
import dev.berth.registry.meta.ProjectKeys;
import dev.berth.registry.meta.Projects;
import dev.berth.trust.VerifyingKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * {@code /berth/v1/projects/P/keys[/NAME]}: a trusted project's staff public keys. Anyone who sees
 * the project reads them (verifiers need them); its owners and site admins add and remove them.
 */
final class ProjectKeysResource {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final int MAX_KEY_CHARS = 4000;

    private final Access access;

    ProjectKeysResource(Access access) {
        this.access = access;
    }

    void handle(ApiCall call, Projects.Project project, String[] parts) throws IOException {
        if (parts.length == 3) {
            switch (call.method()) {
                case "GET" -> call.ok(200, list(project));
                case "POST" -> add(call, project);
                default -> throw methodNotAllowed(call.method());
            }
        } else if (parts.length == 4 && call.method().equals("DELETE")) {
            requireOwner(call, project);
            if (!access.projectKeys().remove(project, parts[3])) {
                throw new RegistryException(ErrorCode.NAME_UNKNOWN, "project " + project.name() + " has no key " + parts[3]);
            }
            access.audit().append(call.caller().name(), call.address(), "key-removed", project.name() + " " + parts[3], true);
            call.noContent();
        } else {
            throw methodNotAllowed(call.method());
        }
    }

    /** Body: {@code name} and {@code key}, a PEM public key as {@code berth key generate} and cosign write them. */
    private void add(ApiCall call, Projects.Project project) throws IOException {
        requireOwner(call, project);
        JsonNode body = call.body();
        String name = ApiCall.text(body, "name");
        if (!NAME.matcher(name).matches()) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "a key name is 1 to 128 letters, digits, '.', '_' and '-'");
        }
        String pem = ApiCall.text(body, "key", MAX_KEY_CHARS);
        VerifyingKey key = ApiCall.parse(() -> VerifyingKey.read(pem.getBytes(StandardCharsets.UTF_8), "key " + name));
        ProjectKeys.StaffKey staff = new ProjectKeys.StaffKey(name, key.pem(), key.fingerprint().toString(), call.caller().name(),
                Instant.now());
        if (!access.projectKeys().add(project, staff)) {
            throw new RegistryException(ErrorCode.DENIED, 409, "project " + project.name() + " already has a key named " + name);
        }
        access.audit().append(call.caller().name(), call.address(), "key-added", project.name() + " " + name + " "
                + staff.fingerprint(), true);
        call.ok(201, json(staff));
    }

    private ArrayNode list(Projects.Project project) {
        ArrayNode list = Json.mapper().createArrayNode();
        access.projectKeys().of(project).forEach(key -> list.add(json(key)));
        return list;
    }

    private void requireOwner(ApiCall call, Projects.Project project) {
        call.requireSignedIn("changing a project's keys");
        if (!access.policy().administers(call.caller(), project.name())) {
            throw new RegistryException(ErrorCode.DENIED, "the staff keys of project " + project.name()
                    + " are changed by its owners and site admins");
        }
    }

    private static ObjectNode json(ProjectKeys.StaffKey key) {
        return Json.mapper().createObjectNode().put("name", key.name()).put("fingerprint", key.fingerprint())
                .put("key", key.publicKey()).put("addedBy", key.addedBy()).put("added", key.added().toString());
    }
}
