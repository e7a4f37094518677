package dev.berth.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Berth;
import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import dev.berth.distribution.testing.Programs;
import dev.berth.oci.Json;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.RegistryServer;
import dev.berth.registry.access.AccessConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access commands as an admin and a researcher type them against a real {@code berth serve}
 * with accounts: what they change is judged by skopeo pushing and pulling with the same logins.
 */
class AccessCommandsTest {
    private static final String PASSWORD = "a-long-enough-password";

    @TempDir
    static Path shared;
    static RegistryServer registry;
    static String adminPassword;
    static Path seed;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        registry = RegistryServer.start(RegistryConfig.defaults(shared.resolve("registry")).withListen("127.0.0.1", 0)
                        .withAccessLog(false).withAuth(AccessConfig.defaults()),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        adminPassword = console.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("admin password: "))
                .findFirst().orElseThrow().substring("admin password: ".length());
        seed = UmociImages.busybox(shared.resolve("seed"), "1", 100_000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void anAdminsUsersProjectsAndMembersDecideWhoMayPush() throws Exception {
        Login admin = login("admin", adminPassword);
        Tools.Result added = admin.typing(PASSWORD + "\n", "user", "add", "carol", "--password-stdin");
        added.assertSuccess("berth user add");
        assertThat(added.stdout()).contains("Added user carol");
        login("carol", PASSWORD);
        assertThat(admin.ok("user", "list").stdout()).containsPattern("(?m)^carol\\s+false\\s+false$");

        assertThat(admin.ok("project", "create", "lab", "--class", "private").stdout())
                .contains("Created project lab (private)");
        assertThat(admin.ok("project", "list").stdout()).containsPattern("(?m)^lab\\s+private$");
        JsonNode listed = Json.mapper().readTree(admin.ok("project", "list", "--json").stdout());
        assertThat(listed.findValuesAsText("name")).contains("lab");
        admin.ok("project", "set", "lab", "--class", "internal");
        assertThat(admin.ok("project", "show", "lab").stdout()).containsPattern("(?m)^Class:\\s+internal$");

        assertThat(push("carol", PASSWORD, "lab/tool:1").exitCode()).isNotZero();
        admin.ok("project", "member", "add", "lab", "carol", "--role", "developer");
        assertThat(admin.ok("project", "member", "list", "lab").stdout()).containsPattern("(?m)^carol\\s+user\\s+developer$");
        Programs.Result allowed = push("carol", PASSWORD, "lab/tool:1");
        assertThat(allowed.exitCode()).as(allowed.errors()).isZero();
        admin.ok("project", "member", "rm", "lab", "carol");
        assertThat(admin.ok("project", "member", "list", "lab").stdout()).doesNotContain("carol");
        assertThat(push("carol", PASSWORD, "lab/tool:2").exitCode()).isNotZero();

        String audit = admin.ok("registry", "audit", "--since", "1h").stdout();
        assertThat(audit).containsPattern("(?m)^\\S+\\s+admin\\s+\\S+\\s+account-created\\s+carol\\s+success$")
                .contains("member-set", "member-removed", "class-changed");
        List<JsonNode> events = new ArrayList<>();
        for (String line : admin.ok("registry", "audit", "--json").stdout().lines().toList()) {
            events.add(Json.mapper().readTree(line));
        }
        assertThat(events).extracting(event -> event.path("event").asText()).contains("project-created", "member-set");
        String aboutLab = admin.ok("registry", "audit", "--project", "lab").stdout();
        assertThat(aboutLab).contains("member-set").doesNotContain("account-created");
    }

    @Test
    void aRestrictedProjectShowsItsConditionsAndAnEmptyProjectCanBeDeleted() throws Exception {
        Login admin = login("admin", adminPassword);
        admin.ok("project", "create", "scratch", "--class", "private");
        admin.ok("project", "set", "scratch", "--class", "restricted", "--groups", "physics,chemistry",
                "--networks", "10.0.0.0/8");
        assertThat(admin.ok("project", "show", "scratch").stdout()).containsPattern("(?m)^Class:\\s+restricted$")
                .containsPattern("(?m)^Groups:\\s+physics,chemistry$").containsPattern("(?m)^Networks:\\s+10.0.0.0/8$");
        assertThat(admin.ok("project", "delete", "scratch").stdout()).contains("Deleted project scratch");
        assertOneLineError(admin.berth("project", "show", "scratch"), "project scratch does not exist");
    }

    @Test
    void aPersonalTokenLogsSkopeoInUntilItIsRevoked() throws Exception {
        Login admin = login("admin", adminPassword);
        Tools.Result created = admin.ok("token", "create", "laptop", "--expires", "1d");
        String token = created.stdout().lines().toList().get(1);
        assertThat(token).startsWith("berth_pat_");
        assertThat(skopeoLogin("admin", token).exitCode()).isZero();

        JsonNode tokens = Json.mapper().readTree(admin.ok("token", "list", "--json").stdout());
        String id = null;
        for (JsonNode listed : tokens) {
            if (listed.path("name").asText().equals("laptop")) {
                id = listed.path("id").asText();
            }
        }
        assertThat(id).isNotNull();
        assertThat(admin.ok("token", "list").stdout()).containsPattern("(?m)^" + id + "\\s+laptop\\s+all\\s");
        admin.ok("token", "revoke", id);
        assertThat(skopeoLogin("admin", token).exitCode()).isNotZero();
    }

    @Test
    void aRobotsTokenPullsUntilTheRobotIsRemoved() throws Exception {
        Login admin = login("admin", adminPassword);
        admin.ok("project", "create", "ci", "--class", "private");
        Programs.Result pushed = push("admin", adminPassword, "ci/app:1");
        assertThat(pushed.exitCode()).as(pushed.errors()).isZero();

        Tools.Result created = admin.ok("robot", "create", "ci", "builder", "--scope", "ci/*:pull", "--expires", "1d");
        String token = created.stdout().lines().toList().get(1);
        assertThat(pull("ci+builder", token, "ci/app:1").exitCode()).isZero();
        assertThat(admin.ok("robot", "list", "ci").stdout()).containsPattern("(?m)^ci\\+builder\\s+ci/\\*:pull\\s");
        admin.ok("robot", "rm", "ci", "builder");
        assertThat(pull("ci+builder", token, "ci/app:1").exitCode()).isNotZero();
    }

    @Test
    void mistakesAndMissingRightsAreOneLineErrors() throws Exception {
        Login admin = login("admin", adminPassword);
        assertOneLineError(admin.berth("project", "show", "nosuch"), "berth: project nosuch does not exist or you may not see it");

        admin.typing(PASSWORD + "\n", "user", "add", "dave", "--password-stdin").assertSuccess("berth user add");
        Login dave = login("dave", PASSWORD);
        assertOneLineError(dave.typing(PASSWORD + "\n", "user", "add", "eve", "--password-stdin"),
                "berth: this needs a site admin; dave is not one");

        String other = "127.0.0.1:1";
        String withTwo = Files.readString(admin.authFile())
                .replaceFirst("\"auths\"\\s*:\\s*\\{", "\"auths\": {\"" + other + "\": {\"auth\": \"eDp5\"},");
        Files.writeString(admin.authFile(), withTwo);
        Tools.Result ambiguous = new Berth(work.resolve("data")).run("project", "list", "--authfile", admin.authFile().toString());
        assertOneLineError(ambiguous, "pass --registry HOST");
        assertThat(ambiguous.stderr()).contains(host(), other);
    }

    @Test
    void withOneSavedLoginTheRegistryNeedNotBeNamed() throws Exception {
        Login admin = login("admin", adminPassword);
        Path dockerConfig = Files.createDirectories(work.resolve("docker"));
        Tools.Result listed = Berth.process(work, Map.of("REGISTRY_AUTH_FILE", admin.authFile().toString(),
                        "DOCKER_CONFIG", dockerConfig.toString(), "BERTH_DATA_DIR", work.resolve("data").toString()),
                "user", "list");
        assertThat(listed.exitCode()).as(listed.stderr()).isZero();
        assertThat(listed.stdout()).containsPattern("(?m)^admin\\s+true\\s+false$");
    }

    @Test
    void aRepositoryHasItsOwnClassAndALicenceThatUsersAcceptBeforeTheyPull() throws Exception {
        Login admin = login("admin", adminPassword);
        admin.ok("project", "create", "optics", "--class", "internal");
        assertThat(push("admin", adminPassword, "optics/raytrace:1").exitCode()).isZero();
        String repository = host() + "/optics/raytrace";

        admin.okOn("repository", "set", repository, "--class", "private");
        assertThat(admin.okOn("repository", "show", repository).stdout())
                .containsPattern("(?m)^Class:\\s+private \\(its own\\)$");
        admin.okOn("repository", "set", repository, "--inherit");
        assertThat(admin.okOn("repository", "show", repository).stdout())
                .containsPattern("(?m)^Class:\\s+the project's$");

        Path licence = Files.writeString(work.resolve("LICENCE.txt"), "Academic use only; cite the optics group.\n");
        admin.okOn("repository", "set", repository, "--licence", "LicenseRef-Optics-Academic", "--licence-file", licence.toString());
        JsonNode settings = Json.mapper().readTree(admin.okOn("repository", "show", repository, "--json").stdout());
        assertThat(settings.path("licence").path("spdx").asText()).isEqualTo("LicenseRef-Optics-Academic");

        admin.typing(PASSWORD + "\n", "user", "add", "frank", "--password-stdin").assertSuccess("berth user add");
        Login frank = login("frank", PASSWORD);
        assertThat(pull("frank", PASSWORD, "optics/raytrace:1").exitCode()).isNotZero();
        String shown = frank.okOn("licence", "show", repository + ":1").stdout();
        assertThat(shown).contains("LicenseRef-Optics-Academic", "Academic use only; cite the optics group.")
                .containsPattern("(?m)^Accepted:\\s+no ");
        assertThat(frank.okOn("licence", "accept", repository + ":1").stdout())
                .startsWith("Accepted LicenseRef-Optics-Academic (sha256:");
        assertThat(frank.okOn("licence", "show", repository).stdout()).containsPattern("(?m)^Accepted:\\s+yes, ");
        Programs.Result pulled = pull("frank", PASSWORD, "optics/raytrace:1");
        assertThat(pulled.exitCode()).as(pulled.errors()).isZero();
    }

    @Test
    void tagsShowEveryMoveATagCanBeRestoredAndImmutableTagsRefuseBerthsPush() throws Exception {
        Login admin = login("admin", adminPassword);
        admin.ok("project", "create", "versions", "--class", "private");
        String repository = host() + "/versions/app";
        assertThat(push("admin", adminPassword, "versions/app:latest").exitCode()).isZero();
        Programs.Result converted = Programs.run(List.of("skopeo", "copy", "--dest-tls-verify=false", "--format", "v2s2",
                "--dest-creds", "admin:" + adminPassword, "oci:" + seed + ":1", "docker://" + repository + ":latest"), null, Map.of());
        assertThat(converted.exitCode()).as(converted.errors()).isZero();

        JsonNode moves = Json.mapper().readTree(admin.okOn("tags", repository + ":latest", "--history", "--json").stdout()).path("moves");
        assertThat(moves).hasSize(2);
        String first = moves.get(1).path("to").asText();
        String second = moves.get(0).path("to").asText();
        assertThat(moves.get(0).path("from").asText()).isEqualTo(first);
        assertThat(admin.okOn("tags", repository + ":latest", "--history").stdout())
                .containsPattern("(?m)^\\S+\\s+latest\\s+" + first + "\\s+" + second + "\\s+admin\\s+127\\.0\\.0\\.1\\s+skopeo")
                .containsPattern("(?m)^\\S+\\s+latest\\s+-\\s+" + first + "\\s+admin\\s");

        assertThat(admin.okOn("tag", "--restore", repository + ":latest@" + first).stdout())
                .contains("versions/app:latest now points at " + first + " (was " + second + ")");
        assertThat(admin.okOn("tags", repository).stdout()).containsPattern("(?m)^latest\\s+" + first + "\\s+untrusted$");
        assertThat(admin.okOn("tag", "--restore", repository + ":latest@" + java.time.Instant.now()).stdout()).contains("already points at " + first);
        assertOneLineError(admin.client().run("tag", "--restore", repository + ":latest@30d", "--authfile", admin.authFile().toString()),
                "tag latest of versions/app pointed at nothing at");

        assertThat(admin.ok("project", "set", "versions", "--immutable-tags", "v*,release-?").stdout())
                .contains("Immutable tags of project versions: v*,release-?");
        assertThat(admin.ok("project", "show", "versions").stdout()).containsPattern("(?m)^Immutable tags: v\\*,release-\\?$");
        admin.okOn("copy", "oci:" + seed + ":1", "docker://" + repository + ":v1");
        Path other = UmociImages.busybox(work.resolve("other"), "1", 1000);
        assertOneLineError(admin.client().run("copy", "oci:" + other + ":1", "docker://" + repository + ":v1", "--authfile",
                admin.authFile().toString()), "tag v1 of versions/app is immutable (project versions, rule \"v*\")");
        assertOneLineError(admin.client().run("tag", "--restore", repository + ":v1@" + second, "--authfile",
                admin.authFile().toString()), "tag v1 of versions/app is immutable");
    }

    @Test
    void aTrustedProjectsStaffKeysDecideWhichImagesAreTrusted() throws Exception {
        Login admin = login("admin", adminPassword);
        admin.ok("project", "create", "facility", "--class", "internal");
        assertThat(admin.ok("project", "set", "facility", "--trusted", "true").stdout()).contains("is now internal, trusted");
        assertThat(admin.ok("project", "show", "facility").stdout()).containsPattern("(?m)^Trusted:\\s+yes");
        String image = host() + "/facility/solver:1";
        assertThat(push("admin", adminPassword, "facility/solver:1").exitCode()).isZero();

        Map<String, String> password = Map.of("BERTH_KEY_PASSWORD", PASSWORD);
        Berth.process(work, password, "key", "generate", "-o", work.resolve("staff").toString()).assertSuccess("key generate");
        assertThat(admin.ok("project", "key", "add", "facility", work.resolve("staff.pub").toString()).stdout())
                .contains("Project facility: staff key staff (sha256:");
        assertThat(admin.ok("project", "key", "list", "facility").stdout()).containsPattern("(?m)^staff\\s+sha256:\\S+\\s+admin\\s");
        assertThat(admin.okOn("tags", host() + "/facility/solver").stdout()).containsPattern("(?m)^1\\s+sha256:\\S+\\s+untrusted$");
        assertOneLineError(admin.client().run("verify", image, "--trusted", "--authfile", admin.authFile().toString()),
                "no signature for");

        Berth.process(work, password, "sign", image, "--key", work.resolve("staff.key").toString(), "--authfile",
                admin.authFile().toString()).assertSuccess("berth sign");
        assertThat(admin.okOn("tags", host() + "/facility/solver").stdout())
                .containsPattern("(?m)^1\\s+sha256:\\S+\\s+trusted \\(signed by staff\\)$");
        assertThat(admin.okOn("verify", image, "--trusted").stdout()).contains("signed by facility/staff (sha256:");
        JsonNode inspected = Json.mapper().readTree(admin.okOn("inspect", "docker://" + image).stdout());
        assertThat(inspected.path("trust").path("trusted").asBoolean()).isTrue();
        assertThat(inspected.path("trust").path("signers").path(0).path("key").asText()).isEqualTo("staff");

        admin.ok("project", "key", "rm", "facility", "staff");
        assertThat(admin.okOn("tags", host() + "/facility/solver").stdout()).containsPattern("(?m)^1\\s+sha256:\\S+\\s+untrusted$");
        assertThat(Json.mapper().readTree(admin.okOn("inspect", "docker://" + image).stdout()).path("trust").path("trusted")
                .asBoolean(true)).isFalse();
        assertOneLineError(admin.client().run("verify", image, "--trusted", "--authfile", admin.authFile().toString()),
                "trusted project facility on " + host() + " lists no staff keys");
    }

    /** Someone logged in with berth login, their credentials in a file of their own. */
    private record Login(Path authFile, Berth client) {
        Tools.Result berth(String... args) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--registry", host(), "--authfile", authFile.toString()));
            return client.run(all.toArray(String[]::new));
        }

        Tools.Result ok(String... args) {
            return berth(args).assertSuccess("berth " + String.join(" ", args));
        }

        /** For the commands whose HOST/REPO argument names the registry. */
        Tools.Result okOn(String... args) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--authfile", authFile.toString()));
            return client.run(all.toArray(String[]::new)).assertSuccess("berth " + String.join(" ", args));
        }

