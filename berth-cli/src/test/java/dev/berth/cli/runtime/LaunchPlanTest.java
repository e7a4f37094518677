package dev.berth.cli.runtime;

import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run prepared before starts again from its launch plan, without a JVM, and only while
 * nothing it depends on changed. The JVM starts are counted through a JDK whose java logs each
 * start before it runs the real one.
 */
class LaunchPlanTest {
    private static final String IMAGE = "plan:1";
    private static UnprivilegedUser user;
    private static String home;
    private static Path jvmLog;
    private static String withCountingJdk;

    @BeforeAll
    static void createUserImageAndCountingJdk() throws Exception {
        user = UnprivilegedUser.create();
        home = user.home();
        Path layout = user.workspace().resolve("layout");
        UmociImages.busybox(layout, "test", 0);
        Tools.ok(user.workspace(), "umoci", "config", "--image", layout + ":test", "--config.cmd", "busybox", "--config.cmd", "true");
        Path jdk = user.workspace().resolve("counting-jdk");
        Files.createDirectories(jdk.resolve("bin"));
        Path realJava = Path.of(System.getProperty("java.home"));
        Files.copy(realJava.resolve("release"), jdk.resolve("release"));
        jvmLog = user.scratch().resolve("jvm-starts");
        Files.writeString(jdk.resolve("bin/java"), "#!/bin/sh\necho started >> " + jvmLog + "\nexec " + realJava.resolve("bin/java")
                + " \"$@\"\n");
        Tools.ok(user.workspace(), "chmod", "-R", "a+rX", user.workspace().toString());
        Tools.ok(user.workspace(), "chmod", "a+x", jdk.resolve("bin/java").toString());
        withCountingJdk = "JAVA_HOME=" + jdk + " ";
        ok("berth rmi " + IMAGE + " >/dev/null 2>&1; berth import " + layout + " --name " + IMAGE);
        ok("berth tag " + IMAGE + " plan:other && berth exec plan:other busybox true");
    }

    @AfterAll
    static void removeWorkspace() {
        user.close();
    }

    @BeforeEach
    void forgetPlansAndStarts() {
        ok("rm -rf /tmp/berth-" + user.uid() + "/launch " + jvmLog);
    }

    private static Tools.Result ok(String commandLine) {
        return user.sh(home, commandLine).assertSuccess(commandLine);
    }

    /** Runs {@code command} through the counting JDK; returns its output and how many JVMs it started. */
    private static Run counted(String command) throws Exception {
        ok(": > " + jvmLog);
        Tools.Result result = user.sh(home, withCountingJdk + command);
        long jvms = Files.readAllLines(jvmLog).size();
        return new Run(result, jvms);
    }

    private record Run(Tools.Result result, long jvms) {
    }

    @Test
    void theSecondSameRunStartsWithoutAJvmAndGetsEachTasksOwnVariables() throws Exception {
        String command = "berth exec " + IMAGE + " sh -c 'echo task=$SLURM_PROCID rank=$PMIX_RANK keep=$KEEP; exit 7'";
        Run first = counted("SLURM_PROCID=0 PMIX_RANK=0 KEEP=a " + command);
        assertThat(first.result().exitCode()).isEqualTo(7);
        assertThat(first.result().stdout()).isEqualTo("task=0 rank=0 keep=a\n");
        assertThat(first.jvms()).as("JVMs of the first run").isEqualTo(1);

        Run second = counted("SLURM_PROCID=1 PMIX_RANK=5 KEEP=a " + command);
        assertThat(second.result().stdout()).isEqualTo("task=1 rank=5 keep=a\n");
        assertThat(second.result().exitCode()).isEqualTo(7);
        assertThat(second.jvms()).as("JVMs of the same run again").isZero();

        Run otherVariable = counted("SLURM_PROCID=1 PMIX_RANK=5 KEEP=b " + command);
        assertThat(otherVariable.result().stdout()).isEqualTo("task=1 rank=5 keep=b\n");
        assertThat(otherVariable.jvms()).as("JVMs when a variable the run reads differs").isEqualTo(1);

        assertThat(ok("ls /tmp/berth-" + user.uid() + "/runs/").stdout()).as("run directories after the runs").isEmpty();
        assertThat(ok("ls .cache/berth/sandboxes").stdout()).as("the cache's entries").doesNotContain("held-by");
    }

    @Test
    void aPlanIsStaleOnceTheNameMovesThePolicyAppearsOrTheTreeChanges() throws Exception {
        String command = "berth run plan:moving";
        ok("berth tag " + IMAGE + " plan:moving");
        assertThat(counted(command).jvms()).isEqualTo(1);
        assertThat(counted(command).jvms()).isZero();

        ok("berth tag plan:other plan:moving");
        assertThat(counted(command).jvms()).as("JVMs after the name moved").isEqualTo(1);
        assertThat(counted(command).jvms()).isZero();

        ok("mkdir -p .config/berth && touch .config/berth/policy.toml");
        try {
            assertThat(counted(command).jvms()).as("JVMs once a run policy exists").isEqualTo(1);
            assertThat(counted(command).jvms()).as("JVMs while a run policy exists: no plan is kept").isEqualTo(1);
        } finally {
            ok("rm .config/berth/policy.toml");
        }
        assertThat(counted(command).jvms()).as("JVMs once the policy is gone again: the plan made without one holds").isZero();

        ok("for bin in .cache/berth/sandboxes/*/root/bin; do chmod u+w $bin && touch $bin/added; done");
        Run afterChange = counted(command);
        assertThat(afterChange.jvms()).as("JVMs after the prepared tree changed").isEqualTo(1);
        assertThat(afterChange.result().exitCode()).isZero();
        assertThat(ok("ls .cache/berth/sandboxes/*/root/bin").stdout()).as("the tree, extracted again").doesNotContain("added");
        assertThat(counted(command).jvms()).isZero();
    }

    @Test
    void signalsReachAContainerStartedFromAPlan() throws Exception {
        String command = withCountingJdk + "exec berth exec " + IMAGE + " sh -c 'trap \"echo got TERM; exit 42\" TERM; echo ready;"
                + " while :; do busybox sleep 0.1; done'";
        for (int run = 0; run < 2; run++) {
            ok(": > " + jvmLog);
            Process berth = user.start(home, command);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(berth.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).isEqualTo("ready");
                String launcher = Tools.ok(user.workspace(), "pgrep", "-u", user.uid(), "-f", "/bin/berth exec ").stdout().strip();
                Tools.ok(user.workspace(), "kill", "-TERM", launcher);
                assertThat(out.lines().toList()).contains("got TERM");
                assertThat(berth.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(berth.exitValue()).isEqualTo(42);
            } finally {
                berth.destroyForcibly();
            }
            assertThat(Files.readAllLines(jvmLog)).as("JVMs of run " + run).hasSize(run == 0 ? 1 : 0);
        }
    }
}
