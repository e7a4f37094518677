package dev.berth.oci.store;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestMismatchException;
import dev.berth.oci.transfer.BlobOpener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Downloads into the store that were cut short, and what the next download of the same blob makes of them. */
class PartialBlobsTest {
    private static final byte[] CONTENT = "0123456789abcdefghijklmnopqrstuvwxyz".repeat(30_000).getBytes(StandardCharsets.US_ASCII);
    private static final Descriptor BLOB = Descriptor.of("application/octet-stream", Digest.of(CONTENT), CONTENT.length);

    @TempDir
    Path temp;
    private LocalStore store;

    @BeforeEach
    void open() throws IOException {
        store = LocalStore.open(temp.resolve("store"));
    }

    /** A download that sends {@code bytes} from the offset it is asked for, and then breaks if they end early. */
    private static final class Download implements BlobOpener {
        private final byte[] bytes;
        private final int breakAfter;
        final List<Long> offsets = new ArrayList<>();

        Download(byte[] bytes, int breakAfter) {
            this.bytes = bytes;
            this.breakAfter = breakAfter;
        }

        @Override
        public InputStream open() {
            return openFrom(0);
        }

        @Override
        public InputStream openFrom(long offset) {
            offsets.add(offset);
            int end = Math.min(bytes.length, breakAfter);
            InputStream sent = new ByteArrayInputStream(Arrays.copyOfRange(bytes, (int) offset, Math.max((int) offset, end)));
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    int b = sent.read();
                    if (b < 0 && end < bytes.length) {
                        throw new IOException("connection reset");
                    }
                    return b;
                }
            };
        }

        @Override
        public boolean costlyToReadAgain() {
            return true;
        }
    }

    private void put(BlobOpener download) throws IOException {
        try (StoreTransaction tx = store.begin()) {
            tx.putBlob(BLOB, download);
            tx.commit();
        }
    }

    private List<Path> partials() throws IOException {
        try (var files = Files.list(store.root().resolve("partial"))) {
            return files.toList();
        }
    }

    @Test
    void aCutDownloadIsResumedFromTheByteItReached() throws IOException {
        assertThatThrownBy(() -> put(new Download(CONTENT, 700_000))).hasMessageContaining("connection reset");
        assertThat(partials()).hasSize(1);
        long kept = Files.size(partials().getFirst());
        // what was read but not yet written when the connection broke is lost: less than one write
        assertThat(kept).isBetween(400_000L, 700_000L);
        assertThat(store.hasBlob(BLOB.digest())).isFalse();

        Download rest = new Download(CONTENT, Integer.MAX_VALUE);
        put(rest);

        assertThat(rest.offsets).containsExactly(kept);
        assertThat(store.readBlob(BLOB.digest())).isEqualTo(CONTENT);
        assertThat(partials()).isEmpty();
    }

    @Test
    void keptBytesThatAreNotTheBlobsAreRefusedAndDropped() throws IOException {
        byte[] forged = CONTENT.clone();
        forged[5] = 'X';
        assertThatThrownBy(() -> put(new Download(forged, 700_000))).hasMessageContaining("connection reset");

        assertThatThrownBy(() -> put(new Download(CONTENT, Integer.MAX_VALUE))).isInstanceOf(DigestMismatchException.class);

        assertThat(partials()).as("bytes that hashed wrong").isEmpty();
        assertThat(store.hasBlob(BLOB.digest())).isFalse();
        put(new Download(CONTENT, Integer.MAX_VALUE));
        assertThat(store.readBlob(BLOB.digest())).isEqualTo(CONTENT);
    }

    @Test
    void aSourceSendingMoreThanTheBlobIsRefusedAndNothingKept() {
        byte[] longer = Arrays.copyOf(CONTENT, CONTENT.length + 10);

        assertThatThrownBy(() -> put(new Download(longer, Integer.MAX_VALUE))).isInstanceOf(DigestMismatchException.class);

        assertThat(temp.resolve("store/partial").toFile().list()).isEmpty();
    }

    @Test
    void pruneRemovesWhatNoDownloadFinished() throws IOException {
        assertThatThrownBy(() -> put(new Download(CONTENT, 700_000))).hasMessageContaining("connection reset");
        long kept = Files.size(partials().getFirst());
        assertThat(store.usage().unreferencedBytes()).isEqualTo(kept);

        LocalStore.PruneResult pruned = store.prune();

        assertThat(pruned.bytesRemoved()).isEqualTo(kept);
        assertThat(partials()).isEmpty();
    }
}
