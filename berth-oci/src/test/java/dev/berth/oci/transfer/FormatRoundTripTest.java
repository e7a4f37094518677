package dev.berth.oci.transfer;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.oci.TestImages.Image;
import dev.berth.oci.TestImages;
import dev.berth.oci.VerifyingSink;
import dev.berth.oci.archive.DockerArchive;
import dev.berth.oci.archive.DockerArchiveWriter;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.layer.Compression;
import dev.berth.oci.layout.OciLayout;
import dev.berth.oci.layout.OciLayoutWriter;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.store.StoreTransaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Images travel between layout, store and docker-archive with their identities intact. */
class FormatRoundTripTest {
    @TempDir
    Path temp;

    @Test
    void ociLayoutToStoreAndBackKeepsEveryDigest() throws IOException {
        Image image = TestImages.image(Compression.ZSTD, List.of(Map.of("a", "1"), Map.of("b", "2")));
        OciLayout layout = OciLayout.open(TestImages.layout(temp.resolve("in"), Map.of("example.org/x:v1", image)));
        assertThat(OciLayout.nameOf(layout.entries().getFirst(), "ignored").toString()).isEqualTo("example.org/x:v1");

        LocalStore store = LocalStore.open(temp.resolve("store"));
        try (StoreTransaction tx = store.begin()) {
            ManifestBytes root = new ImageCopier().copy(layout, layout.entry("v1"), PlatformChoice.ALL, tx);
            tx.tag(Reference.parse("example.org/x:v1"), root);
            tx.commit();
        }
        try (OciLayoutWriter out = OciLayoutWriter.create(temp.resolve("out"))) {
            ManifestBytes root = new ImageCopier().copy(store, store.require("example.org/x:v1").root(), PlatformChoice.ALL, out);
            out.tag(Reference.parse("example.org/x:v1"), root);
            out.commit();
        }
        OciLayout exported = OciLayout.open(temp.resolve("out"));
        assertThat(exported.entry("v1").digest()).isEqualTo(image.manifest().digest());
        for (Digest digest : image.blobs().keySet()) {
            assertThat(temp.resolve("out/blobs/sha256").resolve(digest.hex())).hasBinaryContent(image.blobs().get(digest));
        }
    }

    @Test
    void addingToAnExistingLayoutReplacesOnlyTheSameTag() throws IOException {
        TestImages.layout(temp.resolve("l"), Map.of("x:a", TestImages.simple("a"), "x:b", TestImages.simple("b")));
        Image replacement = TestImages.simple("b2");
        TestImages.layout(temp.resolve("l"), Map.of("x:b", replacement));
        OciLayout layout = OciLayout.open(temp.resolve("l"));
        assertThat(layout.entries()).hasSize(2);
        assertThat(layout.entry("b").digest()).isEqualTo(replacement.manifest().digest());
    }

    @Test
    void dockerArchiveRoundTripKeepsConfigAndLayerIdentities() throws IOException {
        Image image = TestImages.image(Compression.GZIP, List.of(Map.of("etc/os-release", "ID=test"), Map.of("usr/bin/x", "x")));
        OciLayout layout = OciLayout.open(TestImages.layout(temp.resolve("in"), Map.of("tool:2", image)));
        Path archivePath = temp.resolve("tool.tar");
        try (DockerArchiveWriter writer = DockerArchiveWriter.create(archivePath)) {
            ManifestBytes root = new ImageCopier().copy(layout, layout.entry("2"), PlatformChoice.ALL, writer);
            writer.tag(Reference.parse("tool:2"), root);
            writer.commit();
        }
        assertThat(temp).isDirectoryNotContaining("glob:**/.tmp-*");

        try (DockerArchive archive = DockerArchive.open(archivePath)) {
            DockerArchive.ArchivedImage archived = archive.images().getFirst();
            assertThat(archived.repoTags()).containsExactly("tool:2");
            Descriptor config = archived.manifest().manifest().config();
            assertThat(config.digest()).isEqualTo(image.manifest().manifest().config().digest());
            ImageConfig parsed = ImageConfig.parse(image.blobs().get(config.digest()));
            // docker-archive layers are uncompressed: their digests are the config's diff_ids
            assertThat(archived.manifest().manifest().layers()).extracting(Descriptor::digest).isEqualTo(parsed.rootfs().diffIds());
            assertThat(archived.manifest().manifest().layers()).extracting(Descriptor::mediaType).containsOnly(MediaType.OCI_LAYER);
            new ImageCopier().copy(archive, archived.manifest().descriptor(), PlatformChoice.ALL, new VerifyingSink());
        }
    }

