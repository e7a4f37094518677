package dev.berth.distribution.testing;

import dev.berth.distribution.copy.ImageTransfer;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.NotFoundException;
import dev.berth.oci.Platform;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.layout.OciLayout;
import dev.berth.oci.layout.OciLayoutWriter;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.PlatformChoice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.berth.distribution.testing.Clients.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pull, push and copy against a registry on 127.0.0.1, with skopeo as the peer that seeds and judges. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RegistryTransferScenarios {
    private static final Platform AMD64 = Platform.of("linux", "amd64", null);
    private static final Platform ARM64 = Platform.of("linux", "arm64", "v8");

    Path shared;
    TestRegistry registry;
    Path seedLayout;
    ManifestBytes single;
    ManifestBytes multi;

    Path work;
    LocalStore store;
    CountingListener listener;
    ImageTransfer transfer;

    /** Starts the registry under test, with its storage under {@code dir}. */
    protected abstract TestRegistry startRegistry(Path dir) throws Exception;

    @BeforeAll
    void startRegistryAndSeed() throws Exception {
        shared = Files.createTempDirectory("berth-scenarios-");
        registry = startRegistry(shared.resolve("registry"));
        seedLayout = shared.resolve("seed");
        OciLayoutWriter layout = OciLayoutWriter.create(seedLayout);
        single = TestImages.image(layout, AMD64, 1, 300_000, 200_000, 5_000);
        ManifestBytes arm = TestImages.image(layout, ARM64, 2, 100_000);
        multi = TestImages.index(layout, List.of(single, arm), List.of(AMD64, ARM64));
        layout.tag(dev.berth.oci.Reference.parse("localhost/test:single"), single);
        layout.tag(dev.berth.oci.Reference.parse("localhost/test:multi"), multi);
        layout.commit();
        Programs.skopeoCopy("oci:" + seedLayout + ":single", "docker://" + registry.host() + "/seed/single:1");
        Programs.skopeoCopy("oci:" + seedLayout + ":multi", "docker://" + registry.host() + "/seed/multi:1");
    }

    @AfterAll
    void stopRegistry() throws Exception {
        registry.close();
        Programs.check("rm", "-rf", shared.toString());
    }

    @BeforeEach
    void newStore(@TempDir Path work) throws Exception {
        this.work = work;
        store = LocalStore.open(work.resolve("store"));
        listener = new CountingListener();
        transfer = Clients.transfer(Clients.registries(work.resolve("auth.json")), store, listener);
    }

    private String image(String repositoryAndTag) {
        return "docker://" + registry.host() + "/" + repositoryAndTag;
    }

    @Test
    public void pullsAnImageSkopeoPushedAndASecondPullMovesNothing() throws Exception {
        ImageTransfer.Result pulled = transfer.copy(at(image("seed/single:1")), at("berth:"), PlatformChoice.host());

        assertThat(pulled.root().digest()).isEqualTo(single.digest());
        assertThat(store.require(registry.host() + "/seed/single:1").root().digest()).isEqualTo(single.digest());
        assertThat(listener.copied()).isEqualTo(4);
        assertThat(listener.bytesRead()).isGreaterThanOrEqualTo(505_000);

        listener.reset();
        transfer.copy(at(image("seed/single:1")), at("berth:"), PlatformChoice.host());
        assertThat(listener.copied()).isZero();
        assertThat(listener.skipped()).isEqualTo(4);
    }

    @Test
    public void anIndexResolvesToTheRequestedPlatformOrSaysWhichExist() throws Exception {
        ImageTransfer.Result arm = transfer.copy(at(image("seed/multi:1")), at("berth:"), PlatformChoice.only(ARM64));
        assertThat(arm.root().isIndex()).isFalse();
        assertThat(store.require(registry.host() + "/seed/multi:1").root().digest()).isEqualTo(arm.root().digest());

        assertThatThrownBy(() -> transfer.copy(at(image("seed/multi:1")), at("berth:"),
                PlatformChoice.only(Platform.parse("linux/s390x"))))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("linux/s390x")
                .hasMessageContaining("linux/amd64, linux/arm64/v8");
    }

    @Test
    public void allPlatformsCopiesTheWholeIndexByteForByte() throws Exception {
        Path out = work.resolve("out");
        ImageTransfer.Result copied = transfer.copy(at(image("seed/multi:1")), at("oci:" + out + ":all"), PlatformChoice.ALL);

        assertThat(copied.root().digest()).isEqualTo(multi.digest());
        assertThat(Programs.skopeoDigest(image("seed/multi:1"))).isEqualTo(multi.digest());
        assertThat(OciLayout.open(out).entry("all").digest()).isEqualTo(multi.digest());
    }

    @Test
    public void pushesFromTheStoreSoThatSkopeoReadsTheSameImage() throws Exception {
        transfer.copy(at("oci:" + seedLayout + ":multi"), at("berth:localhost/pushed:1"), PlatformChoice.ALL);

        ImageTransfer.Result pushed = transfer.copy(at("berth:localhost/pushed:1"), at(image("pushed/multi:2")),
                PlatformChoice.ALL);

        assertThat(pushed.root().digest()).isEqualTo(multi.digest());
        assertThat(Programs.skopeoDigest(image("pushed/multi:2"))).isEqualTo(multi.digest());
        Path judged = work.resolve("judged");
        Programs.skopeoCopy(image("pushed/multi:2"), "oci:" + judged + ":x");
        assertThat(OciLayout.open(judged).entry("x").digest()).isEqualTo(multi.digest());

        listener.reset();
        transfer.copy(at("berth:localhost/pushed:1"), at(image("pushed/multi:3")), PlatformChoice.ALL);
        assertThat(listener.copied()).as("a second push sends no blob the registry has").isZero();
    }

    @Test
    public void copyingWithinARegistryMountsBlobsInsteadOfSendingThem() throws Exception {
        transfer.copy(at(image("seed/single:1")), at(image("mounted/single:1")), PlatformChoice.host());

        assertThat(listener.bytesRead()).as("bytes downloaded to copy between two repositories").isZero();
        assertThat(Programs.skopeoDigest(image("mounted/single:1"))).isEqualTo(single.digest());
    }

    @Test
    public void artifactsTravelWithTheirTypeAndData() throws Exception {
        Path layoutDir = work.resolve("artifact");
        OciLayoutWriter layout = OciLayoutWriter.create(layoutDir);
        byte[] data = "an SBOM, say".getBytes(StandardCharsets.UTF_8);
        ManifestBytes artifact = TestImages.artifact(layout, "application/vnd.berth.test.sbom", data);
        TestImages.tagAndCommit(layout, "sbom", artifact);

        transfer.copy(at("oci:" + layoutDir + ":sbom"), at(image("artifacts/sbom:1")), PlatformChoice.ALL);
        Path back = work.resolve("back");
        ImageTransfer.Result pulled = transfer.copy(at(image("artifacts/sbom:1")), at("oci:" + back + ":sbom"),
                PlatformChoice.ALL);

        assertThat(pulled.root().digest()).isEqualTo(artifact.digest());
        assertThat(pulled.root().artifactType()).isEqualTo("application/vnd.berth.test.sbom");
        Digest payload = artifact.manifest().layers().getFirst().digest();
        assertThat(Files.readAllBytes(back.resolve("blobs/sha256/" + payload.hex()))).isEqualTo(data);
    }

    @Test
    public void dockerArchivesAndRegistriesExchangeImages() throws Exception {
        Path archive = work.resolve("image.tar");
        transfer.copy(at(image("seed/single:1")), at("docker-archive:" + archive + ":localhost/archived:1"),
                PlatformChoice.host());
        ImageTransfer.Result pushed = transfer.copy(at("docker-archive:" + archive), at(image("archived/single:1")),
                PlatformChoice.ALL);

        assertThat(pushed.root().mediaType()).isIn(MediaType.DOCKER_MANIFEST, MediaType.OCI_MANIFEST);
        Programs.check("skopeo", "inspect", "--tls-verify=false", image("archived/single:1"));
    }

    @Test
    public void aLayerOf256MiBGoesUpStreamedFromItsFileAndComesBackVerified() throws Exception {
        Path layoutDir = work.resolve("large");
        OciLayoutWriter layout = OciLayoutWriter.create(layoutDir);
        ManifestBytes large = TestImages.image(layout, Platform.host(), 99, 256L << 20);
        TestImages.tagAndCommit(layout, "large", large);

        transfer.copy(at("oci:" + layoutDir + ":large"), at(image("large/image:1")), PlatformChoice.ALL);
        ImageTransfer.Result pulled = transfer.copy(at(image("large/image:1")), at("berth:"), PlatformChoice.host());

        assertThat(pulled.root().digest()).isEqualTo(large.digest());
        Digest layer = large.manifest().layers().getFirst().digest();
        assertThat(Files.size(store.blobPath(layer))).isEqualTo(256L << 20);
        assertThat(Programs.skopeoDigest(image("large/image:1"))).isEqualTo(large.digest());
    }

    @Test
    public void aMissingTagIsNamedInTheError() {
        assertThatThrownBy(() -> transfer.copy(at(image("seed/single:nope")), at("berth:"), PlatformChoice.host()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("seed/single:nope");
    }
}
