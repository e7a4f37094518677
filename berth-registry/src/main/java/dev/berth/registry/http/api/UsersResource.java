package dev.berth.registry.http.api;

import static dev.berth.registry.http.Responses.methodNotAllowed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.oci.Json;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.Names;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.Access;
import dev.berth.registry.meta.Accounts;

import java.io.IOException;

/** {@code /berth/v1/users}: site admins list, add, disable and enable accounts. */
final class UsersResource {
    private static final int MIN_PASSWORD_LENGTH = 12;

    private final Access access;

    UsersResource(Access access) {
        this.access = access;
    }

    void handle(ApiCall call) throws IOException {
        call.requireAdmin();
        String[] parts = call.path();
        if (parts.length == 1 && call.method().equals("GET")) {
            ArrayNode list = Json.mapper().createArrayNode();
            for (Accounts.Account account : access.accounts().list()) {
                list.addObject().put("name", account.name()).put("admin", account.admin()).put("disabled", account.disabled())
                        .put("source", account.source());
            }
            call.ok(200, list);
        } else if (parts.length == 1 && call.method().equals("POST")) {
            create(call, call.body());
        } else if (parts.length == 3 && parts[2].equals("disabled") && call.method().equals("PUT")) {
            boolean disabled = call.body().path("disabled").asBoolean(true);
            if (!access.accounts().setDisabled(parts[1], disabled)) {
                throw new RegistryException(ErrorCode.NAME_UNKNOWN, "user " + parts[1] + " does not exist");
            }
            access.audit().append(call.caller().name(), call.address(), disabled ? "account-disabled" : "account-enabled",
                    parts[1], true);
            call.ok(200, Json.mapper().createObjectNode().put("name", parts[1]).put("disabled", disabled));
        } else {
            throw methodNotAllowed(call.method());
        }
    }

    private void create(ApiCall call, JsonNode body) {
        String name = ApiCall.text(body, "name");
        String password = ApiCall.text(body, "password", 1024);
        if (!Names.isRepository(name) || name.contains("/")) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "invalid user name \"" + name
                    + "\": use lower-case letters, digits, '.', '_' and '-' (it names the user's personal project)");
        }
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw new RegistryException(ErrorCode.DENIED, 400, "the password for " + name + " is too short: use at least "
                    + MIN_PASSWORD_LENGTH + " characters");
        }
        if (access.accounts().byName(name).isPresent()) {
            throw new RegistryException(ErrorCode.DENIED, 409, "user " + name + " already exists");
        }
        access.accounts().create(name, access.hasher().hash(password), body.path("admin").asBoolean(false));
        access.audit().append(call.caller().name(), call.address(), "account-created", name, true);
        call.ok(201, Json.mapper().createObjectNode().put("name", name));
    }
}
