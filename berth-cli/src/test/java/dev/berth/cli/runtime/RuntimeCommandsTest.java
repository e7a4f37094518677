package dev.berth.cli.runtime;

import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * berth run/exec/convert as an ordinary user would meet them: who they are inside, what they
 * can see and write, exit codes and signals, and the single-file executable image.
 */
class RuntimeCommandsTest {
    private static final String IMAGE = "rt:1";
    private static UnprivilegedUser user;
    private static String home;

    @BeforeAll
    static void createUserAndImage() throws Exception {
        user = UnprivilegedUser.create();
        home = user.home();
        Path layout = user.workspace().resolve("layout");
        UmociImages.busybox(layout, "test", 0);
        addSetuidFileAndEntrypoint(layout);
        Path otherPlatform = variant(layout, "arm", "--architecture", "arm64");
        Path noCommand = variant(layout, "bare", "--clear", "config.entrypoint", "--clear", "config.cmd");
        Tools.ok(user.workspace(), "chmod", "-R", "a+rX", user.workspace().toString());
        for (String[] image : new String[][] {{IMAGE, layout.toString()}, {"rt:arm", otherPlatform.toString()}, {"rt:bare", noCommand.toString()}}) {
            ok(home, "berth rmi " + image[0] + " >/dev/null 2>&1; berth import " + image[1] + " --name " + image[0]);
        }
    }

    @AfterAll
    static void removeWorkspace() {
        user.close();
    }

    /** A setuid copy of busybox and an entrypoint that reports its name and arguments. */
    private static void addSetuidFileAndEntrypoint(Path layout) {
        Path bundle = user.workspace().resolve("bundle");
        Tools.ok(user.workspace(), "umoci", "unpack", "--rootless", "--image", layout + ":test", bundle.toString());
        Tools.ok(user.workspace(), "mkdir", bundle.resolve("rootfs/suid").toString());
        Tools.ok(user.workspace(), "cp", "/bin/busybox", bundle.resolve("rootfs/suid/id").toString());
        Tools.ok(user.workspace(), "chmod", "4755", bundle.resolve("rootfs/suid/id").toString());
        Tools.ok(user.workspace(), "umoci", "repack", "--image", layout + ":test", bundle.toString());
        Tools.ok(user.workspace(), "umoci", "config", "--image", layout + ":test",
                "--config.entrypoint", "/bin/sh", "--config.entrypoint", "-c",
                "--config.entrypoint", "echo \"name=$BERTH_NAME args=$*\"", "--config.entrypoint", "entry",
                "--config.cmd", "default");
    }

    /** A copy of {@code layout} whose image config umoci changed with {@code change}. */
    private static Path variant(Path layout, String name, String... change) {
        Path copy = user.workspace().resolve("layout-" + name);
        Tools.ok(user.workspace(), "cp", "-r", layout.toString(), copy.toString());
        List<String> command = new ArrayList<>(List.of("umoci", "config", "--image", copy + ":test"));
        command.addAll(List.of(change));
        Tools.run(user.workspace(), Map.of(), command).assertSuccess(String.join(" ", command));
        return copy;
    }

    private static Tools.Result ok(String dir, String commandLine) {
        return user.sh(dir, commandLine).assertSuccess(commandLine);
    }

    private static String workDirectory(String name) {
        return ok(home, "d=$(mktemp -d -p " + user.scratch() + " --suffix=-" + name + ") && chmod 755 $d && echo $d").stdout().strip();
    }

    @Test
    void insideTheCallerKeepsTheirUidGidAndName() {
        String outside = ok(home, "id -u; id -g").stdout();
        String inside = ok(home, "berth exec " + IMAGE + " sh -c 'busybox id -u; busybox id -g'").stdout();
        assertThat(inside).isEqualTo(outside);
        assertThat(ok(home, "berth exec " + IMAGE + " busybox whoami").stdout().strip()).isEqualTo(ok(home, "id -un").stdout().strip());
    }

    @Test
    void filesCreatedInTheWorkingDirectoryBelongToTheCaller() {
        String work = workDirectory("cwd");
        ok(work, "berth exec " + IMAGE + " sh -c 'echo made inside > made-inside'");
        assertThat(ok(work, "stat -c %u made-inside; cat made-inside").stdout()).isEqualTo(ok(home, "id -u").stdout() + "made inside\n");
    }

