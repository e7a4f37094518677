package dev.berth.registry.http.api;

import static dev.berth.registry.http.Responses.methodNotAllowed;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Json;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.Access;
import dev.berth.registry.access.Role;
import dev.berth.registry.history.TagPattern;
import dev.berth.registry.meta.Projects;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /berth/v1/projects/P/immutable-tags}: the tag patterns no push, restore or deletion may
 * move once such a tag exists. Anyone who sees the project reads them; its maintainers set them.
 */
final class ImmutableTagsResource {
    private static final int MAX_PATTERNS = 32;

    private final Access access;

    ImmutableTagsResource(Access access) {
        this.access = access;
    }

    void handle(ApiCall call, Projects.Project project) throws IOException {
        switch (call.method()) {
            case "GET" -> call.ok(200, json(project.name(), access.immutableTags().of(project.name())));
            case "PUT" -> change(call, project);
            default -> throw methodNotAllowed(call.method());
        }
    }

    /** Body: {@code patterns}, a list (or a string of words); an empty list makes every tag movable again. */
    private void change(ApiCall call, Projects.Project project) throws IOException {
        call.requireSignedIn("changing immutable tags");
        boolean maintainer = access.policy().roleIn(call.caller(), Optional.of(project))
                .filter(role -> role.compareTo(Role.MAINTAINER) >= 0).isPresent();
        if (!call.caller().admin() && !maintainer) {
            throw new RegistryException(ErrorCode.DENIED, "the immutable tags of project " + project.name()
                    + " are set by its maintainers");
        }
        List<String> words = ApiCall.words(call.body(), "patterns");
        if (words.size() > MAX_PATTERNS) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "at most " + MAX_PATTERNS + " immutable tag patterns");
        }
        List<TagPattern> patterns = new ArrayList<>();
        for (String word : words) {
            patterns.add(ApiCall.parse(() -> TagPattern.parse(word)));
        }
        access.immutableTags().set(project.name(), patterns);
        access.audit().append(call.caller().name(), call.address(), "immutable-tags", project.name() + " "
                + (patterns.isEmpty() ? "(none)" : String.join(" ", patterns.stream().map(TagPattern::toString).toList())), true);
        call.ok(200, json(project.name(), access.immutableTags().of(project.name())));
    }

    private static ObjectNode json(String project, List<TagPattern> patterns) {
        ObjectNode json = Json.mapper().createObjectNode().put("project", project);
        ArrayNode list = json.putArray("patterns");
        patterns.forEach(pattern -> list.add(pattern.toString()));
        return json;
    }
}
