package dev.berth.registry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Oversized input to the access API is a 400 that says what is too long, before anything reaches
 * the database (whose columns would refuse it as a failure); {@link ApiLimitsOnPostgresTest} runs it
 * where the columns' sizes are enforced.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiLimitsTest {
    private AuthRegistry registry;
    private String admin;

    MetaDatabase database() {
        return MetaDatabase.SQLITE;
    }

    @BeforeAll
    void setUp(@TempDir Path root) throws Exception {
        registry = AuthRegistry.start(root.resolve("registry"), database());
        admin = registry.adminPassword();
        registry.expect(201, "admin", admin, "POST", "projects", Map.of("name", "limits", "class", "private"));
    }

    @AfterAll
    void tearDown() throws Exception {
        registry.close();
    }

    private void refused(String method, String path, Object body, String message) throws Exception {
        HttpResponse<byte[]> response = registry.call("admin", admin, method, path, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + Api.text(response)).isEqualTo(400);
        assertThat(Api.text(response)).contains(message);
    }

    @Test
    void namesListsAndPasswordsAreBounded() throws Exception {
        refused("POST", "tokens", Map.of("name", "t".repeat(256)), "\\\"name\\\" is longer than 255 characters");
        refused("POST", "users", Map.of("name", "someone", "password", "p".repeat(1025)), "\\\"password\\\" is longer than 1024");
        refused("POST", "projects/limits/robots", Map.of("name", "r".repeat(249)), "at most 255 characters with the project's name");
        refused("PUT", "projects/limits/members/" + "m".repeat(256) + "?group=true", Map.of("role", "guest"),
                "a member's name is at most 255 characters");
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            groups.add("research-group-" + i);
        }
        refused("PUT", "projects/limits", Map.of("class", "restricted", "groups", groups), "\\\"groups\\\" is longer than 4000");
        List<String> scopes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            scopes.add("limits/repository-" + i + ":pull,push");
        }
        refused("POST", "tokens", Map.of("name", "many", "scopes", scopes), "\\\"scopes\\\" is longer than 4000");

        registry.expect(201, "admin", admin, "POST", "tokens", Map.of("name", "t".repeat(255)));
        registry.expect(200, "admin", admin, "PUT", "projects/limits/members/" + "m".repeat(255) + "?group=true",
                Map.of("role", "guest"));
    }
}
