package dev.berth.registry.storage;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Both ways an upload is appended to (O_DIRECT where the file system has it, buffered with early
 * write-back elsewhere, e.g. tmpfs) keep every byte, in order, across appends that start and end
 * inside disk blocks, and show the hash tap exactly the appended bytes.
 */
class DurableAppendTest {
    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void appendsOfOddSizesComeBackByteForByte(boolean direct) throws IOException {
        assumeTrue(!direct || DirectAppender.supportedIn(temp), "no O_DIRECT on this file system");
        Path file = Files.createFile(temp.resolve("data"));
        byte[] content = new byte[9 * 1024 * 1024 + 4321];
        new Random(42).nextBytes(content);
        ByteArrayOutputStream tapped = new ByteArrayOutputStream();
        // one append ending inside a block, one starting there and spanning several buffers, a small tail
        int[] cuts = {0, 5000, 5000 + 8 * 1024 * 1024 + 123, content.length};
        for (int i = 0; i + 1 < cuts.length; i++) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                channel.position(cuts[i]);
                try (DurableAppend append = open(direct, file, channel, cuts[i], copyTo(tapped))) {
                    // socket-sized pieces, as a request body arrives
                    for (int at = cuts[i]; at < cuts[i + 1]; at += 65_537) {
                        ByteBuffer piece = ByteBuffer.wrap(content, at, Math.min(65_537, cuts[i + 1] - at));
                        while (piece.hasRemaining()) {
                            append.write(piece);
                        }
                    }
                    append.finish();
                }
            }
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(tapped.toByteArray()).isEqualTo(content);
    }

    private static DurableAppend open(boolean direct, Path file, FileChannel channel, long start, Consumer<ByteBuffer> tap)
            throws IOException {
        return direct ? new DirectAppender(file, channel, start, tap) : new EarlyWriteback(channel, tap);
    }

    private static Consumer<ByteBuffer> copyTo(ByteArrayOutputStream out) {
        return buffer -> {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            synchronized (out) {
                out.write(bytes, 0, bytes.length);
            }
        };
    }
}
