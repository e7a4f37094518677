package dev.berth.cli.runtime;

import dev.berth.cli.Berth;
import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import dev.berth.cli.commands.trust.RunPolicy;
import dev.berth.distribution.testing.Programs;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.RegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The execution policy as an ordinary user meets it: run, exec and shell start only what the
 * site's and the user's policies both accept; a signed-by scope wants a signature by its keys on
 * the digest (not on the tag: a tag moved after signing is refused); image files have their own
 * rule; a verified digest runs again with the registry gone; a user cannot loosen the site.
 */
class ExecutionPolicyTest {
    private static final String PASSWORD = "policy-key-password";

    private static UnprivilegedUser user;
    private static RegistryServer registry;
    private static String host;
    private static Path staffKey;

    @BeforeAll
    static void start() throws Exception {
        user = UnprivilegedUser.create();
        registry = RegistryServer.start(RegistryConfig.defaults(user.workspace().resolve("registry")).withListen("127.0.0.1", 0)
                .withAccessLog(false));
        host = "127.0.0.1:" + registry.port();
        Path layout = UmociImages.busybox(user.workspace().resolve("layout"), "1", 0);
        Programs.skopeoCopy("oci:" + layout + ":1", "docker://" + host + "/lab/app:1");
        Programs.skopeoCopy("oci:" + layout + ":1", "docker://" + host + "/other/app:1");
        staffKey = user.workspace().resolve("staff");
        Berth.process(user.workspace(), Map.of("BERTH_KEY_PASSWORD", PASSWORD), "key", "generate", "-o", staffKey.toString())
                .assertSuccess("berth key generate");
        Berth.process(user.workspace(), Map.of("BERTH_KEY_PASSWORD", PASSWORD), "key", "generate", "-o",
                user.workspace().resolve("other").toString()).assertSuccess("berth key generate");
        Tools.ok(user.workspace(), "chmod", "-R", "a+rX", user.workspace().toString());
        writeUserPolicy(labPolicy("rule = \"reject\""));
    }

    /** Signed images of the lab, nothing else; image files as {@code filesRule} says. */
    private static String labPolicy(String filesRule) {
        return String.join("\n",
                "default = \"reject\"",
                "[files]",
                filesRule,
                "[scope.\"" + host + "/lab\"]",
                "rule = \"signed-by\"",
                "keys = [\"" + staffKey + ".pub\"]", "");
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        user.sh(user.home(), "rm -rf ~/.config/berth/policy.toml ~/.cache/berth/verified");
        user.close();
    }

    private static void writeUserPolicy(String policy) throws Exception {
        Path staged = user.scratch().resolve("policy.toml");
        Files.writeString(staged, policy);
        Tools.ok(user.workspace(), "chmod", "a+r", staged.toString());
        user.sh(user.home(), "mkdir -p ~/.config/berth && cp " + staged + " ~/.config/berth/policy.toml").assertSuccess("policy");
    }

    private static Tools.Result as(String commandLine) {
        return user.sh(user.scratch().toString(), commandLine);
    }

    private static String refusal(Tools.Result result) {
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(1);
        String line = result.stderr().lines().filter(l -> l.startsWith("berth: ")).reduce((a, b) -> b).orElse("");
        assertThat(line).contains("the execution policy refuses to run");
        return line;
    }

    @Test
    void signedByScopesDefaultsFilesAndTheSitePolicy() throws Exception {
        String lab = host + "/lab/app:1";
        String userPolicy = user.home() + "/.config/berth/policy.toml";
        assertThat(refusal(as("berth exec " + lab + " sh -c true"))).containsPattern("run " + host + "/lab/app@sha256:[0-9a-f]{64}: rule "
                + "\"signed-by\" of scope \"" + host + "/lab\" \\(" + userPolicy + "\\): it has no signature");
        assertThat(refusal(as("berth run " + host + "/other/app:1 true")))
                .contains("rule \"reject\" of the default (" + userPolicy + "): images of this scope do not run here");

        Berth.process(user.workspace(), Map.of("BERTH_KEY_PASSWORD", PASSWORD), "sign", lab, "--key", staffKey + ".key")
                .assertSuccess("berth sign");
        assertThat(as("berth exec " + lab + " sh -c 'echo exec-ran'").assertSuccess("exec").stdout()).isEqualTo("exec-ran\n");
        assertThat(as("berth run " + lab + " sh -c 'echo run-ran'").assertSuccess("run").stdout()).isEqualTo("run-ran\n");
        assertThat(as("echo 'echo shell-ran' | berth shell " + lab).assertSuccess("shell").stdout()).contains("shell-ran");

        as("berth convert " + lab + " -o app.img").assertSuccess("convert");
        assertThat(refusal(as("berth exec ./app.img sh -c true"))).contains("rule \"reject\" of scope \"files\"")
                .contains("image files named by path do not run here");

        Path site = user.scratch().resolve("site-policy.toml");
        Files.writeString(site, "[scope.\"" + host + "/lab\"]\nrule = \"reject\"\n");
        Tools.ok(user.workspace(), "chmod", "a+r", site.toString());
        assertThat(refusal(as("JAVA_TOOL_OPTIONS=-D" + RunPolicy.SITE_PROPERTY + "=" + site + " berth exec " + lab + " sh -c true")))
                .contains("rule \"reject\" of scope \"" + host + "/lab\" (" + site + ")");
    }

