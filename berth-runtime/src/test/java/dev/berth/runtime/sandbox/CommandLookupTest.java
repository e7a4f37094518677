package dev.berth.runtime.sandbox;

import dev.berth.oci.BerthException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Commands looked up in an image tree with links and a bind over part of it, as the container will see them. */
class CommandLookupTest {
    @TempDir
    Path temp;
    private Path image;
    private Path bound;
    private ContainerPaths paths;

    @BeforeEach
    void tree() throws IOException {
        image = Files.createDirectories(temp.resolve("image"));
        Files.createDirectories(image.resolve("usr/bin"));
        Files.createSymbolicLink(image.resolve("bin"), Path.of("usr/bin"));
        executable(image.resolve("usr/bin/busybox"));
        Files.createSymbolicLink(image.resolve("usr/bin/sh"), Path.of("/bin/busybox"));
        Files.createSymbolicLink(image.resolve("usr/bin/dangling"), Path.of("/nowhere"));
        Files.writeString(image.resolve("usr/bin/plain"), "not executable");
        Files.createDirectories(image.resolve("usr/bin/adir"));
        Files.createSymbolicLink(image.resolve("usr/bin/loop"), Path.of("loop"));
        bound = Files.createDirectories(temp.resolve("host-work"));
        executable(bound.resolve("job.sh"));
        paths = new ContainerPaths(image, Map.of(
                "/work", List.of("--bind", bound.toString(), "/work"),
                "/proc", List.of("--proc", "/proc"),
                "/tmp", List.of("--tmpfs", "/tmp"),
                "/opt/site/bin/tool", List.of("--ro-bind", bound.resolve("job.sh").toString(), "/opt/site/bin/tool")));
    }

    private static void executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void linksAreFollowedInsideTheImageAndBindsLeadToTheHost() {
        assertThat(paths.resolve("/bin/sh").host()).isEqualTo(image.resolve("usr/bin/busybox"));
        assertThat(paths.resolve("/usr/bin/../../bin/./busybox").host()).isEqualTo(image.resolve("usr/bin/busybox"));
        assertThat(paths.resolve("/work/job.sh").host()).isEqualTo(bound.resolve("job.sh"));
        assertThat(paths.resolve("/bin/dangling").kind()).isEqualTo(ContainerPaths.Kind.MISSING);
        assertThat(paths.resolve("/bin/loop").kind()).isEqualTo(ContainerPaths.Kind.MISSING);
        assertThat(paths.resolve("/proc/self/exe").kind()).isEqualTo(ContainerPaths.Kind.UNKNOWN);
    }

    @Test
    void programsFoundOnPathOrByPathRunAndOthersAreNamed() {
        CommandLookup.check(paths, "sh", "/usr/local/bin:/bin", "/", "img");
        CommandLookup.check(paths, "/work/job.sh", "/bin", "/", "img");
        CommandLookup.check(paths, "./job.sh", "/bin", "/work", "img");
        CommandLookup.check(paths, "/tmp/made-at-run-time", "/bin", "/", "img");
        CommandLookup.check(paths, "anything", "/tmp:/bin", "/", "img");
        CommandLookup.check(paths, "tool", "/bin:/opt/site/bin", "/", "img");
        assertThatThrownBy(() -> CommandLookup.check(paths, "/opt/site/other", "/bin", "/", "img"))
                .hasMessage("/opt/site/other: no such file in image img");

        assertThatThrownBy(() -> CommandLookup.check(paths, "python3", "/usr/local/bin:/bin", "/", "img"))
                .isInstanceOf(BerthException.class).hasMessage("python3: command not found in image img (PATH=/usr/local/bin:/bin)")
                .extracting(e -> ((BerthException) e).code()).isEqualTo(CommandLookup.NOT_FOUND);
        assertThatThrownBy(() -> CommandLookup.check(paths, "/opt/app", "/bin", "/", "img"))
                .hasMessage("/opt/app: no such file in image img");
        assertThatThrownBy(() -> CommandLookup.check(paths, "plain", "/bin", "/", "img"))
                .hasMessage("plain: is not executable (in image img)")
                .extracting(e -> ((BerthException) e).code()).isEqualTo(CommandLookup.NOT_EXECUTABLE);
        assertThatThrownBy(() -> CommandLookup.check(paths, "/bin/adir", "/bin", "/", "img"))
                .hasMessage("/bin/adir: is a directory (in image img)");
    }
}