        Tools.Result typing(String input, String... args) {
            return withStdin(input, () -> berth(args));
        }
    }

    private Login login(String user, String password) {
        Path authFile = work.resolve(user + ".json");
        Berth berth = new Berth(work.resolve("data"));
        Tools.Result login = withStdin(password + "\n", () -> berth.run("login", "--authfile", authFile.toString(),
                "-u", user, "--password-stdin", host()));
        login.assertSuccess("berth login as " + user);
        return new Login(authFile, berth);
    }

    private static Tools.Result withStdin(String input, java.util.function.Supplier<Tools.Result> command) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return command.get();
        } finally {
            System.setIn(original);
        }
    }

    private static void assertOneLineError(Tools.Result result, String expected) {
        assertThat(result.exitCode()).as(result.stdout()).isNotZero();
        assertThat(result.stderr().strip()).doesNotContain("\n").contains(expected);
    }

    private Programs.Result push(String user, String password, String repository) throws Exception {
        return Programs.run(List.of("skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", user + ":" + password,
                "oci:" + seed + ":1", "docker://" + host() + "/" + repository), null, Map.of());
    }

    private Programs.Result pull(String user, String password, String repository) throws Exception {
        return Programs.run(List.of("skopeo", "copy", "--src-tls-verify=false", "--src-creds", user + ":" + password,
                "docker://" + host() + "/" + repository, "oci:" + work.resolve("pulled") + ":1"), null, Map.of());
    }

    private Programs.Result skopeoLogin(String user, String secret) throws Exception {
        return Programs.run(List.of("skopeo", "login", "--tls-verify=false", "--authfile", work.resolve("skopeo.json").toString(),
                "-u", user, "--password-stdin", host()), secret + "\n", Map.of());
    }

    private static String host() {
        return "127.0.0.1:" + registry.port();
    }
}
