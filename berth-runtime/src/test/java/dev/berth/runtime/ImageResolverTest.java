package dev.berth.runtime;

import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.oci.TestImages;
import dev.berth.oci.TestImages.Image;
import dev.berth.oci.layer.Compression;
import dev.berth.oci.store.LocalStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageResolverTest {
    /** A platform no test machine is. */
    private static final Platform ELSEWHERE = Platform.of("linux", "riscv64", null);

    @TempDir
    Path temp;
    private LocalStore store;
    private ImageCache cache;
    private final List<String> pulled = new ArrayList<>();
    private final RecordingPolicy policy = new RecordingPolicy();

    @BeforeEach
    void open() throws IOException {
        store = LocalStore.open(temp.resolve("store"));
        cache = new ImageCache(temp.resolve("cache"), Optional.empty(), notice -> {
        });
    }

    private ImageResolver resolver() {
        return new ImageResolver(store, cache, pulled::add, policy);
    }

    private static Image imageFor(Platform platform, String marker) {
        return TestImages.image(platform, Compression.GZIP, List.of(Map.of("etc/marker", marker)));
    }

    @Test
    void convertsAStoreImageOnceThenServesItWithoutReadingItsManifestOrConfig() throws IOException {
        Image image = imageFor(Platform.host(), "one");
        TestImages.store(store, "example.org/tool:1", image);
        Path converted = resolver().resolve("example.org/tool:1").path();
        assertThat(cache.find(image.manifest().digest()).map(ImageFile::path)).contains(converted);

        Files.delete(store.blobPath(image.manifest().digest()));
        Files.delete(store.blobPath(image.manifest().manifest().config().digest()));
        // first through the store's name list, which remembers the answer; then from that memo alone
        assertThat(resolver().resolve("example.org/tool:1").path()).isEqualTo(converted);
        assertThat(cache.userDirectory().resolve("references")).exists();
        assertThat(resolver().resolve("example.org/tool:1").path()).isEqualTo(converted);
        assertThat(pulled).isEmpty();
        assertThat(policy.asked).containsOnly("image example.org/tool:1@" + image.manifest().digest());
    }

    @Test
    void usesAnImageFileNamedByPathAsItIs() throws IOException {
        TestImages.store(store, "example.org/tool:1", imageFor(Platform.host(), "one"));
        Path file = temp.resolve("tool.img");
        resolver().writeImageFile("example.org/tool:1", file, false);

        assertThat(resolver().resolve(file.toString()).path()).isEqualTo(file);
        assertThat(policy.asked).last().isEqualTo("file " + file);
    }

    @Test
    void manifestsWhoseLayersMakeOneRootFileSystemShareOneConversionAndKeepTheirOwnMetadata() throws IOException {
        List<Map<String, String>> layers = List.of(Map.of("etc/marker", "shared"), Map.of("bin/tool", "#!/bin/sh\n"));
        // the same layers pushed twice, compressed differently: other blobs, another manifest, the same diff_ids
        Image gzip = TestImages.image(Platform.host(), Compression.GZIP, layers);
        Image zstd = TestImages.image(Platform.host(), Compression.ZSTD, layers);
        assertThat(gzip.manifest().digest()).isNotEqualTo(zstd.manifest().digest());
        TestImages.store(store, "example.org/tool:gzip", gzip);
        TestImages.store(store, "example.org/tool:zstd", zstd);

        ImageFile first = resolver().resolve("example.org/tool:gzip");
        ImageFile second = resolver().resolve("example.org/tool:zstd");

        assertThat(second.path()).isEqualTo(first.path());
        try (var files = Files.list(cache.userDirectory().resolve("images"))) {
            assertThat(files.filter(file -> file.toString().endsWith(".sqfs"))).containsExactly(first.path());
        }
        Path tree = temp.resolve("no tree: the metadata is beside the file");
        assertThat(first.metadata(tree).manifest()).isEqualTo(gzip.manifest().digest());
        assertThat(second.metadata(tree).manifest()).isEqualTo(zstd.manifest().digest());
        assertThat(second.metadata(tree).name()).isEqualTo("example.org/tool:zstd");
        assertThat(cache.manifestsOf(first.path().getFileName().toString()))
                .contains(Set.of(gzip.manifest().digest(), zstd.manifest().digest()));
    }

    @Test
    void anImageFileWrittenToCopyCarriesItsOwnMetadata() throws IOException {
        Image image = imageFor(Platform.host(), "portable");
        TestImages.store(store, "example.org/tool:1", image);
        resolver().resolve("example.org/tool:1");
        Path file = temp.resolve("tool.img");

        resolver().writeImageFile("example.org/tool:1", file, true);

        ImageFile written = ImageFile.open(file);
        assertThat(written.offset()).isEqualTo(ImageFile.HEADER_SIZE);
        assertThat(written.cacheFiles()).isEmpty();
        Path tree = Files.createDirectory(temp.resolve("tree"));
        ImageRoot.unpack(written, tree, Files.createDirectory(temp.resolve("scratch")));
        assertThat(tree.resolve("etc/marker")).hasContent("portable");
        assertThat(written.metadata(tree).manifest()).isEqualTo(image.manifest().digest());
        assertThat(written.config(tree).platform()).isEqualTo(Platform.host());

        // an executable image file written again as one gets one header, not two
        Path again = temp.resolve("again.img");
        resolver().writeImageFile(file.toString(), again, true);
        assertThat(ImageFile.open(again).offset()).isEqualTo(ImageFile.HEADER_SIZE);
        assertThat(Files.size(again)).isEqualTo(Files.size(file));
    }

    @Test
    void pullsAnImageTheStoreLacks() throws IOException {
        Image image = imageFor(Platform.host(), "pulled");
        ImageResolver.Puller puller = reference -> {
            pulled.add(reference);
            TestImages.store(store, reference, image);
        };
        ImageFile file = new ImageResolver(store, cache, puller, policy).resolve("example.org/absent:1");

        assertThat(pulled).containsExactly("example.org/absent:1");
        assertThat(cache.find(image.manifest().digest()).map(ImageFile::path)).contains(file.path());
    }

    @Test
    void choosesTheHostsImageOfAnIndex() throws IOException {
        Image elsewhere = imageFor(ELSEWHERE, "elsewhere");
        Image here = imageFor(Platform.host(), "here");
        TestImages.store(store, "example.org/multi:1",
                TestImages.index(List.of(elsewhere, here), List.of(ELSEWHERE, Platform.host())));

        Path converted = resolver().resolve("example.org/multi:1").path();

        assertThat(cache.find(here.manifest().digest()).map(ImageFile::path)).contains(converted);
        assertThat(cache.find(elsewhere.manifest().digest())).isEmpty();
    }

    @Test
    void refusesAnImageForAnotherPlatformBeforeConvertingIt() throws IOException {
        Image image = imageFor(ELSEWHERE, "elsewhere");
        TestImages.store(store, "example.org/riscv:1", image);

        assertThatThrownBy(() -> resolver().resolve("example.org/riscv:1"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.code()).isEqualTo("PLATFORM_MISMATCH"))
                .hasMessage("image example.org/riscv:1 is for linux/riscv64 and cannot run on this " + Platform.host()
                        + " machine; use an image built for " + Platform.host());
        assertThat(cache.find(image.manifest().digest())).isEmpty();
    }

    @Test
    void asksThePolicyBeforeConverting() throws IOException {
        Image image = imageFor(Platform.host(), "refused");
        TestImages.store(store, "example.org/tool:1", image);
        policy.refuse = true;

        assertThatThrownBy(() -> resolver().resolve("example.org/tool:1")).hasMessageContaining("refused by the test");
        assertThat(cache.find(image.manifest().digest())).isEmpty();
    }

    /** Notes what it was asked; refuses everything once told to. */
    private static final class RecordingPolicy implements ImageResolver.Policy {
        final List<String> asked = new ArrayList<>();
        boolean refuse;

        @Override
        public void requireFile(Path file) {
            answer("file " + file);
        }

        @Override
        public void requireImage(Reference name, Digest digest) {
            answer("image " + name + "@" + digest);
        }

        private void answer(String question) {
            asked.add(question);
            if (refuse) {
                throw new BerthException("POLICY_REFUSED", question + " refused by the test");
            }
        }
    }
}
