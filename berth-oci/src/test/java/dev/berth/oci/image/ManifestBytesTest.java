package dev.berth.oci.image;

import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.DigestMismatchException;
import dev.berth.oci.InvalidImageException;
import dev.berth.oci.MediaType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestBytesTest {
    private static final String CONFIG_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    private static final String LAYER_DIGEST = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    /** Odd spacing and key order on purpose: the digest must be over these bytes, not a re-serialisation. */
    private static final String OCI_MANIFEST = """
            {"schemaVersion": 2,   "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 2, "digest": "%s"},
              "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "%s", "size": 5}],
              "annotations": {"org.opencontainers.image.licenses": "MIT"} }
            """.formatted(CONFIG_DIGEST, LAYER_DIGEST);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keepsTheExactBytesAndDigestsThem() {
        ManifestBytes manifest = ManifestBytes.parse(bytes(OCI_MANIFEST), null);
        assertThat(manifest.bytes()).isEqualTo(bytes(OCI_MANIFEST));
        assertThat(manifest.digest()).isEqualTo(Digest.of(bytes(OCI_MANIFEST)));
        assertThat(manifest.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
        assertThat(manifest.references()).extracting(d -> d.digest().toString()).containsExactly(CONFIG_DIGEST, LAYER_DIGEST);
        assertThat(manifest.manifest().annotations()).containsEntry("org.opencontainers.image.licenses", "MIT");
    }

    @Test
    void digestsWithSha512WhenAsked() {
        ManifestBytes manifest = ManifestBytes.parse(bytes(OCI_MANIFEST), null, DigestAlgorithm.SHA512);
        assertThat(manifest.digest()).isEqualTo(Digest.of(DigestAlgorithm.SHA512, bytes(OCI_MANIFEST)));
    }

    @Test
    void verifiesAnExpectedDigest() {
        Digest wrong = Digest.of(bytes("other"));
        assertThatThrownBy(() -> ManifestBytes.parseVerified(bytes(OCI_MANIFEST), null, wrong, "manifest m"))
                .isInstanceOf(DigestMismatchException.class).hasMessageContaining("manifest m");
    }

    @Test
    void readsDockerManifestListsAndOciIndexesWithPlatformsAndSubjects() {
        String index = """
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json",
                 "manifests":[{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"%s","size":7,
                   "platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}
                """.formatted(LAYER_DIGEST);
        ManifestBytes parsed = ManifestBytes.parse(bytes(index), null);
        assertThat(parsed.isIndex()).isTrue();
        assertThat(parsed.index().manifests().getFirst().platform().variant()).isEqualTo("v8");

        String artifact = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.example.sbom",
                 "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"%s","size":2},"layers":[],
                 "subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":9}}
                """.formatted(CONFIG_DIGEST, LAYER_DIGEST);
        ManifestBytes parsedArtifact = ManifestBytes.parse(bytes(artifact), null);
        assertThat(parsedArtifact.artifactType()).isEqualTo("application/vnd.example.sbom");
        assertThat(parsedArtifact.subject()).hasValueSatisfying(s -> assertThat(s.digest().toString()).isEqualTo(LAYER_DIGEST));
    }

    @Test
    void infersTheTypeOfAnOciManifestWithoutMediaTypeField() {
        String bare = OCI_MANIFEST.replace("\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",", "");
        assertThat(ManifestBytes.parse(bytes(bare), null).mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
        assertThat(ManifestBytes.parse(bytes("{\"schemaVersion\":2,\"manifests\":[]}"), null).mediaType()).isEqualTo(MediaType.OCI_INDEX);
    }

    @Test
    void rejectsMalformedManifestsWithAReason() {
        assertThatThrownBy(() -> ManifestBytes.parse(bytes("{not json"), null))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ManifestBytes.parse(bytes("[]"), null)).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> ManifestBytes.parse(bytes(OCI_MANIFEST.replace("\"schemaVersion\": 2", "\"schemaVersion\": 1")), null))
                .hasMessageContaining("schemaVersion 2");
        assertThatThrownBy(() -> ManifestBytes.parse(bytes(OCI_MANIFEST), MediaType.DOCKER_MANIFEST))
                .hasMessageContaining("given as " + MediaType.DOCKER_MANIFEST);
        assertThatThrownBy(() -> ManifestBytes.parse(bytes(OCI_MANIFEST.replace(CONFIG_DIGEST, "sha256:nothex")), null))
                .hasMessageContaining("digest");
        assertThatThrownBy(() -> ManifestBytes.parse(bytes("{\"schemaVersion\":2,\"mediaType\":\"text/plain\"}"), null))
                .hasMessageContaining("unsupported manifest media type text/plain");
        assertThatThrownBy(() -> ManifestBytes.parse(bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"layers\":[]}"), null))
                .hasMessageContaining("no config");
    }

    @Test
    void namesTheFieldWhoseValueHasTheWrongShape() {
        assertThatThrownBy(() -> ManifestBytes.parse(bytes(OCI_MANIFEST.replace("\"size\": 5", "\"size\": \"5\"")), null))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("manifest.layers[].size")
                .hasMessageContaining("expected shape");
        assertThatThrownBy(() -> ManifestBytes.parse(bytes(OCI_MANIFEST.replace("\"layers\": [", "\"layers\": {\"x\":").replace("}],", "}},")), null))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("manifest.layers");
        assertThatThrownBy(() -> ManifestBytes.parse(bytes(OCI_MANIFEST.replace("\"MIT\"", "7")), null))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("annotations");
        assertThatThrownBy(() -> ManifestBytes.parse(bytes(OCI_MANIFEST.replace(CONFIG_DIGEST, "md5:abc")), null))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("manifest.config").hasMessageContaining("md5:abc");
        assertThatThrownBy(() -> ManifestBytes.parse(bytes(
                "{\"schemaVersion\":{\"schemaVersion\":2,\"manifests\":[]},\"mediaType\":\"" + MediaType.OCI_INDEX + "\"}"), null))
                .hasMessageContaining("schemaVersion 2");
        assertThatThrownBy(() -> ManifestBytes.parse(bytes(OCI_MANIFEST + "{}"), null))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void skipsFieldsItDoesNotKnowAndReadsEveryPlatformField() {
        String index = """
                {"schemaVersion":2,"future":{"nested":[1,2,{"x":null}]},"manifests":[{"mediaType":"%s","digest":"%s","size":7,
                  "urls":["https://example.org/l"],"data":"e30=","artifactType":"application/x-test","extra":true,
                  "platform":{"architecture":"amd64","os":"windows","os.version":"10.0.17763","os.features":["win32k"]}}]}
                """.formatted(MediaType.OCI_MANIFEST, LAYER_DIGEST);
        var entry = ManifestBytes.parse(bytes(index), null).index().manifests().getFirst();
        assertThat(entry.urls()).containsExactly("https://example.org/l");
        assertThat(entry.data()).isEqualTo("e30=");
        assertThat(entry.artifactType()).isEqualTo("application/x-test");
        assertThat(entry.platform().osVersion()).isEqualTo("10.0.17763");
        assertThat(entry.platform().osFeatures()).containsExactly("win32k");
    }

    @Test
    void refusesOversizedManifests() {
        byte[] huge = new byte[ManifestBytes.MAX_SIZE + 1];
        assertThatThrownBy(() -> ManifestBytes.parse(huge, null)).hasMessageContaining("more than the limit");
    }

    @Test
    void rejectsDuplicateKeysThatCouldHideContent() {
        String duplicated = "{\"schemaVersion\":2,\"schemaVersion\":2,\"manifests\":[]}";
        assertThatThrownBy(() -> ManifestBytes.parse(bytes(duplicated), null)).isInstanceOf(InvalidImageException.class);
    }
}
