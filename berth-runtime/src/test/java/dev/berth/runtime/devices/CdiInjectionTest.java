package dev.berth.runtime.devices;

import dev.berth.oci.BerthException;
import dev.berth.runtime.sandbox.Bind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --device against CDI spec fixtures, in JSON and YAML, in a fake host's spec directories. */
class CdiInjectionTest {
    @TempDir
    Path temp;
    private HostFixture fixture;
    private Path tool;

    @BeforeEach
    void specs() throws IOException {
        fixture = new HostFixture(temp);
        fixture.device("fake0");
        fixture.device("fake1");
        fixture.device("fakectl");
        tool = HostFixture.script(fixture.bin.resolve("fake-tool"), "echo fake\n");
        fixture.spec(fixture.etcCdi, "fake.json", """
                {"cdiVersion": "0.6.0", "kind": "test.berth.dev/fake",
                 "containerEdits": {"env": ["FAKE_DRIVER=1", "FAKE_LEVEL=spec"],
                                    "deviceNodes": [{"path": "/dev/fakectl", "hostPath": "%s"}]},
                 "devices": [
                   {"name": "one", "annotations": {"ignored": "yes"},
                    "containerEdits": {"env": ["FAKE_LEVEL=one"],
                                       "deviceNodes": [{"path": "/dev/fake0", "hostPath": "%s", "type": "c", "major": 1, "minor": 3}],
                                       "mounts": [{"hostPath": "%s", "containerPath": "/opt/fake/bin/fake-tool",
                                                   "options": ["ro", "nosuid", "nodev", "bind"]}]}},
                   {"name": "two", "containerEdits": {"deviceNodes": [{"path": "/dev/fake1", "hostPath": "%s"}]}}
                 ]}
                """.formatted(fixture.dev.resolve("fakectl"), fixture.dev.resolve("fake0"), tool, fixture.dev.resolve("fake1")));
    }

    private InjectionPlan plan(String... devices) throws IOException {
        return DevicePlanner.plan(new DeviceRequest(false, false, Arrays.stream(devices).map(CdiDeviceName::parse).toList(), false),
                fixture.host(Map.of()));
    }

    @Test
    void aDeviceGetsItsSpecsEditsThenItsOwn() throws IOException {
        InjectionPlan plan = plan("test.berth.dev/fake=one");
        assertThat(plan.deviceNodes()).containsExactly(
                new InjectionPlan.DeviceNode(fixture.dev.resolve("fakectl"), "/dev/fakectl"),
                new InjectionPlan.DeviceNode(fixture.dev.resolve("fake0"), "/dev/fake0"));
        assertThat(plan.binds()).containsExactly(new Bind(tool, Path.of("/opt/fake/bin/fake-tool"), true));
        assertThat(plan.environment()).containsExactly(Map.entry("FAKE_DRIVER", "1"), Map.entry("FAKE_LEVEL", "one"));
        assertThat(plan.warnings()).isEmpty();
    }

    @Test
    void allIsEveryDeviceOfTheKindWithTheSpecsEditsOnce() throws IOException {
        InjectionPlan plan = plan("test.berth.dev/fake=all");
        assertThat(plan.deviceNodes()).extracting(InjectionPlan.DeviceNode::containerPath)
                .containsExactly("/dev/fakectl", "/dev/fake0", "/dev/fake1");
    }

    @Test
    void aYamlSpecInTheLaterDirectoryReplacesADeviceOfAnEarlierOne() throws IOException {
        fixture.spec(fixture.runCdi, "fake.yaml", """
                cdiVersion: 0.5.0
                kind: test.berth.dev/fake
                devices:
                  - name: two
                    containerEdits:
                      env: [FAKE_FROM=yaml]
                      mounts:
                        - hostPath: %s
                          containerPath: /usr/local/bin/fake-tool
                """.formatted(tool));
        InjectionPlan plan = plan("test.berth.dev/fake=two");
        assertThat(plan.environment()).containsExactly(Map.entry("FAKE_FROM", "yaml"));
        assertThat(plan.binds()).containsExactly(new Bind(tool, Path.of("/usr/local/bin/fake-tool"), false));
        assertThat(plan.deviceNodes()).isEmpty();
    }

    @Test
    void anUnknownDeviceIsOneLineListingTheKnownOnes() {
        assertThatThrownBy(() -> plan("test.berth.dev/fake=three"))
                .isInstanceOf(BerthException.class)
                .hasMessage("CDI device test.berth.dev/fake=three is not defined by the specs in " + fixture.etcCdi + ", "
                        + fixture.runCdi + "; they define: test.berth.dev/fake=one, test.berth.dev/fake=two");
        assertThatThrownBy(() -> plan("other.example/gpu=all")).hasMessageContaining("other.example/gpu=all is not defined");
    }

    @Test
    void withoutSpecsTheErrorSaysWhereItLooked() throws IOException {
        Files.delete(fixture.etcCdi.resolve("fake.json"));
        assertThatThrownBy(() -> plan("test.berth.dev/fake=one"))
                .hasMessageStartingWith("CDI device test.berth.dev/fake=one is not defined: there are no CDI specs in " + fixture.etcCdi);
    }

