package dev.berth.oci.store;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestMismatchException;
import dev.berth.oci.InvalidImageException;
import dev.berth.oci.MediaType;
import dev.berth.oci.Reference;
import dev.berth.oci.TestImages;
import dev.berth.oci.TestImages.Image;
import dev.berth.oci.VerifyingSink;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.transfer.ImageCopier;
import dev.berth.oci.transfer.PlatformChoice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalStoreTest {
    @TempDir
    Path temp;
    private LocalStore store;

    @BeforeEach
    void open() throws IOException {
        store = LocalStore.open(temp.resolve("store"));
    }

    private List<Path> blobFiles() throws IOException {
        try (Stream<Path> files = Files.walk(store.root().resolve("blobs"))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void namesAnImageOnlyWhenTheTransactionCommits() throws IOException {
        Image image = TestImages.simple("one");
        try (StoreTransaction tx = store.begin()) {
            for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
                tx.putBlob(Descriptor.of("x/y", blob.getKey(), blob.getValue().length), new ByteArrayInputStream(blob.getValue()));
            }
            tx.putManifest(image.manifest());
            tx.tag(Reference.parse("one"), image.manifest());
        }
        assertThat(store.images()).isEmpty();
        assertThat(blobFiles()).isEmpty();
        assertThat(store.root().resolve("staging")).isEmptyDirectory();

        TestImages.store(store, "one", image);
        assertThat(store.images()).extracting(r -> r.name().toString()).containsExactly("docker.io/library/one:latest");
        assertThat(store.require("one").root().digest()).isEqualTo(image.manifest().digest());
        assertThat(blobFiles()).hasSize(image.blobs().size() + 1);
    }

    @Test
    void refusesABlobWhoseBytesDoNotMatchAndKeepsNothing() throws IOException {
        byte[] content = "real".getBytes();
        Digest lie = Digest.of("claimed".getBytes());
        try (StoreTransaction tx = store.begin()) {
            assertThatThrownBy(() -> tx.putBlob(Descriptor.of("x/y", lie, content.length), new ByteArrayInputStream(content)))
                    .isInstanceOf(DigestMismatchException.class);
            assertThat(tx.hasBlob(Descriptor.of("x/y", lie, content.length))).isFalse();
        }
        assertThat(blobFiles()).isEmpty();
    }

    @Test
    void refusesToCommitAManifestWhoseBlobsAreMissing() throws IOException {
        Image image = TestImages.simple("incomplete");
        try (StoreTransaction tx = store.begin()) {
            tx.putManifest(image.manifest());
            tx.tag(Reference.parse("incomplete"), image.manifest());
            assertThatThrownBy(tx::commit).isInstanceOf(InvalidImageException.class).hasMessageContaining("missing");
        }
        assertThat(store.images()).isEmpty();
        assertThat(blobFiles()).isEmpty();
    }

    @Test
    void findsImagesByNameDigestAndDigestPrefix() throws IOException {
        Image image = TestImages.simple("find");
        TestImages.store(store, "quay.io/group/tool:1.0", image);
        Digest digest = image.manifest().digest();
        assertThat(store.find("quay.io/group/tool:1.0")).isPresent();
        assertThat(store.find("quay.io/group/tool")).isEmpty();
        assertThat(store.find("quay.io/group/tool@" + digest)).isPresent();
        assertThat(store.find(digest.hex().substring(0, 12))).isPresent();
        assertThat(store.find(digest.toString())).isPresent();
        assertThatThrownBy(() -> store.require("nothing")).hasMessageContaining("no image \"nothing\"");
    }

    /** refs.json as berth wrote it before it wrote it field by field: stores made then still open. */
    @Test
    void readsTheNameListOfEarlierBerthVersionsAndWritesItBackTheSame() throws IOException {
        Image image = TestImages.simple("old");
        TestImages.store(store, "example.org/old:1", image);
        Path refs = store.root().resolve("refs.json");
        String earlier = """
                {"format":1,"images":{"example.org/old:1":{"root":{"mediaType":"%s","digest":"%s","size":%d,\
                "annotations":{"org.opencontainers.image.ref.name":"1"},\
                "platform":{"architecture":"arm64","os":"linux","os.features":["x"],"variant":"v8"}},\
                "taggedAt":"2026-01-02T03:04:05Z","futureField":[1,{"a":2}]}}}""".formatted(
                image.manifest().mediaType(), image.manifest().digest(), image.manifest().size());
        Files.writeString(refs, earlier);

        ImageRecord record = store.require("example.org/old:1");
        assertThat(record.root().digest()).isEqualTo(image.manifest().digest());
        assertThat(record.root().annotations()).containsEntry("org.opencontainers.image.ref.name", "1");
        assertThat(record.root().platform().osFeatures()).containsExactly("x");
        assertThat(record.root().platform().variant()).isEqualTo("v8");
        assertThat(record.taggedAt()).hasToString("2026-01-02T03:04:05Z");

        store.tag(Reference.parse("example.org/old:2"), record.root());
        assertThat(store.require("example.org/old:1").root()).isEqualTo(record.root());
        assertThat(store.require("example.org/old:2").root().digest()).isEqualTo(record.root().digest());
    }

    @Test
    void refusesANameListItCannotRead() throws IOException {
        TestImages.store(store, "example.org/x:1", TestImages.simple("x"));
        Files.writeString(store.root().resolve("refs.json"), "{\"format\":1,\"images\":{\"a\":{\"root\":{\"size\":\"big\"}}}}");
        assertThatThrownBy(() -> store.images()).isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("refs.json").hasMessageContaining("size");
        Files.writeString(store.root().resolve("refs.json"), "{\"format\":2,\"images\":{}}");
        assertThatThrownBy(() -> store.images()).hasMessageContaining("format 2");
    }

    @Test
    void pruneRemovesOnlyWhatNoNameReaches() throws IOException {
        Image kept = TestImages.simple("kept");
        Image dropped = TestImages.simple("dropped");
        TestImages.store(store, "kept", kept);
        TestImages.store(store, "dropped", dropped);
        store.tag(Reference.parse("kept:alias"), kept.descriptor());
        store.untag(Reference.parse("dropped"));
        store.untag(Reference.parse("kept"));

        LocalStore.PruneResult result = store.prune();

        // the two images share no blob: the dropped one's config, two layers and manifest go
        assertThat(result.blobsRemoved()).isEqualTo(4);
        assertThat(blobFiles()).hasSize(4);
        new ImageCopier().copy(store, store.require("kept:alias").root(), PlatformChoice.ALL, new VerifyingSink());
    }

    @Test
    void aReferrerIsFoundByItsSubjectAndLivesExactlyAsLongAsTheSubject() throws IOException {
        Image image = TestImages.simple("subject");
        TestImages.store(store, "subject", image);
        byte[] empty = "{}".getBytes(StandardCharsets.US_ASCII);
        byte[] note = "a note about the image".getBytes(StandardCharsets.US_ASCII);
        Descriptor config = Descriptor.of(MediaType.OCI_EMPTY, Digest.of(empty), empty.length);
        Descriptor layer = Descriptor.of("text/plain", Digest.of(note), note.length);
        ManifestBytes referrer = ManifestBytes.create(new ImageManifest(
                2, MediaType.OCI_MANIFEST, "text/plain", config, List.of(layer), image.descriptor(), null));
        try (StoreTransaction tx = store.begin()) {
            tx.putBlob(config, new ByteArrayInputStream(empty));
            tx.putBlob(layer, new ByteArrayInputStream(note));
            tx.putReferrer(referrer);
            tx.commit();
        }
        assertThat(store.referrers(image.manifest().digest())).extracting(ManifestBytes::digest)
                .containsExactly(referrer.digest());
        assertThat(store.referrers(Digest.of(note))).isEmpty();

        assertThat(store.prune().blobsRemoved()).isZero();
        assertThat(store.readBlob(Digest.of(note))).isEqualTo(note);

        store.untag(Reference.parse("subject"));
        store.prune();
        assertThat(blobFiles()).isEmpty();
        assertThat(store.referrers(image.manifest().digest())).isEmpty();
        try (Stream<Path> marks = Files.walk(store.root().resolve("referrers"))) {
            assertThat(marks.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void pruneWaitsForARunningTransactionSoItsBlobsSurvive() throws Exception {
        Image image = TestImages.simple("racing");
        CountDownLatch blobsWritten = new CountDownLatch(1);
        CountDownLatch pruneStarted = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> importer = pool.submit(() -> {
                try (StoreTransaction tx = store.begin()) {
                    for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
                        tx.putBlob(Descriptor.of("x/y", blob.getKey(), blob.getValue().length), new ByteArrayInputStream(blob.getValue()));
                    }
                    tx.putManifest(image.manifest());
                    blobsWritten.countDown();
                    pruneStarted.await(10, TimeUnit.SECONDS);
                    Thread.sleep(200);
                    tx.tag(Reference.parse("racing"), image.manifest());
                    tx.commit();
                }
                return null;
            });
            blobsWritten.await(10, TimeUnit.SECONDS);
            Future<LocalStore.PruneResult> pruner = pool.submit(() -> {
                pruneStarted.countDown();
                return store.prune();
            });
            importer.get(20, TimeUnit.SECONDS);
            assertThat(pruner.get(20, TimeUnit.SECONDS).blobsRemoved()).isZero();
        } finally {
            pool.shutdownNow();
        }
        new ImageCopier().copy(store, store.require("racing").root(), PlatformChoice.ALL, new VerifyingSink());
    }

    @Test
    void concurrentImportsOfTheSameImageBothSucceed() throws Exception {
        Image image = TestImages.simple("twice");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(pool.submit(() -> {
                    TestImages.store(store, "twice", image);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.images()).hasSize(1);
        assertThat(blobFiles()).hasSize(image.blobs().size() + 1);
    }
}
