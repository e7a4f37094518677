package dev.berth.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Each kind of bad input gets one clear line, exit code 1, and leaves the store exactly as it was. */
class BadInputTest {
    @TempDir
    static Path shared;
    static Path goodLayout;
    /** Shares its base layer with goodLayout but adds one the store does not have, so that layer must be read. */
    static Path biggerLayout;

    @TempDir
    Path temp;
    private Berth berth;
    private List<String> storeBefore;

    @BeforeAll
    static void buildImage() throws IOException {
        goodLayout = UmociImages.busybox(shared.resolve("good"), "latest", 0);
        biggerLayout = UmociImages.busybox(shared.resolve("bigger"), "latest", 2 << 20);
    }

    @BeforeEach
    void storeWithOneImage() throws IOException {
        berth = new Berth(temp.resolve("data"));
        berth.ok("import", goodLayout.toString(), "--name", "existing:1");
        storeBefore = snapshot();
    }

    /** Every file of the store with its size, except the lock files. */
    private List<String> snapshot() throws IOException {
        Path store = berth.dataDir().resolve("store");
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(p -> !p.getFileName().toString().endsWith(".lock"))
                    .map(p -> store.relativize(p) + (Files.isRegularFile(p) ? " " + p.toFile().length() : "/"))
                    .sorted().toList();
        }
    }

    private Path copyOf(Path layout) throws IOException {
        Path copy = temp.resolve("layout");
        try (Stream<Path> files = Files.walk(layout)) {
            for (Path source : files.toList()) {
                Files.copy(source, copy.resolve(layout.relativize(source).toString()));
            }
        }
        return copy;
    }

    private Path largestBlob(Path layout) throws IOException {
        try (Stream<Path> blobs = Files.list(layout.resolve("blobs/sha256"))) {
            return blobs.max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
        }
    }

    private void assertRefusedWith(Tools.Result result, String expectedFragment) throws IOException {
        assertThat(result.exitCode()).as("exit code").isEqualTo(1);
        assertThat(result.stderr()).startsWith("berth: ").contains(expectedFragment);
        assertThat(result.stderr().strip().lines()).as("one line, no stack trace").hasSize(1);
        assertThat(snapshot()).as("store unchanged").isEqualTo(storeBefore);
    }

    @Test
    void truncatedDockerArchive() throws IOException {
        Path archive = temp.resolve("image.tar");
        berth.ok("export", "existing:1", archive.toString());
        try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
            file.setLength(file.length() / 2);
        }
        assertRefusedWith(berth.run("import", archive.toString(), "--name", "broken"), "Truncated");
    }

    @Test
    void blobWhoseBytesDoNotMatchItsDigest() throws IOException {
        Path layout = copyOf(biggerLayout);
        Path blob = largestBlob(layout);
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 1;
        Files.write(blob, bytes);
        assertRefusedWith(berth.run("import", layout.toString(), "--name", "tampered"), "does not match its digest");
    }

    @Test
    void manifestNamingAMissingBlob() throws IOException {
        Path layout = copyOf(biggerLayout);
        Path blob = largestBlob(layout);
        Files.delete(blob);
        assertRefusedWith(berth.run("import", layout.toString(), "--name", "incomplete"),
                "names blob sha256:" + blob.getFileName() + " but does not contain it");
    }

    @Test
    void invalidJson() throws IOException {
        Path layout = copyOf(goodLayout);
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\": 2, \"manifests\": [");
        assertRefusedWith(berth.run("import", layout.toString(), "--name", "badjson"), "not valid JSON");
    }

    @Test
    void referenceThatDoesNotParse() throws IOException {
        assertRefusedWith(berth.run("import", goodLayout.toString(), "--name", "Not/A Valid:name"), "invalid image reference");
        assertRefusedWith(berth.run("tag", "existing:1", "lab/UPPER"), "must be lowercase");
        assertRefusedWith(berth.run("inspect", "bad@sha256:123"), "not a valid digest");
    }

    @Test
    void notADockerArchiveAtAll() throws IOException {
        Path junk = Files.writeString(temp.resolve("junk.tar"), "this is not a tar file");
        Tools.Result result = berth.run("import", junk.toString());
        assertRefusedWith(result, junk.toString());
    }

    @Test
    void proxyVariableBerthCannotUse() throws IOException {
        Tools.Result result = Berth.process(temp, Map.of("BERTH_DATA_DIR", berth.dataDir().toString(),
                "HTTPS_PROXY", "socks5://proxy.example.org:1080"), "pull", "registry.example.org/lab/tool:1");
        assertRefusedWith(result, "HTTPS_PROXY must be an http:// proxy URL");
    }

    @Test
    void pathThatDoesNotExist() throws IOException {
        assertRefusedWith(berth.run("import", temp.resolve("nowhere").toString()), "no such file or directory");
    }

    @Test
    void exportToAnUnwritableLocationLeavesNothingBehind() throws IOException {
        Path notADir = Files.writeString(temp.resolve("file"), "x");
        assertRefusedWith(berth.run("export", "existing:1", notADir.resolve("sub/image.tar").toString()), "does not exist");
        Path nonEmpty = Files.createDirectories(temp.resolve("occupied"));
        Files.writeString(nonEmpty.resolve("keep.txt"), "mine");
        assertRefusedWith(berth.run("export", "existing:1", nonEmpty.toString()), "not an OCI layout");
        assertThat(nonEmpty.resolve("keep.txt")).hasContent("mine");
    }
}
