package dev.berth.registry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * podman, skopeo and buildah against a registry with accounts: they log in with a password or a
 * personal access token, push and pull where the role allows, are refused clearly where it does
 * not, pull public content without logging in, and never see a private repository in the catalog.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticatedClientsTest {
    private static final String ALICE = "alice-password-1";
    private static final String BOB = "bob-password-12";

    private Path work;
    private Path busybox;
    private AuthRegistry registry;
    private String pat;

    @BeforeAll
    void setUp(@TempDir Path directory) throws Exception {
        work = directory;
        busybox = TestImages.busybox(Files.createDirectories(work.resolve("images")));
        registry = AuthRegistry.start(Files.createDirectories(work.resolve("registry")));
        String admin = registry.adminPassword();
        registry.addUser("admin", admin, "alice", ALICE);
        registry.addUser("admin", admin, "bob", BOB);
        registry.expect(201, "alice", ALICE, "POST", "projects", Map.of("name", "lab", "class", "private"));
        registry.expect(201, "alice", ALICE, "POST", "projects", Map.of("name", "pub", "class", "public"));
        registry.expect(200, "alice", ALICE, "PUT", "projects/lab/members/bob", Map.of("role", "guest"));
        pat = (String) ((Map<?, ?>) registry.expect(201, "alice", ALICE, "POST", "tokens",
                Map.of("name", "laptop", "scopes", List.of("lab/*:pull,push", "pub/*:pull,push")))).get("token");
    }

    @AfterAll
    void tearDown() throws Exception {
        registry.close();
    }

    private Tools.Result run(String... command) throws Exception {
        return Tools.run(work, Duration.ofMinutes(3), List.of(command));
    }

    private String[] withAuth(Path authfile, String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.add(2, "--authfile=" + authfile);
        return all.toArray(String[]::new);
    }

    @Test
    void skopeoLogsInWithAPersonalTokenPushesAndABareClientPullsOnlyPublicContent() throws Exception {
        Path auth = work.resolve("skopeo-auth.json");
        Tools.ok(work, "skopeo", "login", "--authfile=" + auth, "--tls-verify=false", "-u", "alice", "-p", pat, registry.hostPort());
        for (String repository : List.of("lab/skopeo", "pub/skopeo")) {
            Tools.ok(work, withAuth(auth, "skopeo", "copy", "--dest-tls-verify=false", "oci:" + busybox + ":latest",
                    "docker://" + registry.hostPort() + "/" + repository + ":v1"));
        }
        Path nobody = work.resolve("no-auth.json");
        Files.writeString(nobody, "{}");
        Tools.ok(work, withAuth(nobody, "skopeo", "inspect", "--tls-verify=false", "--raw",
                "docker://" + registry.hostPort() + "/pub/skopeo:v1"));
        Tools.Result denied = run(withAuth(nobody, "skopeo", "inspect", "--tls-verify=false", "--raw",
                "docker://" + registry.hostPort() + "/lab/skopeo:v1"));
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.output()).contains("repository lab/skopeo does not exist or you may not pull from it");

        String anonymous = registry.token(null, null, "registry:catalog:*");
        String catalog = new String(registry.api.get("/v2/_catalog", "Authorization", AuthRegistry.bearer(anonymous)).body());
        assertThat(catalog).contains("pub/skopeo").doesNotContain("lab/");
    }

    @Test
    void podmanLogsInWithAPasswordAndAGuestMayPullButNotPush() throws Exception {
        Path store = work.resolve("podman");
        Path aliceAuth = work.resolve("podman-alice.json");
        Path bobAuth = work.resolve("podman-bob.json");
        String image = registry.hostPort() + "/lab/podman:v1";
        Tools.ok(work, podman(store, "login", "--authfile=" + aliceAuth, "--tls-verify=false", "-u", "alice", "-p", ALICE,
                registry.hostPort()));
        Tools.ok(work, podman(store, "pull", "-q", "oci:" + busybox + ":latest"));
        String id = Tools.ok(work, podman(store, "images", "-q")).lines().findFirst().orElseThrow().strip();
        Tools.ok(work, podman(store, "tag", id, image));
        Tools.ok(work, podman(store, "push", "--authfile=" + aliceAuth, "--tls-verify=false", image));

        Tools.Result wrong = run(podman(store, "login", "--authfile=" + bobAuth, "--tls-verify=false", "-u", "bob", "-p",
                "not-bobs-password", registry.hostPort()));
        assertThat(wrong.exitCode()).isNotZero();
        Tools.ok(work, podman(store, "login", "--authfile=" + bobAuth, "--tls-verify=false", "-u", "bob", "-p", BOB,
                registry.hostPort()));
        Tools.ok(work, podman(store, "rmi", "-a", "-f"));
        Tools.ok(work, podman(store, "pull", "--authfile=" + bobAuth, "--tls-verify=false", image));
        Tools.ok(work, podman(store, "tag", image, registry.hostPort() + "/lab/podman:bob"));
        Tools.Result push = run(podman(store, "push", "--authfile=" + bobAuth, "--tls-verify=false",
                registry.hostPort() + "/lab/podman:bob"));
        assertThat(push.exitCode()).isNotZero();
        assertThat(push.output()).containsIgnoringCase("denied");
    }

    @Test
    void buildahLogsInWithAPersonalTokenAndPushes() throws Exception {
        Path store = work.resolve("buildah");
        Path auth = work.resolve("buildah-auth.json");
        String[] prefix = {"buildah", "--root", store.resolve("root").toString(), "--runroot", store.resolve("run").toString(),
                "--storage-driver", "vfs"};
        Tools.ok(work, concat(prefix, "login", "--authfile=" + auth, "--tls-verify=false", "-u", "alice", "-p", pat,
                registry.hostPort()));
        Tools.ok(work, concat(prefix, "pull", "-q", "oci:" + busybox + ":latest"));
        String id = Tools.ok(work, concat(prefix, "images", "-q")).lines().findFirst().orElseThrow().strip();
        Tools.ok(work, concat(prefix, "push", "--authfile=" + auth, "--tls-verify=false", id,
                "docker://" + registry.hostPort() + "/pub/buildah:v1"));
        String token = registry.token(null, null, "repository:pub/buildah:pull");
        registry.api.withHeaders("Authorization", AuthRegistry.bearer(token)).pullAndVerify("pub/buildah", "v1");
    }

    @Test
    void tagMovesByPodmanAndSkopeoAreRecordedAndImmutableTagsRefuseBoth() throws Exception {
        registry.expect(201, "alice", ALICE, "POST", "projects", Map.of("name", "hist", "class", "private"));
        Path store = work.resolve("podman-hist");
        Path auth = work.resolve("hist-auth.json");
        Tools.ok(work, "skopeo", "login", "--authfile=" + auth, "--tls-verify=false", "-u", "alice", "-p", ALICE, registry.hostPort());
        Tools.ok(work, podman(store, "pull", "-q", "oci:" + busybox + ":latest"));
        String id = Tools.ok(work, podman(store, "images", "-q")).lines().findFirst().orElseThrow().strip();
        String latest = registry.hostPort() + "/hist/app:latest";
        Tools.ok(work, podman(store, "push", "--authfile=" + auth, "--tls-verify=false", "--format", "oci", id, latest));
        Tools.ok(work, withAuth(auth, "skopeo", "copy", "--dest-tls-verify=false", "--format", "v2s2",
                "oci:" + busybox + ":latest", "docker://" + latest));

        List<?> moves = (List<?>) ((Map<?, ?>) registry.expect(200, "alice", ALICE, "GET", "repositories/hist/app/history", null))
                .get("moves");
        assertThat(moves).hasSize(2);
        Map<?, ?> bySkopeo = (Map<?, ?>) moves.getFirst();
        Map<?, ?> byPodman = (Map<?, ?>) moves.get(1);
        assertThat(bySkopeo.get("from")).isEqualTo(byPodman.get("to"));
        assertThat(bySkopeo.get("actor")).isEqualTo("alice");
        assertThat((String) bySkopeo.get("client")).as("skopeo's User-Agent").containsIgnoringCase("skopeo");
        assertThat(byPodman.get("from")).isNull();
        assertThat((String) byPodman.get("client")).as("podman's User-Agent").isNotBlank();

        registry.expect(200, "alice", ALICE, "PUT", "projects/hist/immutable-tags", Map.of("patterns", List.of("v*")));
        String v1 = registry.hostPort() + "/hist/app:v1";
        Tools.ok(work, withAuth(auth, "skopeo", "copy", "--dest-tls-verify=false", "--format", "v2s2",
                "oci:" + busybox + ":latest", "docker://" + v1));
        Tools.Result byPodmanAgain = run(podman(store, "push", "--authfile=" + auth, "--tls-verify=false", "--format", "oci", id, v1));
        assertThat(byPodmanAgain.exitCode()).isNotZero();
        assertThat(byPodmanAgain.output()).contains("tag v1 of hist/app is immutable");
        Tools.Result bySkopeoAgain = run(withAuth(auth, "skopeo", "copy", "--dest-tls-verify=false", "--format", "oci",
                "oci:" + busybox + ":latest", "docker://" + v1));
        assertThat(bySkopeoAgain.exitCode()).isNotZero();
        assertThat(bySkopeoAgain.output()).contains("tag v1 of hist/app is immutable");
    }

    private static String[] podman(Path store, String... arguments) {
        return concat(new String[] {"podman", "--root", store.resolve("root").toString(), "--runroot",
                store.resolve("run").toString(), "--storage-driver", "vfs", "--events-backend=none"}, arguments);
    }

    private static String[] concat(String[] prefix, String... rest) {
        String[] all = new String[prefix.length + rest.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(rest, 0, all, prefix.length, rest.length);
        return all;
    }
}
