package dev.berth.cli.runtime;

import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --device (CDI) and --nv as an ordinary user meets them, on a host without GPUs: a CDI spec in
 * a spec directory of the user's (BERTH_CDI_SPEC_DIRS) and a fake NVIDIA driver that a stand-in
 * ldconfig lists (BERTH_LDCONFIG), checked from inside the container.
 */
class DeviceInjectionTest {
    private static final String IMAGE = "devices:1";
    private static UnprivilegedUser user;
    private static String home;
    private static Path fixture;

    @BeforeAll
    static void createUserImageAndFakeHost() throws Exception {
        user = UnprivilegedUser.create();
        home = user.home();
        Path layout = user.workspace().resolve("layout");
        UmociImages.busybox(layout, "test", 0);
        fixture = user.workspace().resolve("host");
        Path tool = executable(fixture.resolve("opt/tool/fake-tool"), "#!/bin/sh\necho \"fake tool ran: $*\"\n");
        Files.writeString(Files.createDirectories(fixture.resolve("cdi")).resolve("fake.yaml"), """
                cdiVersion: 0.6.0
                kind: test.berth.dev/fake
                containerEdits:
                  env: [FAKE_DRIVER=present]
                devices:
                  - name: one
                    containerEdits:
                      env: [FAKE_DEVICE=one]
                      mounts:
                        - {hostPath: %s, containerPath: /opt/fake/bin/fake-tool, options: [ro, nosuid, nodev, bind]}
                  - name: node
                    containerEdits:
                      env: [FAKE_DEVICE=node]
                      deviceNodes:
                        - {path: /dev/fake0, hostPath: /dev/null}
                """.formatted(tool));
        Path lib = Files.createDirectories(fixture.resolve("driver/lib"));
        Files.writeString(lib.resolve("libcuda.so.550.54.15"), "fake libcuda 550.54.15\n");
        Files.createSymbolicLink(lib.resolve("libcuda.so.1"), Path.of("libcuda.so.550.54.15"));
        executable(fixture.resolve("driver/ldconfig"), "#!/bin/sh\nprintf '1 libs found in cache\\n\\tlibcuda.so.1 (libc6,x86-64) => "
                + lib.resolve("libcuda.so.1") + "\\n'\n");
        executable(fixture.resolve("driver/bin/nvidia-smi"), "#!/bin/sh\necho 'NVIDIA-SMI 550.54.15 (fake)'\n");
        Tools.ok(user.workspace(), "chmod", "-R", "a+rX", user.workspace().toString());
        ok(home, "berth rmi " + IMAGE + " >/dev/null 2>&1; berth import " + layout + " --name " + IMAGE);
    }

    @AfterAll
    static void removeWorkspace() {
        user.close();
    }

    private static Path executable(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static Tools.Result ok(String dir, String commandLine) {
        return user.sh(dir, commandLine).assertSuccess(commandLine);
    }

    private static String withSpecs(String berthArguments) {
        return "BERTH_CDI_SPEC_DIRS=" + fixture.resolve("cdi") + " berth exec " + berthArguments;
    }

    @Test
    void aCdiDeviceBringsItsFilesAndVariablesReadOnly() {
        for (String flags : new String[] {"", "--contain "}) {
            String seen = ok(home, withSpecs(flags + "--device test.berth.dev/fake=one " + IMAGE
                    + " sh -c '/opt/fake/bin/fake-tool hello; echo \"$FAKE_DRIVER $FAKE_DEVICE\"'")).stdout();
            assertThat(seen).as(flags).isEqualTo("fake tool ran: hello\npresent one\n");
        }
        Tools.Result write = user.sh(home, withSpecs("--device test.berth.dev/fake=one " + IMAGE
                + " sh -c 'echo changed > /opt/fake/bin/fake-tool'"));
        assertThat(write.exitCode()).isNotZero();
        assertThat(write.stderr()).contains("Read-only file system");
    }

    @Test
    void aDeviceNodeTheHostsDevLacksIsMadeInContainsPrivateDevAndOtherwiseRefused() {
        String seen = ok(home, withSpecs("--contain --device test.berth.dev/fake=node " + IMAGE
                + " sh -c 'test -c /dev/fake0 && echo written > /dev/fake0 && echo $FAKE_DEVICE'")).stdout();
        assertThat(seen).isEqualTo("node\n");
        Tools.Result shared = user.sh(home, withSpecs("--device test.berth.dev/fake=node " + IMAGE + " sh -c 'echo ran'"));
        assertThat(shared.exitCode()).isEqualTo(1);
        assertThat(shared.stderr()).startsWith("berth: device node /dev/fake0 is not in this host's /dev").hasLineCount(1);
    }

    @Test
    void allInjectsEveryDeviceOfTheKind() {
        String seen = ok(home, withSpecs("--contain --device test.berth.dev/fake=all " + IMAGE
                + " sh -c 'test -x /opt/fake/bin/fake-tool && test -c /dev/fake0 && echo $FAKE_DEVICE'")).stdout();
        assertThat(seen).isEqualTo("node\n");
    }

    @Test
    void anUnknownOrMalformedDeviceIsOneLineAndNothingRuns() {
        Tools.Result unknown = user.sh(home, withSpecs("--device test.berth.dev/fake=three " + IMAGE + " sh -c 'echo ran'"));
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stdout()).isEmpty();
        assertThat(unknown.stderr()).isEqualTo("berth: CDI device test.berth.dev/fake=three is not defined by the specs in "
                + fixture.resolve("cdi") + "; they define: test.berth.dev/fake=one, test.berth.dev/fake=node\n");
        Tools.Result malformed = user.sh(home, withSpecs("--device gpu0 " + IMAGE + " sh -c 'echo ran'"));
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.stderr()).contains("\"gpu0\" is not a CDI device name");
    }

    @Test
    void nvBindsTheDriverFoundThroughTheLdconfigCacheAndNvidiaSmiAndPassesTheGpuSelection() {
        String seen = ok(home, "BERTH_LDCONFIG=" + fixture.resolve("driver/ldconfig") + " PATH=" + fixture.resolve("driver/bin")
                + ":$PATH CUDA_VISIBLE_DEVICES=0 berth exec --nv --cleanenv " + IMAGE
                + " sh -c 'busybox cat /.berth.d/libs/libcuda.so.1; nvidia-smi; echo \"$LD_LIBRARY_PATH $CUDA_VISIBLE_DEVICES\"'").stdout();
        assertThat(seen).isEqualTo("fake libcuda 550.54.15\nNVIDIA-SMI 550.54.15 (fake)\n/.berth.d/libs 0\n");
    }

    @Test
    void nvWithoutADriverWarnsInOneLineAndRunsAnyway() {
        Tools.Result run = user.sh(home, "BERTH_LDCONFIG=/bin/true berth exec --nv " + IMAGE + " sh -c 'echo ran'");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).isEqualTo("ran\n");
        assertThat(run.stderr())
                .isEqualTo("berth: --nv: no NVIDIA driver found (/bin/true -p lists no libcuda); running without its libraries\n");
    }
}