    @Test
    void theContainersExitCodeIsBerthsExitCode() {
        assertThat(user.sh(home, "berth exec " + IMAGE + " sh -c 'exit 7'").exitCode()).isEqualTo(7);
        assertThat(user.sh(home, "berth exec " + IMAGE + " sh -c 'kill -KILL $$'").exitCode()).isEqualTo(128 + 9);
    }

    @Test
    void aMissingCommandExits127AndOneThatCannotRunExits126AsInAShell() {
        String dir = workDirectory("commands");
        ok(dir, "echo data > plain.txt");
        Tools.Result missing = user.sh(dir, "berth exec " + IMAGE + " python3 -c 1");
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.stderr().strip()).isEqualTo("berth: python3: command not found in image docker.io/library/" + IMAGE + " (PATH=/bin)");
        Tools.Result noFile = user.sh(dir, "berth exec " + IMAGE + " /opt/app");
        assertThat(noFile.exitCode()).isEqualTo(127);
        assertThat(noFile.stderr().strip()).isEqualTo("berth: /opt/app: no such file in image docker.io/library/" + IMAGE);
        Tools.Result plain = user.sh(dir, "berth exec " + IMAGE + " ./plain.txt");
        assertThat(plain.exitCode()).isEqualTo(126);
        assertThat(plain.stderr().strip()).isEqualTo("berth: ./plain.txt: is not executable (in image docker.io/library/" + IMAGE + ")");
        Tools.Result directory = user.sh(dir, "berth exec " + IMAGE + " /bin");
        assertThat(directory.exitCode()).isEqualTo(126);
        assertThat(directory.stderr()).contains("/bin: is a directory");
        ok(dir, "printf '#!/bin/sh\\necho from the host directory\\n' > job.sh && chmod +x job.sh");
        assertThat(ok(dir, "berth exec " + IMAGE + " ./job.sh").stdout()).isEqualTo("from the host directory\n");
    }

    @Test
    void runUsesEntrypointAndCmdArgumentsReplaceCmdAndEntrypointOverrides() {
        assertThat(ok(home, "berth run " + IMAGE).stdout()).isEqualTo("name= args=default\n");
        assertThat(ok(home, "berth run " + IMAGE + " -x two").stdout()).isEqualTo("name= args=-x two\n");
        assertThat(ok(home, "berth run --entrypoint /bin/busybox " + IMAGE + " echo replaced").stdout()).isEqualTo("replaced\n");
    }

    @Test
    void stdinAndATerminalPassThroughAndShellIsInteractive() {
        assertThat(ok(home, "echo piped | berth exec " + IMAGE + " busybox cat").stdout()).isEqualTo("piped\n");
        String inTerminal = ok(home, "script -qec \"berth exec " + IMAGE + " sh -c 'test -t 0 && test -t 1 && echo both-ttys'\" /dev/null")
                .stdout();
        assertThat(inTerminal).contains("both-ttys");
        Tools.Result shell = user.sh(home, "printf 'echo $((6*7)); exit 5\\n' | script -qec 'berth shell " + IMAGE + "' /dev/null");
        assertThat(shell.stdout()).contains("42");
        assertThat(shell.exitCode()).isEqualTo(5);
    }

    @Test
    void signalsReachTheContainer() throws Exception {
        for (String signal : new String[] {"TERM", "INT", "HUP"}) {
            Process berth = user.start(home, "exec berth exec " + IMAGE + " sh -c 'trap \"echo got " + signal
                    + "; exit 42\" " + signal + "; echo ready; while :; do busybox sleep 0.1; done'");
            try (BufferedReader out = new BufferedReader(new InputStreamReader(berth.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).isEqualTo("ready");
                Tools.ok(user.workspace(), "kill", "-" + signal, berthProcess());
                List<String> after = out.lines().toList();
                assertThat(after).as("output after SIG" + signal).contains("got " + signal);
                assertThat(berth.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(berth.exitValue()).isEqualTo(42);
            } finally {
                berth.destroyForcibly();
            }
        }
    }

    @Test
    void noJvmStaysBesideARunningContainer() throws Exception {
        Process berth = user.start(home, "exec berth exec " + IMAGE + " sh -c 'echo ready; exec busybox sleep 60'");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(berth.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("ready");
            String launcher = berthProcess();
            List<String> processes = Tools.ok(user.workspace(), "ps", "-u", user.uid(), "-o", "pid=,ppid=,args=").stdout().lines()
                    .map(String::strip).toList();
            assertThat(processes).as("the user's processes").noneMatch(line -> line.contains("java"))
                    .anyMatch(line -> line.matches("\\d+ +" + launcher + " +\\S*bwrap .*"));
            Tools.ok(user.workspace(), "kill", "-TERM", launcher);
            assertThat(berth.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(berth.exitValue()).as("exit code of a container ended by SIGTERM").isEqualTo(143);
        } finally {
            berth.destroyForcibly();
        }
        assertThat(ok(home, "ls /tmp/berth-" + user.uid() + "/runs/").stdout()).as("run directories after the run").isEmpty();
    }

    /** The pid of the user's one running berth: the launcher, which owns the run once the JVM has handed it over. */
    private static String berthProcess() {
        String pids = Tools.ok(user.workspace(), "pgrep", "-u", user.uid(), "-f", "/bin/berth exec ").stdout().strip();
        assertThat(pids.lines()).as("berth processes").hasSize(1);
        return pids;
    }

    @Test
    void psListsTheCallersRunningContainersUntilTheyEnd() throws Exception {
        Process berth = user.start(home, "exec berth exec " + IMAGE + " sh -c 'echo ready; busybox sleep 60'");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(berth.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("ready");
            com.fasterxml.jackson.databind.JsonNode listed = dev.berth.oci.Json.tree(
                    ok(home, "berth ps --json").stdout().getBytes(StandardCharsets.UTF_8), "berth ps --json");
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("image").asText()).contains("rt:1");
            assertThat(listed.get(0).get("command").toString()).isEqualTo("[\"sh\",\"-c\",\"echo ready; busybox sleep 60\"]");
            String id = listed.get(0).get("id").asText();
            assertThat(ok(home, "berth ps -q").stdout()).isEqualTo(id + "\n");
            assertThat(ok(home, "berth ps").stdout().lines().toList()).hasSize(2)
                    .first().asString().startsWith("CONTAINER ID").contains("IMAGE").contains("COMMAND").contains("STATUS");

            Tools.ok(user.workspace(), "kill", "-TERM", Long.toString(listed.get(0).get("pid").asLong()));
            assertThat(berth.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            berth.destroyForcibly();
        }
        assertThat(ok(home, "berth ps -q").stdout()).as("containers after the run ended").isEmpty();
    }

    @Test
    void readOnlyBindsRefuseWritesAndReadWriteBindsReachTheHost() {
        String data = workDirectory("data");
        assertThat(user.sh(home, "berth exec --bind " + data + ":/data:ro " + IMAGE + " sh -c 'echo x > /data/f'").exitCode()).isNotZero();
        ok(home, "berth exec --bind " + data + ":/data " + IMAGE + " sh -c 'echo written > /data/f'");
        assertThat(ok(home, "cat " + data + "/f").stdout()).isEqualTo("written\n");
    }

    @Test
    void everythingAfterRefBelongsToTheContainer() {
        assertThat(ok(home, "berth exec " + IMAGE + " busybox echo --pid -c").stdout()).isEqualTo("--pid -c\n");
        assertThat(user.sh(home, "berth exec " + IMAGE).exitCode()).isEqualTo(2);
        assertThat(user.sh(home, "berth shell " + IMAGE + " extra").exitCode()).isEqualTo(2);
    }

    @Test
    void missingBindSourceIsAClearErrorBeforeAnythingRuns() {
        Tools.Result result = user.sh(home, "berth exec --bind /no/such/dir:/data " + IMAGE + " sh -c 'echo ran'");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).doesNotContain("ran");
        assertThat(result.stderr()).contains("/no/such/dir").contains("no such file or directory");
    }

    @Test
    void containHidesHomeAndNoHomeToo() {
        ok(home, "echo secret > secret-file");
        assertThat(ok(home, "berth exec " + IMAGE + " sh -c 'cat $HOME/secret-file'").stdout()).isEqualTo("secret\n");
        assertThat(user.sh(home, "berth exec --contain " + IMAGE + " sh -c 'cat $HOME/secret-file'").exitCode()).isNotZero();
        assertThat(user.sh(home, "berth exec --no-home --pwd / " + IMAGE + " sh -c 'cat $HOME/secret-file'").exitCode()).isNotZero();
    }

    @Test
    void theImageIsReadOnlyAndWritableTmpfsWritesVanish() {
        assertThat(user.sh(home, "berth exec " + IMAGE + " sh -c 'echo x > /bin/new'").exitCode()).isNotZero();
        assertThat(user.sh(home, "berth exec --fuse " + IMAGE + " sh -c 'echo x > /bin/new'").exitCode()).isNotZero();
        assertThat(ok(home, "berth exec --writable-tmpfs " + IMAGE + " sh -c 'echo kept > /bin/new && cat /bin/new'").stdout())
                .isEqualTo("kept\n");
        assertThat(user.sh(home, "berth exec --writable-tmpfs " + IMAGE + " sh -c 'test -e /bin/new'").exitCode()).isEqualTo(1);
    }

    @Test
    void setuidFilesGrantNothing() {
        String report = ok(home, "berth exec " + IMAGE + " sh -c 'busybox stat -c %a /suid/id; busybox grep NoNewPrivs /proc/self/status; /suid/id -u'").stdout();
        assertThat(report).startsWith("755\n").contains("NoNewPrivs:\t1").endsWith(ok(home, "id -u").stdout());
    }

    @Test
    void executableImageRunsByItselfAndBySymlinkName() {
        String dir = workDirectory("exe");
        ok(dir, "berth convert " + IMAGE + " -o tool.img --executable && ln -s tool.img python3");
        assertThat(ok(dir, "./tool.img a b").stdout()).isEqualTo("name=tool.img args=a b\n");
        assertThat(ok(dir, "./python3 -c 1").stdout()).isEqualTo("name=python3 args=-c 1\n");
        assertThat(ok(dir, "berth run --fuse tool.img").stdout()).isEqualTo("name= args=default\n");
        String report = ok(dir, "berth convert --json " + IMAGE + " -o plain.img").stdout();
        assertThat(report).contains("\"file\" : \"plain.img\"", "\"executable\" : false")
                .contains("\"size\" : " + ok(dir, "stat -c %s plain.img").stdout().strip());
    }

    @Test
    void theCacheIsPrivateToItsOwner() throws IOException {
        ok(home, "berth exec " + IMAGE + " sh -c true");
        assertThat(ok(home, "stat -c %a .cache/berth .cache/berth/images").stdout()).isEqualTo("700\n700\n");
        assertThat(Files.exists(Path.of(home))).isTrue();
    }

    @Test
    void fakerootIsRootInsideAndNothingOnTheHost() {
        assertThat(ok(home, "berth exec --fakeroot " + IMAGE + " busybox id -u").stdout()).isEqualTo("0\n");
        assertThat(user.sh(home, "berth exec --fakeroot --bind /etc:/host-etc " + IMAGE + " sh -c 'echo x > /host-etc/berth-fakeroot'")
                .exitCode()).isNotZero();
        assertThat(Files.exists(Path.of("/etc/berth-fakeroot"))).isFalse();
    }

    @Test
    void netNoneLeavesOnlyLoopbackAndPidGivesOwnProcessIds() {
        String interfaces = ok(home, "berth exec --net none " + IMAGE + " sh -c 'busybox tail -n +3 /proc/net/dev | busybox cut -d: -f1'").stdout();
        assertThat(interfaces.strip()).isEqualTo("lo");
        assertThat(Integer.parseInt(ok(home, "berth exec --pid " + IMAGE + " sh -c 'echo $$'").stdout().strip())).isLessThanOrEqualTo(2);
    }

    @Test
    void environmentLayersHostImageFileAndFlagsAndCleanenvKeepsTheKeepList() {
        String dir = workDirectory("env");
        ok(dir, "printf '# comment\\nFROM_FILE=file\\nBOTH=file\\n' > vars.env");
        String env = ok(dir, "FROM_HOST=host BOTH=host berth exec --env-file vars.env --env BOTH=flag " + IMAGE + " busybox env").stdout();
        assertThat(env.lines()).contains("FROM_HOST=host", "FROM_FILE=file", "BOTH=flag", "PATH=/bin", "HOME=" + home);
        String clean = ok(dir, "FROM_HOST=host berth exec --cleanenv " + IMAGE + " busybox env").stdout();
        assertThat(clean.lines()).contains("HOME=" + home, "PATH=/bin").noneMatch(line -> line.startsWith("FROM_HOST="));
    }

    @Test
    void dockerAndApptainerHabitsMeanWhatTheyMeanThere() {
        String dir = workDirectory("habits");
        ok(dir, "mkdir -p a b && echo in-a > a/f && echo in-b > b/f");
        assertThat(ok(dir, "berth exec -B " + dir + "/a:/x," + dir + "/b:/y:ro " + IMAGE + " busybox cat /x/f /y/f").stdout())
                .isEqualTo("in-a\nin-b\n");
        assertThat(ok(dir, "BERTH_BIND=" + dir + "/a:/x berth exec " + IMAGE + " busybox cat /x/f").stdout()).isEqualTo("in-a\n");
        String env = ok(dir, "PASSED=from-host BERTHENV_GIVEN=berth APPTAINERENV_OLD=apptainer APPTAINERENV_GIVEN=loses berth exec "
                + "--cleanenv -e PASSED -e UNSET_ON_HOST " + IMAGE + " busybox env").stdout();
        assertThat(env.lines()).contains("PASSED=from-host", "GIVEN=berth", "OLD=apptainer")
                .noneMatch(line -> line.startsWith("UNSET_ON_HOST"));
        assertThat(ok(home, "berth run --rm -it -w /bin --entrypoint '' " + IMAGE + " sh -c pwd").stdout()).isEqualTo("/bin\n");
        assertThat(ok(home, "berth exec -u $(id -u):$(id -g) " + IMAGE + " busybox id -u").stdout()).isEqualTo(ok(home, "id -u").stdout());
        assertThat(ok(home, "berth exec --fakeroot -u 0 " + IMAGE + " busybox id -u").stdout()).isEqualTo("0\n");
        Tools.Result root = user.sh(home, "berth exec -u 0 " + IMAGE + " busybox id -u");
        assertThat(root.exitCode()).isEqualTo(2);
        assertThat(root.stderr()).startsWith("berth: -u 0 needs --fakeroot");
        Tools.Result other = user.sh(home, "berth exec -u 4242 " + IMAGE + " busybox id -u");
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.stderr()).contains("-u can only name you, or 0 with --fakeroot");
        Tools.Result noCommand = user.sh(home, "berth run --entrypoint '' " + IMAGE);
        assertThat(noCommand.stderr()).contains("no entrypoint and no command");
    }

    @Test
    void aNameMovedToAnotherImageRunsTheNewImage() {
        ok(home, "berth tag " + IMAGE + " rt:moving");
        assertThat(ok(home, "berth run rt:moving").stdout()).isEqualTo("name= args=default\n");
        ok(home, "berth tag rt:bare rt:moving");
        assertThat(user.sh(home, "berth run rt:moving").stderr()).contains("no entrypoint and no command");
    }

    @Test
    void pwdChoosesTheWorkingDirectory() {
        assertThat(ok(home, "berth exec --pwd /bin " + IMAGE + " sh -c pwd").stdout()).isEqualTo("/bin\n");
        assertThat(ok(home, "berth exec " + IMAGE + " sh -c pwd").stdout()).isEqualTo(home + "\n");
    }

    @Test
    void imagesThatCannotRunHereFailWithAClearMessage() {
        Tools.Result arm = user.sh(home, "berth exec rt:arm sh -c 'echo ran'");
        assertThat(arm.exitCode()).isEqualTo(1);
        assertThat(arm.stderr()).contains("linux/arm64").contains("cannot run on this linux/amd64");
        Tools.Result bare = user.sh(home, "berth run rt:bare");
        assertThat(bare.exitCode()).isEqualTo(1);
        assertThat(bare.stderr()).contains("no entrypoint and no command");
    }

    @Test
    void aKilledRunsMountIsCleanedByTheNextRun() throws Exception {
        Process berth = user.start(home, "exec berth exec --fuse " + IMAGE + " sh -c 'echo ready; while :; do busybox sleep 1; done'");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(berth.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("ready");
            Tools.ok(user.workspace(), "kill", "-KILL", berthProcess());
            assertThat(berth.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        String runs = "/tmp/berth-" + user.uid() + "/runs/";
        assertThat(mountsUnder(runs)).isNotEmpty();
        assertThat(ok(home, "berth exec --fuse " + IMAGE + " busybox id -u").stdout()).isEqualTo(ok(home, "id -u").stdout());
        assertThat(mountsUnder(runs)).isEmpty();
        assertThat(ok(home, "ls " + runs).stdout()).isEmpty();
    }

    private static List<String> mountsUnder(String prefix) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(line -> line.contains(" " + prefix)).toList();
    }

    @Test
    void concurrentFirstRunsOfOneImageAllSucceed() {
        String cache = workDirectory("concurrent-cache");
        String out = ok(home, "for i in 1 2 3 4; do BERTH_CACHE_DIR=" + cache + " berth exec " + IMAGE
                + " busybox echo ok-$i & done; wait").stdout();
        assertThat(out.lines().sorted()).containsExactly("ok-1", "ok-2", "ok-3", "ok-4");
        assertThat(ok(home, "ls -A " + cache + "/images " + cache + "/sandboxes").stdout()).doesNotContain(".tmp-");
    }
}
