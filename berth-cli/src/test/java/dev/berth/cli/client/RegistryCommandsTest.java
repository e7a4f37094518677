package dev.berth.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Berth;
import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import dev.berth.distribution.testing.DockerRegistry;
import dev.berth.distribution.testing.Programs;
import dev.berth.distribution.testing.TestImages;
import dev.berth.oci.Json;
import dev.berth.oci.Platform;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.layout.OciLayoutWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * berth pull, push, copy, login and logout as users type them, against docker-registry with
 * htpasswd; podman and skopeo read what berth login writes, and berth reads what podman login writes.
 */
class RegistryCommandsTest {
    private static final String USER = "rse";
    private static final String PASSWORD = "correct-horse-battery";

    @TempDir
    static Path shared;
    static DockerRegistry registry;
    static Path seed;

    @TempDir
    Path work;

    @BeforeAll
    static void startRegistry() throws Exception {
        Path htpasswd = Programs.htpasswd(shared.resolve("htpasswd"), USER, PASSWORD);
        registry = DockerRegistry.builder(shared.resolve("registry")).htpasswd(htpasswd).start();
        seed = UmociImages.busybox(shared.resolve("seed"), "1", 300_000);
        Programs.skopeoCopy("oci:" + seed + ":1", "docker://" + registry.host() + "/tools/busybox:1",
                "--dest-creds", USER + ":" + PASSWORD);
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private Tools.Result withStdin(String input, Berth berth, String... args) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return berth.run(args);
        } finally {
            System.setIn(original);
        }
    }

    @Test
    void inspectReadsAnImageInItsRegistryWithoutPullingIt() throws Exception {
        Berth berth = new Berth(work.resolve("data"));
        Path authFile = work.resolve("auth.json");
        withStdin(PASSWORD + "\n", berth, "login", "--authfile", authFile.toString(), "-u", USER, "--password-stdin",
                registry.host()).assertSuccess("berth login");
        String image = registry.host() + "/tools/busybox:1";
        JsonNode shown = Json.tree(berth.ok("inspect", "docker://" + image, "--authfile", authFile.toString()).stdout()
                .getBytes(StandardCharsets.UTF_8), "inspect");
        assertThat(shown.path("digest").asText()).isEqualTo(Programs.skopeoDigest("docker://" + image, "--creds",
                USER + ":" + PASSWORD).toString());
        assertThat(shown.path("config").path("architecture").asText()).isNotEmpty();
        assertThat(shown.path("layers")).isNotEmpty();
        assertThat(berth.ok("images").stdout()).doesNotContain("tools/busybox");
        Tools.Result missing = berth.run("inspect", "docker://" + registry.host() + "/tools/absent:1", "--authfile", authFile.toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("tools/absent:1");
    }

    @Test
    void loginWritesCredentialsThatSkopeoAndPodmanUse() throws Exception {
        Berth berth = new Berth(work.resolve("data"));
        Path authFile = work.resolve("docker/config.json");

        Tools.Result login = withStdin(PASSWORD + "\n", berth, "login", "--authfile", authFile.toString(),
                "-u", USER, "--password-stdin", registry.host());

        login.assertSuccess("berth login");
        assertThat(login.stdout()).contains("Login Succeeded");
        assertThat(Files.getPosixFilePermissions(authFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Programs.check("skopeo", "inspect", "--tls-verify=false", "--authfile", authFile.toString(),
                "docker://" + registry.host() + "/tools/busybox:1");
        Programs.check("podman", "--root", work.resolve("podman-root").toString(), "--runroot",
                work.resolve("podman-run").toString(), "--storage-driver", "vfs", "pull", "--tls-verify=false",
                "--authfile", authFile.toString(), registry.host() + "/tools/busybox:1");

        berth.ok("pull", "--authfile", authFile.toString(), registry.host() + "/tools/busybox:1");
        berth.ok("logout", "--authfile", authFile.toString(), registry.host());
        Tools.Result again = berth.run("pull", "--authfile", authFile.toString(), registry.host() + "/tools/busybox:1");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("berth login " + registry.host());
    }

    @Test
    void anUnknownHostIsNamedAtOnceInsteadOfRetried() {
        Berth berth = new Berth(work.resolve("data"));
        Tools.Result pulled = berth.run("pull", "registry.berth.invalid/lab/tool:1");
        assertThat(pulled.exitCode()).isEqualTo(1);
        assertThat(pulled.stderr().strip()).startsWith("berth: cannot reach registry.berth.invalid: its name does not resolve (")
                .endsWith("); check its spelling").doesNotContain("gave up").satisfies(text -> assertThat(text.lines()).hasSize(1));
    }

    @Test
    void berthUsesWhatPodmanLoginWrote() throws Exception {
        Path authFile = work.resolve("containers/auth.json");
        Programs.check("podman", "login", "--tls-verify=false", "--authfile", authFile.toString(),
                "-u", USER, "-p", PASSWORD, registry.host());
        Berth berth = new Berth(work.resolve("data"));

        Tools.Result pulled = berth.ok("pull", "-q", "--authfile", authFile.toString(), registry.host() + "/tools/busybox:1");

        assertThat(pulled.stdout().strip()).matches("sha256:[0-9a-f]{64}");
        assertThat(berth.ok("images").stdout()).contains(registry.host() + "/tools/busybox");

        JsonNode again = Json.tree(berth.ok("pull", "--json", "--authfile", authFile.toString(), registry.host() + "/tools/busybox:1")
                .stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8), "pull --json");
        assertThat(again.get("digest").asText()).isEqualTo(pulled.stdout().strip());
        assertThat(again.get("source").asText()).isEqualTo("docker://" + registry.host() + "/tools/busybox:1");
        assertThat(again.get("name").asText()).isEqualTo(registry.host() + "/tools/busybox:1");
    }

    @Test
    void aCredentialHelperNamedInTheConfigStoresAndServesTheSecret() throws Exception {
        // A docker-credential-* helper that keeps its one secret in a file next to it.
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path helper = bin.resolve("docker-credential-berthtest");
        Path secrets = work.resolve("helper-secret.json");
        Files.writeString(helper, """
                #!/bin/sh
                store=%s
                case "$1" in
                  store) cat > "$store" ;;
                  get) read server; [ -f "$store" ] || { echo "credentials not found in native keychain"; exit 1; }
                       cat "$store" ;;
                  erase) rm -f "$store" ;;
                esac
                """.formatted(secrets));
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        Path dockerDir = Files.createDirectories(work.resolve("docker"));
        Files.writeString(dockerDir.resolve("config.json"), "{\"credsStore\": \"berthtest\"}");
        Map<String, String> environment = Map.of("PATH", bin + ":" + System.getenv("PATH"),
                "DOCKER_CONFIG", dockerDir.toString(), "REGISTRY_AUTH_FILE", work.resolve("none.json").toString(),
                "BERTH_DATA_DIR", work.resolve("data").toString());
        Path passwordFile = Files.writeString(work.resolve("password"), PASSWORD + "\n");

        Tools.Result login = Tools.run(work, environment, List.of("sh", "-c",
                berthCommand() + " login -u " + USER + " --password-stdin " + registry.host() + " < " + passwordFile));
        login.assertSuccess("berth login with a credential helper");
        assertThat(login.stdout()).contains("docker-credential-berthtest");
        assertThat(Files.readString(dockerDir.resolve("config.json"))).doesNotContain(PASSWORD);
        assertThat(Files.readString(secrets)).contains(PASSWORD);

        Berth.process(work, environment, "pull", "-q", registry.host() + "/tools/busybox:1").assertSuccess("berth pull");
        Berth.process(work, environment, "logout", registry.host()).assertSuccess("berth logout");
        assertThat(secrets).doesNotExist();
    }

    /** The java command line that runs this build's berth, for a shell. */
    private static String berthCommand() {
        return "'" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '" + System.getProperty("java.class.path")
                + "' " + dev.berth.cli.Main.class.getName();
    }

    @Test
    void aWrongPasswordFailsTheLoginAndIsNeitherShownNorSaved() {
        Berth berth = new Berth(work.resolve("data"));
        Path authFile = work.resolve("config.json");

        Tools.Result login = withStdin("hunter2\n", berth, "login", "--authfile", authFile.toString(),
                "-u", USER, "--password-stdin", registry.host());

        assertThat(login.exitCode()).isEqualTo(1);
        assertThat(login.stderr()).contains("rejected the user name or password").doesNotContain("hunter2");
        assertThat(authFile).doesNotExist();
        assertThat(berth.run("logout", "--authfile", authFile.toString(), registry.host()).stderr())
                .contains("not logged in to " + registry.host());
    }

    @Test
    void pushPullAndCopyReportWhatTheyMoved() throws Exception {
        Path authFile = work.resolve("config.json");
        withStdin(PASSWORD + "\n", new Berth(work.resolve("data")), "login", "--authfile", authFile.toString(),
                "-u", USER, "--password-stdin", registry.host()).assertSuccess("berth login");
        Berth berth = new Berth(work.resolve("data"));
        String auth = authFile.toString();

        berth.ok("copy", "oci:" + seed + ":1", "berth:localhost/mine:1");
        Tools.Result push = berth.ok("push", "--authfile", auth, "localhost/mine:1", registry.host() + "/team/mine:1");
        assertThat(push.stdout()).contains("Pushed " + registry.host() + "/team/mine:1 (sha256:");

        Tools.Result secondPush = berth.ok("push", "--authfile", auth, "localhost/mine:1", registry.host() + "/team/mine:2");
        assertThat(secondPush.stdout()).contains("Already exists").doesNotContain(": Pushing");

        Berth fresh = new Berth(work.resolve("fresh"));
        Tools.Result pull = fresh.ok("pull", "--authfile", auth, registry.host() + "/team/mine:1");
        assertThat(pull.stdout()).contains(": Downloaded").contains("Pulled " + registry.host() + "/team/mine:1");
        Tools.Result quiet = fresh.ok("pull", "-q", "--authfile", auth, registry.host() + "/team/mine:2");
        assertThat(quiet.stdout().strip()).matches("sha256:[0-9a-f]{64}");

        Path out = work.resolve("out");
        fresh.ok("copy", "--authfile", auth, "docker://" + registry.host() + "/team/mine:1", "oci:" + out + ":copied");
        Tools.ok(work, "umoci", "stat", "--image", out + ":copied");
    }

    @Test
    void aPlatformTheIndexLacksIsAnErrorListingThoseItHas() throws Exception {
        Path layoutDir = work.resolve("multi");
        OciLayoutWriter layout = OciLayoutWriter.create(layoutDir);
        Platform amd64 = Platform.of("linux", "amd64", null);
        Platform arm64 = Platform.of("linux", "arm64", "v8");
        ManifestBytes index = TestImages.index(layout, List.of(TestImages.image(layout, amd64, 1, 1000),
                TestImages.image(layout, arm64, 2, 1000)), List.of(amd64, arm64));
        TestImages.tagAndCommit(layout, "multi", index);
        Programs.skopeoCopy("oci:" + layoutDir + ":multi", "docker://" + registry.host() + "/tools/multi:1",
                "--dest-creds", USER + ":" + PASSWORD);
        Berth berth = new Berth(work.resolve("data"));
        Path authFile = work.resolve("config.json");
        withStdin(PASSWORD + "\n", berth, "login", "--authfile", authFile.toString(),
                "-u", USER, "--password-stdin", registry.host()).assertSuccess("berth login");

        Tools.Result pull = berth.run("pull", "--authfile", authFile.toString(), "--platform", "linux/riscv64",
                registry.host() + "/tools/multi:1");

        assertThat(pull.exitCode()).isEqualTo(1);
        assertThat(pull.stderr()).contains("no image for platform linux/riscv64").contains("linux/amd64, linux/arm64/v8");
        berth.ok("pull", "--authfile", authFile.toString(), "--platform", "linux/arm64", registry.host() + "/tools/multi:1");
    }
}