    @Test
    void anImageFileRunsOfflineWhenTheSignatureItCarriesCoversItsContent() throws Exception {
        String image = host + "/lab/packed:1";
        Path layout = UmociImages.busybox(user.workspace().resolve("packed"), "1", 300);
        Programs.skopeoCopy("oci:" + layout + ":1", "docker://" + image);
        as("berth convert " + image + " -o signed.img && berth convert " + image + " -o unsigned.img").assertSuccess("convert");
        writeUserPolicy(labPolicy("rule = \"signed-by\"\nkeys = [\"" + staffKey + ".pub\"]"));
        try {
            assertThat(refusal(as("berth exec ./unsigned.img sh -c true"))).contains("rule \"signed-by\" of scope \"files\"")
                    .contains("it carries no signature");
            Tools.Result signed = as("BERTH_KEY_PASSWORD=" + PASSWORD + " berth sign ./signed.img --key " + staffKey + ".key")
                    .assertSuccess("sign the file");
            assertThat(signed.stdout()).contains("the signature is inside the file");
            assertThat(as("berth exec ./signed.img sh -c 'echo file-ran'").assertSuccess("run the signed file").stdout())
                    .isEqualTo("file-ran\n");
            assertThat(as("berth verify ./signed.img --key " + staffKey + ".pub").assertSuccess("verify").stdout())
                    .contains("signed by staff.pub");
            Tools.Result otherKey = as("berth verify ./signed.img --key " + user.workspace().resolve("other.pub"));
            assertThat(otherKey.exitCode()).isEqualTo(1);
            assertThat(otherKey.stderr()).contains("no valid signature by an accepted key covers the content of ./signed.img");

            as("cp signed.img tampered.img && printf X | dd of=tampered.img bs=1 seek=9000 conv=notrunc status=none")
                    .assertSuccess("tamper");
            assertThat(refusal(as("berth exec ./tampered.img sh -c true")))
                    .contains("no valid signature by an accepted key covers its content");
            assertThat(as("berth verify ./tampered.img --key " + staffKey + ".pub").stderr())
                    .contains("no valid signature by an accepted key covers the content");
            as("head -c -4 signed.img > truncated.img").assertSuccess("truncate the trailer");
            assertThat(refusal(as("berth exec ./truncated.img sh -c true"))).contains("it carries no signature");
        } finally {
            writeUserPolicy(labPolicy("rule = \"reject\""));
        }
    }

    @Test
    void aTagMovedAfterSigningIsRefused() throws Exception {
        String image = host + "/lab/moving:1";
        Path layout = UmociImages.busybox(user.workspace().resolve("moving"), "1", 100);
        Programs.skopeoCopy("oci:" + layout + ":1", "docker://" + image);
        Berth.process(user.workspace(), Map.of("BERTH_KEY_PASSWORD", PASSWORD), "sign", image, "--key", staffKey + ".key")
                .assertSuccess("berth sign");
        as("berth exec " + image + " sh -c true").assertSuccess("first run");

        Path other = UmociImages.busybox(user.workspace().resolve("moved"), "1", 5000);
        Programs.skopeoCopy("oci:" + other + ":1", "docker://" + image);
        as("berth pull " + image).assertSuccess("pull the moved tag");
        assertThat(refusal(as("berth exec " + image + " sh -c true"))).contains("it has no signature");
    }

    @Test
    void aVerifiedDigestRunsAgainWithItsRegistryGone() throws Exception {
        RegistryServer gone = RegistryServer.start(RegistryConfig.defaults(user.workspace().resolve("gone"))
                .withListen("127.0.0.1", 0).withAccessLog(false));
        boolean stopped = false;
        try {
            String address = "127.0.0.1:" + gone.port();
            writeUserPolicy(labPolicy("rule = \"reject\"") + String.join("\n",
                    "[scope.\"" + address + "\"]", "rule = \"signed-by\"", "keys = [\"" + staffKey + ".pub\"]", ""));
            Path layout = UmociImages.busybox(user.workspace().resolve("offline"), "1", 200);
            String image = address + "/tools/app:1";
            Programs.skopeoCopy("oci:" + layout + ":1", "docker://" + image);
            Berth.process(user.workspace(), Map.of("BERTH_KEY_PASSWORD", PASSWORD), "sign", image, "--key", staffKey + ".key")
                    .assertSuccess("berth sign");
            as("berth exec " + image + " sh -c true").assertSuccess("run while the registry is up");
            gone.close();
            stopped = true;
            assertThat(as("berth exec " + image + " sh -c 'echo offline-ran'").assertSuccess("run with the registry gone")
                    .stdout()).isEqualTo("offline-ran\n");
        } finally {
            if (!stopped) {
                gone.close();
            }
        }
    }
}
