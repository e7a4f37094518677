package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageManifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What real clients do against a registry: skopeo, podman and buildah push and pull, a multi-arch
 * index, an artifact with a subject. Run against berth and against the reference registry, so the
 * two can be seen to behave alike (the referrers API, which the reference registry lacks, aside).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClientScenarios {
    Path work;
    Path busybox;
    Api api;

    /** Starts the registry under test; returns its base URL. */
    abstract String startRegistry(Path directory) throws Exception;

    abstract String hostPort();

    @BeforeAll
    void setUp(@TempDir Path directory) throws Exception {
        work = directory;
        busybox = TestImages.busybox(Files.createDirectories(work.resolve("images")));
        api = new Api(startRegistry(Files.createDirectories(work.resolve("registry"))));
    }

    private String[] podman(Path store, String... arguments) {
        String[] command = new String[arguments.length + 8];
        String[] prefix = {"podman", "--root", store.resolve("root").toString(), "--runroot", store.resolve("run").toString(),
                "--storage-driver", "vfs", "--events-backend=none"};
        System.arraycopy(prefix, 0, command, 0, prefix.length);
        System.arraycopy(arguments, 0, command, prefix.length, arguments.length);
        return command;
    }

    @Test
    void skopeoCopiesAnImageInAndOutUnchanged() throws Exception {
        String remote = "docker://" + hostPort() + "/interop/skopeo:v1";
        Tools.ok(work, "skopeo", "copy", "--dest-tls-verify=false", "oci:" + busybox + ":latest", remote);
        Path out = work.resolve("skopeo-out");
        Tools.ok(work, "skopeo", "copy", "--src-tls-verify=false", remote, "oci:" + out + ":v1");
        assertThat(TestImages.rootDigest(out)).isEqualTo(TestImages.rootDigest(busybox));
        String raw = Tools.ok(work, "skopeo", "inspect", "--tls-verify=false", "--raw", remote);
        assertThat(Digest.of(raw.getBytes(StandardCharsets.UTF_8))).isEqualTo(TestImages.rootDigest(busybox));
        api.pullAndVerify("interop/skopeo", "v1");
    }

    @Test
    void podmanPushesAndPulls() throws Exception {
        Path store = work.resolve("podman");
        String image = hostPort() + "/interop/podman:v1";
        Tools.ok(work, podman(store, "pull", "-q", "oci:" + busybox + ":latest"));
        String id = Tools.ok(work, podman(store, "images", "-q")).lines().findFirst().orElseThrow().strip();
        Tools.ok(work, podman(store, "tag", id, image));
        Tools.ok(work, podman(store, "push", "--tls-verify=false", image));
        Tools.ok(work, podman(store, "rmi", "-a", "-f"));
        Tools.ok(work, podman(store, "pull", "--tls-verify=false", image));
        String pulled = Tools.ok(work, podman(store, "images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"));
        assertThat(pulled).contains(image + " " + id.substring(0, 12));
        api.pullAndVerify("interop/podman", "v1");
        // the Docker schema2 format, as the Docker CLI pushes it
        String docker = hostPort() + "/interop/podman:docker";
        Tools.ok(work, podman(store, "tag", id, docker));
        Tools.ok(work, podman(store, "push", "--tls-verify=false", "--format", "v2s2", docker));
        String raw = Tools.ok(work, "skopeo", "inspect", "--tls-verify=false", "--raw", "docker://" + docker);
        assertThat(raw).contains(MediaType.DOCKER_MANIFEST);
        Tools.ok(work, podman(store, "rmi", "-a", "-f"));
        Tools.ok(work, podman(store, "pull", "--tls-verify=false", docker));
    }

    @Test
    void buildahPushes() throws Exception {
        Path store = work.resolve("buildah");
        String[] prefix = {"buildah", "--root", store.resolve("root").toString(), "--runroot", store.resolve("run").toString(),
                "--storage-driver", "vfs"};
        String image = hostPort() + "/interop/buildah:v1";
        Tools.ok(work, concat(prefix, "pull", "-q", "oci:" + busybox + ":latest"));
        String id = Tools.ok(work, concat(prefix, "images", "-q")).lines().findFirst().orElseThrow().strip();
        Tools.ok(work, concat(prefix, "push", "--tls-verify=false", id, "docker://" + image));
        String config = Tools.ok(work, "skopeo", "inspect", "--tls-verify=false", "--config", "--raw", "docker://" + image);
        assertThat(Api.jsonObject(config.getBytes(StandardCharsets.UTF_8))).containsEntry("architecture", "amd64");
        api.pullAndVerify("interop/buildah", "v1");
    }

    private static String[] concat(String[] prefix, String... rest) {
        String[] all = new String[prefix.length + rest.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(rest, 0, all, prefix.length, rest.length);
        return all;
    }

    @Test
    void multiArchIndexSurvivesTheRoundTrip() throws Exception {
        Path layout = TestImages.multiArch(work);
        String remote = "docker://" + hostPort() + "/interop/multi:v1";
        Tools.ok(work, "skopeo", "copy", "--all", "--dest-tls-verify=false", "oci:" + layout + ":multi", remote);
        String raw = Tools.ok(work, "skopeo", "inspect", "--tls-verify=false", "--raw", remote);
        assertThat(Digest.of(raw.getBytes(StandardCharsets.UTF_8))).isEqualTo(TestImages.rootDigest(layout));
        Path out = work.resolve("multi-out");
        Tools.ok(work, "skopeo", "copy", "--all", "--src-tls-verify=false", remote, "oci:" + out + ":v1");
        assertThat(TestImages.rootDigest(out)).isEqualTo(TestImages.rootDigest(layout));
        String arm = Tools.ok(work, "skopeo", "inspect", "--tls-verify=false", "--override-arch", "arm64", remote);
        assertThat(arm).contains("\"Architecture\": \"arm64\"");
    }

    @Test
    void artifactWithSubjectIsStoredAndFoundAgain() throws Exception {
        Tools.ok(work, "skopeo", "copy", "--dest-tls-verify=false", "oci:" + busybox + ":latest",
                "docker://" + hostPort() + "/interop/artifact:v1");
        byte[] image = api.get("/v2/interop/artifact/manifests/v1", "Accept", MediaType.OCI_MANIFEST).body();
        Digest empty = api.pushBlob("interop/artifact", "{}".getBytes(StandardCharsets.UTF_8));
        byte[] sbom = "{\"packages\":[\"busybox\"]}".getBytes(StandardCharsets.UTF_8);
        Digest sbomDigest = api.pushBlob("interop/artifact", sbom);
        byte[] artifact = Json.write(new ImageManifest(2, MediaType.OCI_MANIFEST, "application/spdx+json",
                Descriptor.of(MediaType.OCI_EMPTY, empty, 2), List.of(Descriptor.of("application/spdx+json", sbomDigest, sbom.length)),
                Descriptor.of(MediaType.OCI_MANIFEST, Digest.of(image), image.length), Map.of("org.example", "sbom")));
        Digest artifactDigest = Digest.of(artifact);
        HttpResponse<byte[]> put = api.putManifest("interop/artifact", artifactDigest.toString(), MediaType.OCI_MANIFEST, artifact);
        assertThat(put.statusCode()).as(Api.text(put)).isEqualTo(201);
        assertThat(api.get("/v2/interop/artifact/manifests/" + artifactDigest, "Accept", MediaType.OCI_MANIFEST).body())
                .isEqualTo(artifact);
        checkReferrers(put, Digest.of(image), artifactDigest);
    }

    /** How the registry answers for the artifact's subject: berth through the referrers API. */
    abstract void checkReferrers(HttpResponse<byte[]> put, Digest subject, Digest artifact) throws Exception;

    ImageIndex referrers(Digest subject, String query) throws Exception {
        HttpResponse<byte[]> response = api.get("/v2/interop/artifact/referrers/" + subject + query);
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.read(response.body(), ImageIndex.class, "referrers");
    }
}
