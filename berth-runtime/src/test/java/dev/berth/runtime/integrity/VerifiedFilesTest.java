package dev.berth.runtime.integrity;

import dev.berth.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedFilesTest {
    @TempDir
    Path temp;

    private long uid() throws Exception {
        return ((Number) Files.getAttribute(temp, "unix:uid")).longValue();
    }

    @Test
    void aRememberedFileHoldsItsDigestAndAChangedOneIsHashedAgain() throws Exception {
        Path file = Files.writeString(temp.resolve("image.sqfs"), "content");
        Digest digest = Digest.of("content".getBytes(StandardCharsets.UTF_8));
        VerifiedFiles verified = new VerifiedFiles(temp.resolve("verified"), uid());
        verified.remember(file, digest);
        assertThat(verified.holds(file, digest)).isTrue();
        Files.writeString(file, "changed");
        assertThat(verified.holds(file, digest)).isFalse();
    }

    @Test
    void aCheckSweepsWhatAKilledWriterLeft() throws Exception {
        Path file = Files.writeString(temp.resolve("image.sqfs"), "content");
        Digest digest = Digest.of("content".getBytes(StandardCharsets.UTF_8));
        Path directory = temp.resolve("verified");
        VerifiedFiles verified = new VerifiedFiles(directory, uid());
        verified.remember(file, digest);
        // what a writer killed after its record was in place leaves: its scratch directory and lock
        Files.createDirectory(directory.resolve(".tmp-record-0123456789abcdef0123456789abcdef"));
        Files.createFile(directory.resolve(".tmp-record-0123456789abcdef0123456789abcdef.lock"));

        assertThat(verified.holds(file, digest)).isTrue();
        try (var left = Files.list(directory)) {
            assertThat(left.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith(".tmp-"));
        }
    }
}