    @Test
    void aDockerArchiveServesItsBlobsToParallelReaders() throws Exception {
        List<Map<String, String>> layers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            layers.add(Map.of("layer" + i, String.valueOf(i).repeat(200_000 + i)));
        }
        Image image = TestImages.image(Compression.GZIP, layers);
        OciLayout layout = OciLayout.open(TestImages.layout(temp.resolve("in"), Map.of("wide:1", image)));
        Path archivePath = temp.resolve("wide.tar");
        try (DockerArchiveWriter writer = DockerArchiveWriter.create(archivePath)) {
            writer.tag(Reference.parse("wide:1"), new ImageCopier().copy(layout, layout.entry("1"), PlatformChoice.ALL, writer));
            writer.commit();
        }
        try (DockerArchive archive = DockerArchive.open(archivePath);
             ExecutorService readers = Executors.newFixedThreadPool(8)) {
            List<Descriptor> blobs = archive.images().getFirst().manifest().manifest().layers();
            List<Future<Digest>> read = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                for (Descriptor blob : blobs) {
                    read.add(readers.submit(() -> {
                        try (InputStream in = archive.blob(blob)) {
                            return Digest.of(in.readAllBytes());
                        }
                    }));
                }
            }
            for (int i = 0; i < read.size(); i++) {
                assertThat(read.get(i).get()).isEqualTo(blobs.get(i % blobs.size()).digest());
            }
        }
    }

    @Test
    void dockerArchiveRefusesAnIndex() throws IOException {
        Image image = TestImages.simple("multi");
        ManifestBytes index = ManifestBytes.create(ImageIndex.of(MediaType.OCI_INDEX,
                List.of(image.descriptor().withPlatform(Platform.parse("linux/amd64")))));
        try (DockerArchiveWriter writer = DockerArchiveWriter.create(temp.resolve("x.tar"))) {
            assertThatThrownBy(() -> writer.putManifest(index)).hasMessageContaining("--platform");
        }
        assertThat(temp.resolve("x.tar")).doesNotExist();
    }

    @Test
    void copyResolvesAnIndexToTheRequestedPlatformOrListsWhatItHas() throws IOException {
        Image amd = TestImages.simple("amd");
        Image arm = TestImages.simple("arm");
        ManifestBytes index = ManifestBytes.create(ImageIndex.of(MediaType.OCI_INDEX, List.of(
                amd.descriptor().withPlatform(Platform.parse("linux/amd64")),
                arm.descriptor().withPlatform(Platform.parse("linux/arm64/v8")))));
        Path dir = TestImages.layout(temp.resolve("multi"), Map.of("m:amd", amd, "m:arm", arm));
        try (OciLayoutWriter writer = OciLayoutWriter.create(dir)) {
            writer.putManifest(index);
            writer.tag(Reference.parse("m:all"), index);
            writer.commit();
        }
        OciLayout layout = OciLayout.open(dir);
        ManifestBytes chosen = new ImageCopier().copy(layout, layout.entry("all"),
                PlatformChoice.only(Platform.parse("linux/arm64")), new VerifyingSink());
        assertThat(chosen.digest()).isEqualTo(arm.manifest().digest());

        VerifyingSink all = new VerifyingSink();
        assertThat(new ImageCopier().copy(layout, layout.entry("all"), PlatformChoice.ALL, all).digest()).isEqualTo(index.digest());
        assertThat(all.verified()).hasSize(6);

        assertThatThrownBy(() -> new ImageCopier().copy(layout, layout.entry("all"),
                PlatformChoice.only(Platform.parse("linux/s390x")), new VerifyingSink()))
                .hasMessageContaining("linux/amd64, linux/arm64/v8");
    }

    @Test
    void aTamperedBlobInALayoutStopsTheCopy() throws IOException {
        Image image = TestImages.simple("tampered");
        Path dir = TestImages.layout(temp.resolve("t"), Map.of("t:1", image));
        Digest layer = image.manifest().manifest().layers().getFirst().digest();
        Files.write(dir.resolve("blobs/sha256").resolve(layer.hex()), new byte[] {1, 2, 3});
        OciLayout layout = OciLayout.open(dir);
        LocalStore store = LocalStore.open(temp.resolve("store"));
        try (StoreTransaction tx = store.begin()) {
            assertThatThrownBy(() -> new ImageCopier().copy(layout, layout.entry("1"), PlatformChoice.ALL, tx))
                    .hasMessageContaining(layer.toString());
        }
        assertThat(store.hasBlob(layer)).isFalse();
    }
}
