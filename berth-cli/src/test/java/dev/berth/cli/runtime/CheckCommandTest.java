package dev.berth.cli.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code berth check} and exec's one-line warning as a user meets them, on umoci's busybox
 * image: as it is (it runs here), and labelled as needing more memory than any node has.
 */
class CheckCommandTest {
    private static final String PLAIN = "check-plain:1";
    private static final String HUNGRY = "check-hungry:1";
    private static UnprivilegedUser user;

    @BeforeAll
    static void createUserAndImages() throws Exception {
        user = UnprivilegedUser.create();
        Path plain = UmociImages.busybox(user.workspace().resolve("plain"), "1", 0);
        Path hungry = UmociImages.busybox(user.workspace().resolve("hungry"), "1", 0);
        Tools.ok(user.workspace(), "umoci", "config", "--image", hungry + ":1",
                "--config.label", "dev.berth.requires.memory=64P", "--config.label", "dev.berth.requires.cores=1");
        Tools.ok(user.workspace(), "chmod", "-R", "a+rX", user.workspace().toString());
        ok("berth rmi " + PLAIN + " " + HUNGRY + " >/dev/null 2>&1; berth import " + plain + " --name " + PLAIN
                + " && berth import " + hungry + " --name " + HUNGRY);
    }

    @AfterAll
    static void removeWorkspace() {
        user.close();
    }

    private static Tools.Result ok(String commandLine) {
        return user.sh(user.home(), commandLine).assertSuccess(commandLine);
    }

    @Test
    void anImageThatRunsHereChecksOkInJsonAndInTheTable() throws Exception {
        JsonNode report = new ObjectMapper().readTree(ok("berth check --json " + PLAIN).stdout());
        assertThat(report.path("runsHere").asBoolean()).isTrue();
        assertThat(report.path("checks").findValuesAsText("check"))
                .containsExactly("architecture", "x86-64 level", "glibc", "mpi", "requirements");
        assertThat(report.path("checks").findValuesAsText("result")).doesNotContain("problem", "warning");
        // busybox-static declares the x86-64 baseline in its GNU property note, which every x86-64 CPU meets
        assertThat(report.path("checks").get(1).path("detail").asText())
                .startsWith("binaries need at most x86-64 (/bin/busybox); this CPU is x86-64");
        assertThat(ok("berth check " + PLAIN).stdout()).startsWith("CHECK          RESULT   DETAIL\narchitecture   ok ");
    }

    @Test
    void aRequirementTheNodeLacksIsAProblemWithItsOwnExitCode() throws Exception {
        Tools.Result check = user.sh(user.home(), "berth check --json " + HUNGRY);
        assertThat(check.exitCode()).as(check.stderr()).isEqualTo(3);
        JsonNode report = new ObjectMapper().readTree(check.stdout());
        assertThat(report.path("runsHere").asBoolean()).isFalse();
        JsonNode memory = report.path("checks").get(5);
        assertThat(memory.path("check").asText()).isEqualTo("memory");
        assertThat(memory.path("result").asText()).isEqualTo("problem");
        assertThat(memory.path("detail").asText()).matches("the image needs 64\\.0 PiB, this node has [0-9.]+ GiB");
        Tools.Result inJob = user.sh(user.home(), "SLURM_JOB_ID=12 SLURM_CPUS_ON_NODE=1 SLURM_MEM_PER_NODE=512 berth check " + HUNGRY);
        assertThat(inJob.stdout()).contains("memory         problem   the image needs 64.0 PiB, SLURM job 12 has 512.0 MiB");
    }

    @Test
    void execWarnsInOneLineAndRunsAnyway() {
        Tools.Result run = ok("berth exec " + HUNGRY + " sh -c 'echo ran'");
        assertThat(run.stdout()).isEqualTo("ran\n");
        assertThat(run.stderr()).matches("berth: warning: the image needs 64\\.0 PiB, this node has [0-9.]+ GiB"
                + " \\(berth check docker\\.io/library/check-hungry:1 for details\\)\n");
        assertThat(ok("berth exec " + PLAIN + " sh -c 'echo ran'").stderr()).isEmpty();
    }
}