    @Test
    void hooksAreSkippedWithOneWarningNamingThemAndLdcacheIsCoveredBySonames() throws IOException {
        Path libz = realLibrary("libz.so.1");
        fixture.spec(fixture.runCdi, "gpu.yaml", """
                cdiVersion: 0.6.0
                kind: test.berth.dev/gpu
                containerEdits:
                  mounts:
                    - {hostPath: %1$s, containerPath: /usr/lib/fake/%2$s, options: [ro, nosuid, nodev, bind]}
                    - {hostPath: %3$s, containerPath: /usr/lib/fake/fake-tool.conf, options: [ro]}
                  hooks:
                    - hookName: createContainer
                      path: /usr/bin/nvidia-ctk
                      args: [nvidia-ctk, hook, create-symlinks, --link, %2$s::/usr/lib/fake/libz.so]
                    - hookName: createContainer
                      path: /usr/bin/nvidia-ctk
                      args: [nvidia-ctk, hook, update-ldcache, --folder, /usr/lib/fake]
                    - hookName: createContainer
                      path: /usr/bin/nvidia-cdi-hook
                      args: [nvidia-cdi-hook, enable-cuda-compat, --host-driver-version=550.54.15]
                devices:
                  - name: "0"
                """.formatted(libz, libz.getFileName(), tool));
        InjectionPlan plan = plan("test.berth.dev/gpu=0");
        assertThat(plan.warnings()).containsExactly("skipping CDI hooks, which only a privileged runtime can run: "
                + "nvidia-ctk hook create-symlinks, nvidia-cdi-hook enable-cuda-compat");
        assertThat(plan.binds()).contains(new Bind(libz, Path.of("/.berth.d/libs/libz.so.1"), true))
                .noneMatch(bind -> bind.destination().toString().endsWith("fake-tool.conf") && bind.destination().startsWith("/.berth.d"));
        assertThat(plan.libraryPath()).containsExactly("/.berth.d/libs");
    }

    @Test
    void aMalformedSpecIsOneLineNamingTheFile() throws IOException {
        Path broken = fixture.spec(fixture.runCdi, "broken.yaml", "cdiVersion: 0.6.0\nkind: x.dev/y\ndevices: {name: a}\n");
        assertThatThrownBy(() -> plan("test.berth.dev/fake=one"))
                .isInstanceOf(BerthException.class)
                .hasMessage("CDI spec " + broken + " cannot be used: devices has the wrong type (line 3)");
        Path json = fixture.spec(fixture.runCdi, "broken.json", "{\"cdiVersion\": \"0.6.0\",\n \"devices\": [{\"name\": \"a\"}");
        assertThatThrownBy(() -> plan("test.berth.dev/fake=one"))
                .hasMessage("CDI spec " + json + " cannot be used: it is not valid JSON (line 2)");
        Files.delete(json);
        Files.writeString(broken, "cdiVersion: 0.6.0\nkind: nokind\ndevices: [{name: a}]\n");
        assertThatThrownBy(() -> plan("test.berth.dev/fake=one"))
                .hasMessage("CDI spec " + broken + " cannot be used: kind must be vendor.com/class, not \"nokind\"");
        Files.writeString(broken, "cdiVersion: 0.6.0\nkind: x.dev/y\ndevices: [{name: a, containerEdits: {env: [NOVALUE]}}]\n");
        assertThatThrownBy(() -> plan("test.berth.dev/fake=one"))
                .hasMessage("CDI spec " + broken + " cannot be used: device a: env entry \"NOVALUE\" is not KEY=VALUE");
    }

    @Test
    void aDeviceDefinedTwiceInOneDirectoryIsAnError() throws IOException {
        Path twin = fixture.spec(fixture.etcCdi, "twin.json", """
                {"cdiVersion": "0.6.0", "kind": "test.berth.dev/fake", "devices": [{"name": "one"}]}
                """);
        assertThatThrownBy(() -> plan("test.berth.dev/fake=one"))
                .hasMessage("CDI spec " + twin + " cannot be used: device test.berth.dev/fake=one is also defined in "
                        + fixture.etcCdi.resolve("fake.json"));
    }

    @Test
    void aHostPathTheSpecNamesButTheHostLacksIsAClearError() throws IOException {
        Files.delete(fixture.dev.resolve("fake1"));
        assertThatThrownBy(() -> plan("test.berth.dev/fake=two"))
                .hasMessageStartingWith("CDI test.berth.dev/fake=two needs " + fixture.dev.resolve("fake1") + ", which this host does not have");
    }

    @Test
    void aDeviceNameMustBeQualified() {
        assertThatThrownBy(() -> CdiDeviceName.parse("gpu0")).hasMessageStartingWith("\"gpu0\" is not a CDI device name");
        assertThatThrownBy(() -> CdiDeviceName.parse("/dev/fuse")).isInstanceOf(BerthException.class);
        assertThat(CdiDeviceName.parse("nvidia.com/gpu=GPU-4d7a:1")).isEqualTo(new CdiDeviceName("nvidia.com/gpu", "GPU-4d7a:1"));
    }

    /** A real shared library of this host (the ELF file, not its link), to read a SONAME from. */
    static Path realLibrary(String soname) throws IOException {
        LdconfigCache cache = LdconfigCache.query(HostDevices.of(Map.of()).ldconfig());
        List<LdconfigCache.Library> found = cache.named(soname.substring(0, soname.indexOf(".so")));
        assertThat(found).as("the host's ldconfig cache has " + soname).isNotEmpty();
        return found.stream().filter(library -> library.name().equals(soname)).findFirst().orElseThrow().path().toRealPath();
    }
}
