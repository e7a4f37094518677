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
import dev.berth.registry.access.Conditions;
import dev.berth.registry.access.Role;
import dev.berth.registry.access.SharingClass;
import dev.berth.registry.meta.Projects;

import java.io.IOException;
import java.util.List;
import java.util.NavigableSet;
import java.util.function.Supplier;

/**
 * {@code /berth/v1/projects}: projects with their class, its conditions and their members. Anyone
 * signed in creates a project and owns it; owners and site admins change and delete it.
 */
final class ProjectsResource {
    private final Access access;
    private final Supplier<NavigableSet<String>> repositories;
    private final RobotsResource robots;
    private final ImmutableTagsResource immutableTags;
    private final ProjectKeysResource keys;

    ProjectsResource(Access access, Supplier<NavigableSet<String>> repositories) {
        this.access = access;
        this.repositories = repositories;
        this.robots = new RobotsResource(access);
        this.immutableTags = new ImmutableTagsResource(access);
        this.keys = new ProjectKeysResource(access);
    }

    void handle(ApiCall call) throws IOException {
        String[] parts = call.path();
        if (parts.length == 1) {
            switch (call.method()) {
                case "GET" -> list(call);
                case "POST" -> create(call);
                default -> throw methodNotAllowed(call.method());
            }
            return;
        }
        Projects.Project project = access.projects().byName(parts[1])
                .filter(p -> access.policy().maySee(call.caller(), p, call.address()))
                .orElseThrow(() -> new RegistryException(ErrorCode.NAME_UNKNOWN, "project " + parts[1]
                        + " does not exist or you may not see it"));
        if (parts.length == 2) {
            switch (call.method()) {
                case "GET" -> {
                    ObjectNode json = json(project);
                    json.set("members", members(project));
                    ArrayNode immutable = json.putArray("immutableTags");
                    access.immutableTags().of(project.name()).forEach(pattern -> immutable.add(pattern.toString()));
                    call.ok(200, json);
                }
                case "PUT" -> change(call, project);
                case "DELETE" -> delete(call, project);
                default -> throw methodNotAllowed(call.method());
            }
        } else if (parts[2].equals("members")) {
            members(call, project, parts);
        } else if (parts[2].equals("robots")) {
            robots.handle(call, project);
        } else if (parts[2].equals("immutable-tags") && parts.length == 3) {
            immutableTags.handle(call, project);
        } else if (parts[2].equals("keys") && parts.length <= 4) {
            keys.handle(call, project, parts);
        } else {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 404, "no such endpoint under project " + project.name());
        }
    }

    private void list(ApiCall call) {
        ArrayNode list = Json.mapper().createArrayNode();
        for (Projects.Project project : access.projects().list()) {
            if (access.policy().maySee(call.caller(), project, call.address())) {
                list.add(json(project));
            }
        }
        call.ok(200, list);
    }

    private void create(ApiCall call) throws IOException {
        call.requireSignedIn("creating a project");
        if (call.caller().robot()) {
            throw new RegistryException(ErrorCode.DENIED, "robots cannot create projects");
        }
        JsonNode body = call.body();
        String name = ApiCall.text(body, "name");
        if (!Names.isRepository(name) || name.contains("/")) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "invalid project name \"" + name
                    + "\": one path component of lower-case letters, digits, '.', '_' and '-'");
        }
        SharingClass sharing = ApiCall.parse(() -> SharingClass.parse(body.path("class").asText("private")));
        boolean othersPersonal = !name.equals(call.caller().name()) && access.accounts().byName(name).isPresent();
        if (othersPersonal && !call.caller().admin()) {
            throw new RegistryException(ErrorCode.DENIED, "project " + name + " is the personal project of user " + name);
        }
        if (!access.projects().create(name, sharing, call.caller().name())) {
            throw new RegistryException(ErrorCode.DENIED, 409, "project " + name + " already exists");
        }
        Projects.Project project = access.projects().byName(name).orElseThrow();
        Conditions conditions = conditions(body, project.conditions());
        if (!conditions.equals(project.conditions())) {
            access.projects().setSharing(project, sharing, conditions);
        }
        access.audit().append(call.caller().name(), call.address(), "project-created", name + " " + sharing.label(), true);
        call.ok(201, json(project.withSharing(sharing, conditions)));
    }

    /** PUT with any of {@code class}, {@code groups}, {@code networks}, {@code trusted}: fields left out keep their value. */
    private void change(ApiCall call, Projects.Project project) throws IOException {
        requireOwner(call, project);
        JsonNode body = call.body();
        Projects.Project changed = project;
        if (body.has("class") || body.has("groups") || body.has("networks")) {
            SharingClass sharing = body.hasNonNull("class")
                    ? ApiCall.parse(() -> SharingClass.parse(body.get("class").asText())) : project.sharing();
            Conditions conditions = conditions(body, project.conditions());
            access.projects().setSharing(project, sharing, conditions);
            access.audit().append(call.caller().name(), call.address(), "class-changed", project.name() + " " + sharing.label()
                    + describe(conditions), true);
            changed = changed.withSharing(sharing, conditions);
        }
        if (body.has("trusted")) {
            if (!body.get("trusted").isBoolean()) {
                throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "\"trusted\" must be true or false");
            }
            boolean trusted = body.get("trusted").asBoolean();
            access.projects().setTrusted(project, trusted);
            access.audit().append(call.caller().name(), call.address(), "trust-changed", project.name()
                    + (trusted ? " trusted" : " untrusted"), true);
            changed = changed.withTrusted(trusted);
        }
        call.ok(200, json(changed));
    }

    private void delete(ApiCall call, Projects.Project project) {
        requireOwner(call, project);
        List<String> held = repositories.get().stream()
                .filter(repository -> repository.startsWith(project.name() + "/") || repository.equals(project.name()))
                .limit(3).toList();
        if (!held.isEmpty()) {
            throw new RegistryException(ErrorCode.DENIED, 409, "project " + project.name() + " still has repositories ("
                    + String.join(", ", held) + (held.size() == 3 ? ", ..." : "") + "): delete their manifests first");
        }
        access.projects().delete(project);
        access.audit().append(call.caller().name(), call.address(), "project-deleted", project.name(), true);
        call.noContent();
    }

    private void members(ApiCall call, Projects.Project project, String[] parts) throws IOException {
        if (parts.length == 3 && call.method().equals("GET")) {
            call.ok(200, members(project));
            return;
        }
        if (parts.length != 4) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 404, "no such endpoint under project " + project.name());
        }
        requireOwner(call, project);
        String name = parts[3];
        if (name.length() > ApiCall.MAX_TEXT) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "a member's name is at most " + ApiCall.MAX_TEXT + " characters");
        }
        boolean group = "true".equals(call.query("group"));
        String who = project.name() + " " + (group ? "group " : "") + name;
        switch (call.method()) {
            case "PUT" -> {
                String text = ApiCall.text(call.body(), "role");
                Role role = ApiCall.parse(() -> Role.parse(text));
                access.projects().setMember(project, new Projects.Member(name, group, role));
                access.audit().append(call.caller().name(), call.address(), "member-set", who + " " + role.label(), true);
                call.ok(200, Json.mapper().createObjectNode().put("name", name).put("group", group).put("role", role.label()));
            }
            case "DELETE" -> {
                if (!access.projects().removeMember(project, name, group)) {
                    throw new RegistryException(ErrorCode.NAME_UNKNOWN, (group ? "group " : "") + name
                            + " is not a member of project " + project.name());
                }
                access.audit().append(call.caller().name(), call.address(), "member-removed", who, true);
                call.noContent();
            }
            default -> throw methodNotAllowed(call.method());
        }
    }

    private void requireOwner(ApiCall call, Projects.Project project) {
        call.requireSignedIn("changing a project");
        if (!access.policy().administers(call.caller(), project.name())) {
            throw new RegistryException(ErrorCode.DENIED, "changing project " + project.name()
                    + " needs its owner role or a site admin");
        }
    }

    /** The restricted class's conditions from {@code groups} and {@code networks}; a field left out keeps {@code current}'s. */
    static Conditions conditions(JsonNode body, Conditions current) {
        String groups = ApiCall.fitting(body.has("groups") ? String.join(" ", ApiCall.words(body, "groups"))
                : current.groupsText(), "groups");
        String networks = ApiCall.fitting(body.has("networks") ? String.join(" ", ApiCall.words(body, "networks"))
                : current.networksText(), "networks");
        return ApiCall.parse(() -> Conditions.parse(groups, networks));
    }

    static void putConditions(ObjectNode json, Conditions conditions) {
        ArrayNode groups = json.putArray("groups");
        conditions.groups().forEach(groups::add);
        ArrayNode networks = json.putArray("networks");
        conditions.networks().forEach(network -> networks.add(network.toString()));
    }

    private static String describe(Conditions conditions) {
        return (conditions.groups().isEmpty() ? "" : " groups=" + conditions.groupsText())
                + (conditions.networks().isEmpty() ? "" : " networks=" + conditions.networksText());
    }

    private static ObjectNode json(Projects.Project project) {
        ObjectNode json = Json.mapper().createObjectNode().put("name", project.name()).put("class", project.sharing().label())
                .put("trusted", project.trusted());
        putConditions(json, project.conditions());
        return json;
    }

    private ArrayNode members(Projects.Project project) {
        ArrayNode list = Json.mapper().createArrayNode();
        for (Projects.Member member : access.projects().members(project)) {
            list.addObject().put("name", member.name()).put("group", member.group()).put("role", member.role().label());
        }
        return list;
    }
}
