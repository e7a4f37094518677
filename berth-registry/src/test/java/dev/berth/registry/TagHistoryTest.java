package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deep versioning: every tag move is recorded (who, when, from where, which client), a tag can be
 * put back at an earlier manifest by digest or by time, the record survives a restart, and a
 * project's immutable-tag patterns refuse every move of such a tag — by push, delete or restore.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TagHistoryTest {
    private static final String PASSWORD = "a-long-user-password";

    private Path root;
    private AuthRegistry registry;
    private String admin;

    /** {@link TagHistoryOnPostgresTest} runs the class on PostgreSQL. */
    MetaDatabase database() {
        return MetaDatabase.SQLITE;
    }

    @BeforeAll
    void setUp(@TempDir Path root) throws Exception {
        this.root = root.resolve("registry");
        registry = AuthRegistry.start(this.root, database());
        admin = registry.adminPassword();
        for (String user : List.of("developer", "maintainer", "guest", "outsider")) {
            registry.addUser("admin", admin, user, PASSWORD);
        }
        for (String project : List.of("hist", "frozen")) {
            registry.expect(201, "admin", admin, "POST", "projects", Map.of("name", project, "class", "private"));
            for (String role : List.of("developer", "maintainer", "guest")) {
                registry.expect(200, "admin", admin, "PUT", "projects/" + project + "/members/" + role, Map.of("role", role));
            }
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        registry.close();
    }

    @Test
    void everyMoveIsRecordedAndRestoreBringsTheEarlierImageBack() throws Exception {
        Digest first = push("developer", "hist/app", "latest");
        Instant between = Instant.now();
        Thread.sleep(5);
        Digest second = push("maintainer", "hist/app", "latest");

        List<Map<String, Object>> moves = moves("guest", "hist/app", "latest");
        assertThat(moves).hasSize(2);
        assertThat(moves.getFirst()).containsEntry("from", first.toString()).containsEntry("to", second.toString())
                .containsEntry("actor", "maintainer").containsEntry("address", "127.0.0.1");
        assertThat((String) moves.getFirst().get("client")).startsWith("Java-http-client");
        assertThat(moves.get(1)).containsEntry("from", null).containsEntry("to", first.toString()).containsEntry("actor", "developer");

        Map<String, Object> restored = json( registry.expect(200, "developer", PASSWORD, "POST", "repositories/hist/app/restore",
                Map.of("tag", "latest", "at", between.toString())));
        assertThat(restored).containsEntry("from", second.toString()).containsEntry("to", first.toString()).containsEntry("moved", true);
        assertThat(taggedDigest("hist/app", "latest")).isEqualTo(first);
        assertThat(moves("guest", "hist/app", "latest").getFirst()).containsEntry("from", second.toString())
                .containsEntry("to", first.toString()).containsEntry("actor", "developer");

        registry.expect(200, "developer", PASSWORD, "POST", "repositories/hist/app/restore",
                Map.of("tag", "latest", "digest", second.toString()));
        assertThat(taggedDigest("hist/app", "latest")).isEqualTo(second);
        Map<String, Object> again = json( registry.expect(200, "developer", PASSWORD, "POST", "repositories/hist/app/restore",
                Map.of("tag", "latest", "digest", second.toString())));
        assertThat(again).containsEntry("moved", false);
        assertThat(moves("guest", "hist/app", "latest")).hasSize(4);

        String deleteToken = registry.token("maintainer", PASSWORD, "repository:hist/app:delete");
        assertThat(registry.api.send("DELETE", "/v2/hist/app/manifests/latest", null, "Authorization",
                AuthRegistry.bearer(deleteToken)).statusCode()).isEqualTo(202);
        assertThat(moves("guest", "hist/app", "latest").getFirst()).containsEntry("from", second.toString())
                .containsEntry("to", null).containsEntry("actor", "maintainer");
        registry.expect(200, "developer", PASSWORD, "POST", "repositories/hist/app/restore",
                Map.of("tag", "latest", "digest", first.toString()));
        assertThat(taggedDigest("hist/app", "latest")).isEqualTo(first);
    }

    @Test
    void historyAndRestoreAskForTheRightsOfPullAndPush() throws Exception {
        Digest digest = push("developer", "hist/rights", "v1");
        assertThat(registry.call("outsider", PASSWORD, "GET", "repositories/hist/rights/history", null).statusCode()).isEqualTo(404);
        HttpResponse<byte[]> byGuest = registry.call("guest", PASSWORD, "POST", "repositories/hist/rights/restore",
                Map.of("tag", "v2", "digest", digest.toString()));
        assertThat(byGuest.statusCode()).isEqualTo(403);
        assertThat(Api.text(byGuest)).contains("needs the right to push");
        HttpResponse<byte[]> unknown = registry.call("developer", PASSWORD, "POST", "repositories/hist/rights/restore",
                Map.of("tag", "v1", "digest", Digest.of(new byte[]{1}).toString()));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Api.text(unknown)).contains("is no longer in repository hist/rights");
        HttpResponse<byte[]> never = registry.call("developer", PASSWORD, "POST", "repositories/hist/rights/restore",
                Map.of("tag", "v1", "at", "2001-01-01T00:00:00Z"));
        assertThat(never.statusCode()).isEqualTo(404);
        assertThat(registry.call("developer", PASSWORD, "POST", "repositories/hist/rights/restore",
                Map.of("tag", "v1", "at", "yesterday")).statusCode()).isEqualTo(400);
        assertThat(registry.call("guest", PASSWORD, "GET", "repositories/hist/rights/history?limit=0", null).statusCode())
                .isEqualTo(400);
    }

    @Test
    void immutableTagsRefuseEveryMoveButNotNewTagsOrTheSameImage() throws Exception {
        HttpResponse<byte[]> byDeveloper = registry.call("developer", PASSWORD, "PUT", "projects/frozen/immutable-tags",
                Map.of("patterns", List.of("v*")));
        assertThat(byDeveloper.statusCode()).isEqualTo(403);
        assertThat(registry.call("maintainer", PASSWORD, "PUT", "projects/frozen/immutable-tags",
                Map.of("patterns", List.of("v/1"))).statusCode()).isEqualTo(400);
        registry.expect(200, "maintainer", PASSWORD, "PUT", "projects/frozen/immutable-tags", Map.of("patterns", List.of("v*")));
        assertThat(json(registry.expect(200, "guest", PASSWORD, "GET", "projects/frozen/immutable-tags", null)))
                .containsEntry("patterns", List.of("v*"));

        String token = registry.token("developer", PASSWORD, "repository:frozen/app:pull,push");
        Api developer = registry.api.withHeaders("Authorization", AuthRegistry.bearer(token));
        byte[] manifest = developer.pushImage("frozen/app", "v1", 1);
        Digest kept = Digest.of(manifest);
        assertThat(developer.putManifest("frozen/app", "v1", MediaType.OCI_MANIFEST, manifest).statusCode()).isEqualTo(201);
        byte[] other = developer.pushImage("frozen/app", "latest", 1);

        HttpResponse<byte[]> moved = developer.putManifest("frozen/app", "v1", MediaType.OCI_MANIFEST, other);
        assertThat(moved.statusCode()).isEqualTo(403);
        assertThat(Api.errorCode(moved)).isEqualTo("DENIED");
        assertThat(Api.text(moved)).contains("tag v1 of frozen/app is immutable (project frozen, rule \\\"v*\\\")");
        HttpResponse<byte[]> byDigestWithTag = developer.send("PUT", "/v2/frozen/app/manifests/" + Digest.of(other) + "?tag=v1",
                other, "Content-Type", MediaType.OCI_MANIFEST);
        assertThat(byDigestWithTag.statusCode()).isEqualTo(403);
        HttpResponse<byte[]> restored = registry.call("maintainer", PASSWORD, "POST", "repositories/frozen/app/restore",
                Map.of("tag", "v1", "digest", Digest.of(other).toString()));
        assertThat(restored.statusCode()).isEqualTo(403);

        String deleteToken = registry.token("maintainer", PASSWORD, "repository:frozen/app:delete");
        Api maintainer = registry.api.withHeaders("Authorization", AuthRegistry.bearer(deleteToken));
        assertThat(maintainer.send("DELETE", "/v2/frozen/app/manifests/v1", null).statusCode()).isEqualTo(403);
        assertThat(maintainer.send("DELETE", "/v2/frozen/app/manifests/" + kept, null).statusCode()).isEqualTo(403);
        assertThat(taggedDigest("frozen/app", "v1")).isEqualTo(kept);
        assertThat(developer.putManifest("frozen/app", "latest", MediaType.OCI_MANIFEST, manifest).statusCode()).isEqualTo(201);

        registry.expect(200, "maintainer", PASSWORD, "PUT", "projects/frozen/immutable-tags", Map.of("patterns", List.of()));
        assertThat(developer.putManifest("frozen/app", "v1", MediaType.OCI_MANIFEST, other).statusCode()).isEqualTo(201);
    }

    @Test
    void historySurvivesARestart() throws Exception {
        Digest digest = push("developer", "hist/durable", "1.0");
        registry.close();
        registry = AuthRegistry.start(root, database());
        assertThat(moves("guest", "hist/durable", "1.0")).singleElement().satisfies(move ->
                assertThat(move).containsEntry("to", digest.toString()).containsEntry("actor", "developer"));
        Map<?, ?> tags = (Map<?, ?>) registry.expect(200, "guest", PASSWORD, "GET", "repositories/hist/durable/tags", null);
        assertThat((List<?>) tags.get("tags")).singleElement().satisfies(tag -> assertThat(json(tag))
                .containsEntry("tag", "1.0").containsEntry("digest", digest.toString()).containsEntry("trusted", false));
    }

    private Digest push(String user, String repository, String tag) throws Exception {
        String token = registry.token(user, PASSWORD, "repository:" + repository + ":pull,push");
        return Digest.of(registry.api.withHeaders("Authorization", AuthRegistry.bearer(token)).pushImage(repository, tag, 1));
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> moves(String user, String repository, String tag) throws Exception {
        Map<String, Object> history = (Map<String, Object>) registry.expect(200, user, PASSWORD, "GET",
                "repositories/" + repository + "/history?tag=" + tag, null);
        assertThat(history).containsEntry("repository", repository);
        return (List<Map<String, Object>>) history.get("moves");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Object answer) {
        return (Map<String, Object>) answer;
    }

    private Digest taggedDigest(String repository, String tag) throws Exception {
        String token = registry.token("guest", PASSWORD, "repository:" + repository + ":pull");
        HttpResponse<byte[]> head = registry.api.send("HEAD", "/v2/" + repository + "/manifests/" + tag, null,
                "Authorization", AuthRegistry.bearer(token), "Accept", MediaType.OCI_MANIFEST);
        assertThat(head.statusCode()).isEqualTo(200);
        return Digest.parse(head.headers().firstValue("Docker-Content-Digest").orElseThrow());
    }
}
