package dev.berth.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code berth export} to a place that cannot hold what it writes says so in one line and exits 1,
 * losing nothing that was there; a device or FIFO receives a docker-archive as a stream.
 */
class ExportErrorsTest {
    private static final String IMAGE = "exported:1";

    @TempDir
    static Path shared;
    static Path layout;

    @TempDir
    Path temp;
    private Berth berth;

    @BeforeAll
    static void buildImage() throws IOException {
        layout = UmociImages.busybox(shared.resolve("layout"), "latest", 0);
    }

    @BeforeEach
    void storeWithOneImage() {
        berth = new Berth(temp.resolve("data"));
        berth.ok("import", layout.toString(), "--name", IMAGE);
    }

    private static void assertRefusedWith(Tools.Result result, String expectedFragment) {
        assertThat(result.exitCode()).as("exit code of " + result).isEqualTo(1);
        assertThat(result.stderr()).startsWith("berth: ").contains(expectedFragment);
        assertThat(result.stderr().strip().lines()).as("one line, no stack trace").hasSize(1);
    }

    @Test
    void anOciLayoutOverAnExistingFileIsRefusedAndTheFileKept() throws IOException {
        Path file = Files.writeString(temp.resolve("notes"), "my notes\n");
        assertRefusedWith(berth.run("export", IMAGE, file.toString()), "it is a file, and an OCI layout is a directory");
        assertRefusedWith(berth.run("export", "--format", "oci", IMAGE, file.toString()), "it is a file");
        assertThat(file).hasContent("my notes");
    }

    @Test
    void anOciLayoutToADeviceIsRefusedAndTheDeviceKept() throws IOException {
        assertRefusedWith(berth.run("export", "--format", "oci", IMAGE, "/dev/null"), "it is a device or pipe");
        assertThat(Files.getAttribute(Path.of("/dev/null"), "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(020666);
    }

    @Test
    void anOciLayoutThroughADanglingLinkIsRefused() throws IOException {
        Path link = Files.createSymbolicLink(temp.resolve("layout-link"), temp.resolve("nowhere"));
        assertRefusedWith(berth.run("export", IMAGE, link.toString()), "symbolic link to nothing");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(temp.resolve("nowhere")).doesNotExist();
    }

    @Test
    void aDockerArchiveStreamsToADeviceWithoutReplacingIt() throws IOException {
        Tools.Result result = berth.ok("export", "--format", "docker-archive", IMAGE, "/dev/null");
        assertThat(result.stdout()).isEmpty();
        assertThat(Files.getAttribute(Path.of("/dev/null"), "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(020666);
        assertThat(Path.of("/dev")).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith(".tmp-"));
    }

    /** Bounded: a berth that opens the FIFO to look at it as a directory waits for a writer forever. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDockerArchiveStreamsIntoAFifoThatDockerLoadCouldRead() throws Exception {
        Path fifo = temp.resolve("pipe");
        Tools.ok(temp, "mkfifo", fifo.toString());
        Path received = temp.resolve("received.tar");
        Process reader = new ProcessBuilder("cat", fifo.toString()).redirectOutput(received.toFile()).start();
        try {
            // no .tar and no --format: a pipe can only take an archive
            berth.ok("export", IMAGE, fifo.toString());
            assertThat(reader.waitFor(30, TimeUnit.SECONDS)).as("the reader saw the end of the stream").isTrue();
        } finally {
            reader.destroyForcibly();
        }
        assertThat(Files.getAttribute(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS)).matches(mode -> ((Integer) mode & 0170000) == 0010000);
        assertThat(Tools.ok(temp, "tar", "-tf", received.toString()).stdout().lines()).contains("manifest.json");
        assertThat(temp).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith(".tmp-"));
    }

    @Test
    void aDockerArchiveOverADirectoryOrALinkIsRefusedAndNothingLost() throws IOException {
        Path directory = Files.createDirectory(temp.resolve("image.tar"));
        Files.writeString(directory.resolve("kept"), "kept\n");
        assertRefusedWith(berth.run("export", IMAGE, directory.toString()), "it is a directory");
        assertThat(directory.resolve("kept")).hasContent("kept");

        Path real = Files.writeString(temp.resolve("real.tar"), "old archive\n");
        Path link = Files.createSymbolicLink(temp.resolve("link.tar"), real);
        assertRefusedWith(berth.run("export", IMAGE, link.toString()), "symbolic link, which berth does not replace");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(real).hasContent("old archive");
        assertThat(temp).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith(".tmp-"));
    }

    @Test
    void anExistingArchiveFileIsReplacedWhole() throws IOException {
        Path archive = Files.writeString(temp.resolve("image.tar"), "old archive\n");
        berth.ok("export", IMAGE, archive.toString());
        assertThat(Tools.ok(temp, "tar", "-tf", archive.toString()).stdout().lines()).contains("manifest.json");
    }

    @Test
    void nothingIsWrittenUnderProc() {
        assertRefusedWith(berth.run("export", IMAGE, "/proc/berth-layout"), "kernel's proc file system");
        assertRefusedWith(berth.run("export", IMAGE, "/proc/berth-image.tar"), "kernel's proc file system");
        assertRefusedWith(berth.run("export", "--format", "docker-archive", IMAGE, "/proc/version"), "kernel's proc file system");
        assertThat(Path.of("/proc/berth-layout")).doesNotExist();
    }
}
