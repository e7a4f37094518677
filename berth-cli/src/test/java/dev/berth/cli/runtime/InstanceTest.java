package dev.berth.cli.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import dev.berth.oci.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code berth instance} as an ordinary user: a service keeps running after the shell that
 * started it ended, in its own PID namespace, listed by name; stop lets its own SIGTERM handler
 * run and leaves no process behind; one that fails at once says so.
 */
class InstanceTest {
    private static UnprivilegedUser user;
    private static String home;

    @BeforeAll
    static void createUserAndImage() throws Exception {
        user = UnprivilegedUser.create();
        home = user.home();
        Path layout = UmociImages.busybox(user.workspace().resolve("layout"), "1", 0);
        Tools.ok(user.workspace(), "chmod", "-R", "a+rX", user.workspace().toString());
        as("berth instance stop --all; berth copy oci:" + layout + ":1 berth:service:1").assertSuccess("store the image");
    }

    @AfterAll
    static void stop() {
        as("berth instance stop --all");
        user.close();
    }

    private static Tools.Result as(String commandLine) {
        return user.sh(home, commandLine);
    }

    @Test
    void anInstanceOutlivesItsShellAndStopsThroughItsOwnHandler() throws Exception {
        String service = "busybox sh -c 'trap \"echo stopping; exit 0\" TERM; echo pid=$$; while true; do busybox sleep 1; done'";
        Tools.Result started = as("berth instance start service:1 web " + service).assertSuccess("start");
        assertThat(started.stdout()).startsWith("Started instance web (service:1, pid ");

        JsonNode listed = Json.tree(as("berth instance list --json").assertSuccess("list").stdout().getBytes(StandardCharsets.UTF_8), "list");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("name").asText()).isEqualTo("web");
        assertThat(as("berth ps").assertSuccess("ps").stdout()).contains("docker.io/library/service:1");
        Tools.Result twice = as("berth instance start service:1 web " + service);
        assertThat(twice.exitCode()).isEqualTo(1);
        assertThat(twice.stderr()).isEqualTo("berth: an instance named web is running; stop it first with 'berth instance stop web'\n");

        assertThat(Waiting.until(Duration.ofSeconds(20), () -> as("berth instance logs web").stdout().contains("pid=")))
                .as("the instance's first output").isTrue();
        assertThat(as("berth instance logs web").stdout()).as("its own PID namespace").containsPattern("(?m)^pid=[12]$");

        assertThat(as("berth instance stop web").assertSuccess("stop").stdout()).isEqualTo("Stopped web\n");
        assertThat(as("berth instance logs web").stdout()).contains("stopping");
        assertThat(as("berth instance list").stdout().lines()).hasSize(1);
        assertThat(as("pgrep -u " + UnprivilegedUser.NAME + " -f '[b]usybox sleep' || true").stdout()).isEmpty();
    }

    @Test
    void anInstanceThatFailsAtOnceSaysSoAndStopOfAnUnknownOneFails() {
        Tools.Result failed = as("berth instance start service:1 broken busybox sh -c 'echo giving up; exit 3'");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stderr()).startsWith("berth: instance broken ended at once with exit code 3: giving up (all of it: ");
        Tools.Result unknown = as("berth instance stop nothing-here");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).isEqualTo("berth: no instance named nothing-here is running (see berth instance list)\n");
    }

    @Test
    void execOfAnInstanceRunsInsideItsNamespacesWithItsEnvironment() throws Exception {
        as("berth instance start --writable-tmpfs -e SERVICE_TOKEN=t0k service:1 db busybox sh -c "
                + "'echo ready > /run-state; while true; do busybox sleep 1; done'").assertSuccess("start");
        try {
            assertThat(Waiting.until(Duration.ofSeconds(20), () -> as("berth exec instance://db busybox cat /run-state").exitCode() == 0))
                    .as("the instance's root, where its command wrote").isTrue();
            assertThat(as("berth exec service:1 busybox cat /run-state").exitCode()).as("a new container of the image").isNotZero();
            Tools.Result inside = as("berth exec -e EXTRA=1 --pwd /etc instance://db busybox sh -c "
                    + "'echo token=$SERVICE_TOKEN extra=$EXTRA; pwd; busybox ps -o pid,args | busybox grep \"[w]hile true\" | busybox head -1 "
                    + "| busybox awk \"{print \\$1}\"; exit 5'");
            assertThat(inside.exitCode()).as(inside.stderr()).isEqualTo(5);
            assertThat(inside.stdout().lines().toList()).as("its environment, the working directory asked for, its processes")
                    .containsExactly("token=t0k extra=1", "/etc", "1");
            Tools.Result missing = as("berth exec instance://db no-such-program");
            assertThat(missing.exitCode()).isEqualTo(127);
            assertThat(missing.stderr()).startsWith("berth: no-such-program: command not found in image instance://db (PATH=");
            Tools.Result unknown = as("berth exec instance://nothing-here true");
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.stderr()).isEqualTo("berth: no instance named nothing-here is running (see berth instance list)\n");
        } finally {
            as("berth instance stop db");
        }
    }
}
