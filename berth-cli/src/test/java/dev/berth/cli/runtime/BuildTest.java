package dev.berth.cli.runtime;

import dev.berth.build.provenance.BuildProvenance;
import dev.berth.cli.DebianImages;
import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import dev.berth.distribution.Registries;
import dev.berth.distribution.RegistrySink;
import dev.berth.distribution.RetryPolicy;
import dev.berth.distribution.auth.CredentialStore;
import dev.berth.distribution.config.BerthConfig;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.oci.Reference;
import dev.berth.trust.AttestationReferrer;
import dev.berth.trust.InTotoStatement;
import dev.berth.trust.SigningKey;
import dev.berth.trust.SigstoreBundle;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.RegistryServer;
import dev.berth.oci.layer.Compression;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code berth build} as an ordinary user: Dockerfiles with ARG/ENV substitution, WORKDIR, COPY
 * (with --chown, --chmod, globs and .dockerignore), RUN in the sandbox, multi-stage builds down to
 * scratch; the same recipe gives the same digest in another store under another umask; bad
 * recipes fail with one line naming the file and line. The layers are judged by reading them
 * back from an OCI layout that berth copy wrote.
 */
class BuildTest {
    private static UnprivilegedUser user;
    private static Path work;
    private static Path baseLayout;

    @BeforeAll
    static void start() throws Exception {
        user = UnprivilegedUser.create();
        work = user.scratch();
        baseLayout = UmociImages.busybox(user.workspace().resolve("layout"), "1", 0);
        Tools.ok(user.workspace(), "chmod", "-R", "a+rX", user.workspace().toString());
        as("berth copy oci:" + baseLayout + ":1 berth:base:1").assertSuccess("store the base");
    }

    @AfterAll
    static void stop() {
        user.close();
    }

    private static Tools.Result as(String commandLine) {
        return user.sh(work.toString(), commandLine);
    }

    /** A build context the user owns, from pairs of relative path and content. */
    private static Path context(String name, String... files) throws IOException {
        Path dir = work.resolve(name);
        for (int i = 0; i < files.length; i += 2) {
            Path file = dir.resolve(files[i]);
            Files.createDirectories(file.getParent());
            Files.writeString(file, files[i + 1]);
        }
        Tools.ok(work, "chmod", "-R", "a+rwX", dir.toString());
        return dir;
    }

    private static final String APP = String.join("\n",
            "# syntax=docker/dockerfile:1",
            "ARG BASE=base:1",
            "FROM $BASE AS build",
            "ARG WHO=world",
            "ENV GREETING=\"hello ${WHO}\" \\",
            "    EMPTY=${UNSET:-fallback}",
            "WORKDIR /src",
            "COPY *.txt ./",
            "COPY --chown=1000:100 --chmod=0750 tool.sh /usr/local/bin/tool",
            "RUN echo \"$GREETING\" > made.txt && rm a.txt && mkdir -p /var/cache/x",
            "",
            "FROM scratch",
            "COPY --from=build /bin/busybox /bin/busybox",
            "COPY --from=build /src/ /data/",
            "COPY --from=build /usr/local/bin/tool /bin/tool",
            "ENV PATH=/bin",
            "USER 1000",
            "ENTRYPOINT [\"/bin/busybox\"]",
            "CMD [\"cat\", \"/data/made.txt\"]",
            "LABEL org.opencontainers.image.title=\"the app\"",
            "");

    private static Path appContext(String name, String bContent) throws IOException {
        return context(name, "Dockerfile", APP, "a.txt", "a\n", "b.txt", bContent, "skipped.txt", "not copied\n",
                "tool.sh", "#!/bin/busybox sh\necho tool\n", ".dockerignore", "# ignored\nskipped.txt\n");
    }

    @Test
    void aMultiStageRecipeBuildsRunsAndRebuildsToTheSameDigest() throws Exception {
        appContext("app", "b\n");
        Tools.Result built = as("berth build -t app:1 --build-arg WHO=berth --source-date-epoch 1700000000 app").assertSuccess("build");
        assertThat(built.stdout()).contains("STEP 1/16: FROM $BASE AS build").contains("Successfully tagged docker.io/library/app:1");
        String digest = lastLine(built);
        assertThat(digest).matches("sha256:[0-9a-f]{64}");

        assertThat(as("berth run app:1").assertSuccess("run").stdout()).isEqualTo("hello berth\n");
        assertThat(as("berth run app:1 ls /data").assertSuccess("ls").stdout().lines()).containsExactly("b.txt", "made.txt");

        as("berth copy berth:app:1 oci:app-layout:1").assertSuccess("copy out");
        JsonNode config = config(work.resolve("app-layout"));
        assertThat(config.path("created").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(config.path("config").path("Entrypoint").toString()).isEqualTo("[\"/bin/busybox\"]");
        assertThat(config.path("config").path("User").asText()).isEqualTo("1000");
        assertThat(config.path("config").path("Env").toString()).isEqualTo("[\"PATH=/bin\"]");
        assertThat(config.path("config").path("Labels").path("org.opencontainers.image.title").asText()).isEqualTo("the app");
        List<List<String>> layers = layers(work.resolve("app-layout"));
        assertThat(layers).hasSize(3);
        assertThat(layers.get(0)).containsExactly("bin/ 755 0:0", "bin/busybox 755 0:0");
        assertThat(layers.get(1)).containsExactly("data/ 755 0:0", "data/b.txt 666 0:0", "data/made.txt 644 0:0");
        assertThat(layers.get(2)).containsExactly("bin/ 755 0:0", "bin/tool 750 1000:100");

        appContext("again", "b\n");
        Tools.Result rebuilt = as("umask 077 && export XDG_CACHE_HOME=$PWD/other-cache BERTH_DATA_DIR=$PWD/other-store SOURCE_DATE_EPOCH=1700000000 "
                + "&& berth copy oci:" + baseLayout + ":1 berth:base:1 && berth build -t app:1 --build-arg WHO=berth again")
                .assertSuccess("rebuild elsewhere");
        assertThat(rebuilt.stdout().strip()).endsWith(digest);

        appContext("changed", "B\n");
        as("berth build -t app:2 --build-arg WHO=berth --source-date-epoch 1700000000 changed && berth copy berth:app:2 oci:app-layout:2")
                .assertSuccess("build with one byte changed");
        List<String> before = layerDigests(work.resolve("app-layout"), "1");
        List<String> after = layerDigests(work.resolve("app-layout"), "2");
        assertThat(after.get(0)).isEqualTo(before.get(0));
        assertThat(after.get(1)).isNotEqualTo(before.get(1));
        assertThat(after.get(2)).isEqualTo(before.get(2));
    }

    @Test
    void aRebuildReusesEachStepWhoseInputsAreTheSameAndAFailedStepIsNeverRemembered() throws Exception {
        context("cached", "Dockerfile", "FROM base:1\nCOPY input.txt /input.txt\nRUN echo ran-step && cp /input.txt /copy.txt\n"
                + "RUN echo second-ran\n", "input.txt", "one\n");
        String first = as("berth build -t cached:1 --source-date-epoch 1700000000 cached").assertSuccess("first build").stdout();
        assertThat(first.lines()).contains("ran-step").doesNotContain("--> Using cache");
        String again = as("berth build -t cached:1 --source-date-epoch 1700000000 cached").assertSuccess("rebuild").stdout();
        assertThat(again.lines()).doesNotContain("ran-step", "second-ran");
        assertThat(again.lines().filter(line -> line.equals("--> Using cache"))).hasSize(3);
        assertThat(lastLine(again)).isEqualTo(lastLine(first));

        String uncached = as("berth build -t cached:1 --no-cache --source-date-epoch 1700000000 cached").assertSuccess("--no-cache").stdout();
        assertThat(uncached.lines()).contains("ran-step").doesNotContain("--> Using cache");
        assertThat(lastLine(uncached)).isEqualTo(lastLine(first));

        Files.writeString(work.resolve("cached/Dockerfile"), "FROM base:1\nCOPY input.txt /input.txt\nRUN echo ran-step && cp /input.txt /copy.txt\n"
                + "RUN echo third-ran && cat /copy.txt\n");
        String changedLast = as("berth build -t cached:2 cached").assertSuccess("only the last step changed").stdout();
        assertThat(changedLast.lines()).doesNotContain("ran-step").containsSubsequence("third-ran", "one");

        Files.writeString(work.resolve("cached/input.txt"), "two\n");
        String changedInput = as("berth build -t cached:3 cached").assertSuccess("an input changed").stdout();
        assertThat(changedInput.lines()).contains("ran-step").containsSubsequence("third-ran", "two").doesNotContain("--> Using cache");

        context("failing-once", "Dockerfile", "FROM base:1\nRUN echo trying && exit 4\n");
        assertThat(as("berth build failing-once").exitCode()).isEqualTo(1);
        Tools.Result retried = as("berth build failing-once");
        assertThat(retried.exitCode()).isEqualTo(1);
        assertThat(retried.stdout().lines()).contains("trying").doesNotContain("--> Using cache");
    }

    private static String lastLine(String output) {
        return output.strip().lines().reduce((a, b) -> b).orElse("");
    }

    /**
     * buildah as the judge: the same Dockerfile (ARG and ENV substitution, globs, .dockerignore,
     * --chown, RUN, a multi-stage build down to scratch) gives the same files (path, type, mode,
     * owner, size, content, link target) and the same config fields. umoci unpacks both.
     */
    @Test
    void theRecipeBuildahBuildsGivesTheSameFilesAndConfig() throws Exception {
        context("compared", "Dockerfile", String.join("\n",
                "ARG BASE=base:1",
                "FROM $BASE AS build",
                "ARG WHO=world",
                "ENV GREETING=\"hello ${WHO}\" EMPTY=${UNSET:-fallback}",
                "WORKDIR /src",
                "COPY *.txt ./",
                "COPY sub/ /src/sub/",
                "COPY --chown=1000:100 tool.sh /usr/local/bin/tool",
                "RUN echo \"$GREETING $EMPTY\" > made.txt && rm a.txt && mkdir -p /var/x && ln -s /src/made.txt /var/x/link \\",
                "    && chmod 0640 made.txt",
                "FROM scratch",
                "COPY --from=build /bin/busybox /bin/busybox",
                "COPY --from=build /src/ /data/",
                "COPY --from=build /var/x /var/x",
                "COPY --from=build /usr/local/bin/tool /bin/tool",
                "ENV PATH=/bin",
                "WORKDIR /data",
                "USER 1000:100",
                "EXPOSE 8080 53/udp",
                "VOLUME /state",
                "LABEL org.opencontainers.image.title=\"the app\" stage=final",
                "STOPSIGNAL SIGINT",
                "ENTRYPOINT [\"/bin/busybox\"]",
                "CMD [\"cat\", \"/data/made.txt\"]", ""),
                "a.txt", "a\n", "b.txt", "b\n", "skipped.txt", "skip\n", "sub/s", "s\n", "tool.sh", "#!/bin/busybox sh\necho tool\n",
                // a directory copy leaves out what .dockerignore excludes, and keeps what a later ! line brings back
                "sub/secret.txt", "secret\n", "sub/deep/x.log", "log\n", "sub/deep/keep.log", "kept\n",
                ".dockerignore", "skipped.txt\nsub/secret*\n**/*.log\n!sub/deep/keep.log\n");
        Tools.ok(work, "chmod", "0755", work.resolve("compared/tool.sh").toString());
        as("berth build -t compared:1 --build-arg WHO=berth compared && berth copy berth:compared:1 oci:berth-compared:1")
                .assertSuccess("berth build");

        buildahBud("compared", "buildah-compared", "--build-arg", "BASE=oci:" + baseLayout + ":1", "--build-arg", "WHO=berth");

        assertThat(files(work.resolve("berth-compared"))).isEqualTo(files(work.resolve("buildah-compared")))
                .contains("./data/sub/deep/keep.log ").doesNotContain("secret").doesNotContain("x.log");
        JsonNode ours = config(work.resolve("berth-compared")).path("config");
        JsonNode theirs = config(work.resolve("buildah-compared")).path("config");
        for (String field : List.of("Env", "Entrypoint", "Cmd", "WorkingDir", "User", "ExposedPorts", "Volumes", "StopSignal")) {
            assertThat(ours.path(field)).as(field).isEqualTo(theirs.path(field));
        }
        assertThat(ours.path("Labels").path("org.opencontainers.image.title")).isEqualTo(theirs.path("Labels").path("org.opencontainers.image.title"));
        assertThat(ours.path("Labels").path("stage").asText()).isEqualTo("final").isEqualTo(theirs.path("Labels").path("stage").asText());
    }

    /** The image's files as umoci unpacks them: "path type mode owner size link" and a content digest, sorted. */
    private static String files(Path layout) {
        Path bundle = layout.resolveSibling(layout.getFileName() + "-bundle");
        Tools.ok(work, "umoci", "unpack", "--image", layout + ":1", bundle.toString());
        return Tools.ok(bundle.resolve("rootfs"), "sh", "-c", "find . -printf '%p %y %m %U:%G %s %l\\n' | sort"
                + " && find . -type f -exec sha256sum {} + | sort -k2").stdout();
    }

    /** The seeds' multi-call image: one image file, a symlink per tool, each runs its program. */
    @Test
    void aDefinitionFileBuildsAMultiCallImageWhoseSymlinksRunTheirPrograms() throws Exception {
        context("multi", "tools.def", String.join("\n",
                "Bootstrap: docker",
                "From: base:1",
                "",
                "%files",
                "    greeting.txt /opt/greeting.txt",
                "",
                "%environment",
                "    export GREETING_FILE=/opt/greeting.txt",
                "",
                "%post",
                "    mkdir -p /usr/local/bin",
                "    for tool in hello goodbye; do",
                "        printf '#!/bin/sh\\necho \"%s: $*\"\\n' \"$tool\" > /usr/local/bin/$tool",
                "        chmod 755 /usr/local/bin/$tool",
                "    done",
                "",
                "%runscript",
                "    exec /usr/local/bin/$SINGULARITY_NAME \"$@\"",
                "",
                "%labels",
                "    Author berth tests",
                "",
                "%help",
                "    Call me by the name of a tool.", ""),
                "greeting.txt", "hi\n");
        as("berth build -t tools:1 -f multi/tools.def multi && berth convert tools:1 -o tools.img --executable"
                + " && ln -sf tools.img hello && ln -sf tools.img goodbye").assertSuccess("build and convert");
        assertThat(as("./hello a b").assertSuccess("hello").stdout()).isEqualTo("hello: a b\n");
        assertThat(as("./goodbye world").assertSuccess("goodbye").stdout()).isEqualTo("goodbye: world\n");
        assertThat(as("berth exec tools:1 sh -c 'cat $GREETING_FILE /.singularity.d/runscript.help'").assertSuccess("exec").stdout())
                .isEqualTo("hi\n    Call me by the name of a tool.\n");
        as("berth copy berth:tools:1 oci:tools-layout:1").assertSuccess("copy out");
        assertThat(config(work.resolve("tools-layout")).path("config").path("Labels").path("Author").asText()).isEqualTo("berth tests");

        context("setup", "bad.def", "Bootstrap: docker\nFrom: base:1\n%setup\n    touch $SINGULARITY_ROOTFS/x\n");
        assertOneLine(as("berth build -f setup/bad.def setup"), "bad.def:3: %setup is not supported by berth build");
    }

    @Test
    void pushAndOutputSendTheBuiltImageOnAsItWasStored() throws Exception {
        RegistryServer registry = registry("registry");
        try {
            String name = "127.0.0.1:" + registry.port() + "/lab/pushed:1";
            context("pushed", "Dockerfile", "FROM base:1\nRUN echo pushed > /pushed.txt\n");
            Tools.Result built = as("berth build -t " + name + " --push -o oci:pushed-layout:1 pushed").assertSuccess("build and push");
            String digest = digestLine(built);
            assertThat(built.stdout()).contains("Pushed " + name + " (" + digest + ")").contains("Wrote oci:pushed-layout:1");
            assertThat(Tools.ok(work, "skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://" + name).stdout().strip())
                    .isEqualTo(digest);
            assertThat(layerDigests(work.resolve("pushed-layout"), "1")).hasSize(2);
            assertUsage(as("berth build --push pushed"), "--push needs a name to push to");
        } finally {
            registry.close();
        }
    }

    @Test
    void verifyRebuildsAnImageFromItsProvenanceAndNamesTheFirstLayerThatDiffers() throws Exception {
        context("steady", "Dockerfile", "FROM base:1\nCOPY input.txt /input.txt\nRUN busybox cp /input.txt /copy.txt\n",
                "input.txt", "same every time\n");
        String digest = lastLine(as("berth build -t steady:1 --source-date-epoch 1700000000 steady").assertSuccess("build"));
        Tools.Result verified = as("berth build --verify steady:1 steady");
        assertThat(verified.exitCode()).as(verified.stdout() + verified.stderr()).isZero();
        assertThat(verified.stdout()).contains("Verified: the rebuild of docker.io/library/steady:1 is identical (" + digest + ")");

        Files.writeString(work.resolve("steady/input.txt"), "changed\n");
        assertOneLine(as("berth build --verify steady:1 steady"), "the context steady is not the one the image was built from");

        context("unsteady", "Dockerfile", "FROM base:1\nCOPY input.txt /input.txt\nRUN busybox cat /proc/sys/kernel/random/uuid > /stamp\n",
                "input.txt", "x\n");
        as("berth build -t unsteady:1 --source-date-epoch 1700000000 unsteady").assertSuccess("build");
        assertOneLine(as("berth build --verify unsteady:1 unsteady"), "not the same image: layer 3 of 3 (made by RUN busybox cat /proc/sys/kernel/random/uuid > /stamp) differs");

        as("berth build -t no-epoch:1 unsteady").assertSuccess("build without an epoch");
        assertOneLine(as("berth build --verify no-epoch:1 unsteady"), "the image was built without a source date epoch");
        assertOneLine(as("berth build --verify base:1 steady"), "the local store has no build provenance for base:1");
    }

    @Test
    void aSignedProvenanceTravelsWithThePushAndATamperedImageFailsItsRebuild() throws Exception {
        RegistryServer registry = registry("signed-registry");
        try {
            String repository = "127.0.0.1:" + registry.port() + "/lab/app";
            as("BERTH_KEY_PASSWORD=ci berth key generate -o ci").assertSuccess("key");
            appContext("signed", "b\n");
            Tools.Result pushed = as("BERTH_KEY_PASSWORD=ci berth build -t " + repository + ":1 --build-arg WHO=ci "
                    + "--source-date-epoch 1700000000 --push --sign-with ci.key signed").assertSuccess("build, push and sign");
            assertThat(pushed.stdout()).contains("Attached its build provenance, signed with ci.key");
            assertThat(as("berth provenance " + repository + ":1 --key ci.pub").assertSuccess("provenance").stdout())
                    .containsPattern("(?m)^  built\\s+by https://berth.dev/berth-build \\(https://berth.dev/build/v1\\) \\[signed by ci.pub");

            String elsewhere = "export XDG_CACHE_HOME=$PWD/verify-cache BERTH_DATA_DIR=$PWD/verify-store && ";
            assertOneLine(as(elsewhere + "berth build --verify " + repository + ":1 signed"), "name the key that signed it with --key");
            Tools.Result verified = as(elsewhere + "berth copy oci:" + baseLayout + ":1 berth:base:1 && berth build --verify "
                    + repository + ":1 --key ci.pub signed");
            assertThat(verified.exitCode()).as(verified.stdout() + verified.stderr()).isZero();
            assertThat(verified.stdout()).contains("Verified: the rebuild of " + repository + "@sha256:");

            appContext("tampered", "B\n");
            String tampered = digestLine(as("berth build -t " + repository + ":2 --build-arg WHO=ci --source-date-epoch 1700000000 "
                    + "--push tampered").assertSuccess("build the tampered image"));
            JsonNode genuine = Json.tree(as("berth provenance " + repository + ":1 --key ci.pub --json").assertSuccess("json")
                    .stdout().getBytes(StandardCharsets.UTF_8), "provenance");
            JsonNode predicate = StreamSupport.stream(genuine.path("provenance").spliterator(), false)
                    .filter(entry -> entry.path("kind").asText().equals("built")).findFirst().orElseThrow().path("predicate");
            attachSigned(repository + ":2", Digest.parse(tampered), predicate, work.resolve("ci.key"));

            assertOneLine(as(elsewhere + "berth build --verify " + repository + ":2 --key ci.pub signed"),
                    "not the same image: layer 2 of 3 (made by COPY --from=build /src/ /data/) differs");
        } finally {
            registry.close();
        }
    }

    /** The context {@code name} built by buildah (rootful, vfs, chroot isolation) into the OCI layout {@code layout}, tag 1. */
    private static void buildahBud(String name, String layout, String... arguments) {
        Path storage = work.resolve("buildah");
        List<String> buildah = List.of("buildah", "--storage-driver", "vfs", "--root", storage.resolve("root").toString(),
                "--runroot", storage.resolve("run").toString());
        List<String> bud = new ArrayList<>(buildah);
        bud.addAll(List.of("bud", "--isolation", "chroot"));
        bud.addAll(List.of(arguments));
        bud.addAll(List.of("-t", name + ":1", work.resolve(name).toString()));
        Tools.ok(work, bud.toArray(String[]::new));
        List<String> push = new ArrayList<>(buildah);
        push.addAll(List.of("push", name + ":1", "oci:" + work.resolve(layout) + ":1"));
        Tools.ok(work, push.toArray(String[]::new));
    }

    /** What a holder of the signing key could do: claim that another image came from a genuine build. */
    private static void attachSigned(String name, Digest subject, JsonNode predicate, Path keyFile) throws IOException {
        SigningKey key = SigningKey.open(Files.readAllBytes(keyFile), "ci".toCharArray(), keyFile.toString());
        byte[] bundle = SigstoreBundle.sign(new InTotoStatement(name, subject, InTotoStatement.SLSA_PROVENANCE, predicate), key);
        try (Registries registries = new Registries(BerthConfig.EMPTY, new CredentialStore(List.of(), null), RetryPolicy.DEFAULT, false)) {
            Registries.Resolved resolved = registries.resolve(Reference.parse(name));
            AttestationReferrer referrer = AttestationReferrer.signed(resolved.root(), bundle, InTotoStatement.SLSA_PROVENANCE);
            RegistrySink sink = new RegistrySink(resolved.source().client(), resolved.source().repository());
            sink.putBlob(referrer.configDescriptor(), new ByteArrayInputStream(referrer.config()));
            sink.putBlob(referrer.contentDescriptor(), new ByteArrayInputStream(referrer.content()));
            sink.putManifest(referrer.manifest());
        }
    }

    /** A berth registry on 127.0.0.1, storing under the workspace's {@code name}. */
    private static RegistryServer registry(String name) throws Exception {
        return RegistryServer.start(RegistryConfig.defaults(user.workspace().resolve(name)).withListen("127.0.0.1", 0).withAccessLog(false));
    }

    /** The manifest digest a build printed, where pushes print more after it. */
    private static String digestLine(Tools.Result build) {
        return build.stdout().lines().filter(line -> line.startsWith("sha256:")).findFirst().orElseThrow();
    }

    private static String lastLine(Tools.Result result) {
        return result.stdout().strip().lines().reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void runMountsShowFilesForTheStepOnlyAndCacheMountsLastBetweenBuilds() throws Exception {
        context("mounts", "Dockerfile", String.join("\n",
                "FROM base:1 AS build",
                "RUN mkdir -p /out && echo built > /out/artifact",
                "FROM base:1",
                "RUN --mount=type=bind,source=data,target=/mnt/data --mount=from=build,source=/out,target=/in \\",
                "    --mount=type=cache,id=runs,target=/var/cache/runs --mount=type=tmpfs,target=/scratch \\",
                "    busybox ls /mnt/data > /listing && busybox cat /in/artifact >> /listing && echo x > /scratch/x \\",
                "    && echo run >> /var/cache/runs/count && busybox wc -l < /var/cache/runs/count > /runs", ""),
                "data/in.txt", "in\n", "data/secret.txt", "secret\n", ".dockerignore", "data/secret.txt\n");
        as("berth build -t mounts:1 mounts").assertSuccess("build with mounts");
        assertThat(as("berth exec mounts:1 busybox cat /listing /runs").assertSuccess("exec").stdout())
                .as("the context bind as .dockerignore leaves it, the stage's files, the cache's first use")
                .isEqualTo("in.txt\nbuilt\n1\n");
        assertThat(as("berth exec mounts:1 busybox ls /").assertSuccess("ls").stdout().lines())
                .as("no mount point (nor /var, made for the cache's) and nothing of a mount is in the image")
                .doesNotContain("mnt", "in", "scratch", "var");

        Files.writeString(work.resolve("mounts/data/in.txt"), "changed\n");
        Tools.Result rebuilt = as("berth build -t mounts:1 mounts").assertSuccess("rebuild after the bound file changed");
        assertThat(rebuilt.stdout()).as("a bind's content is part of the step's key").containsOnlyOnce("--> Using cache");
        assertThat(as("berth exec mounts:1 busybox cat /runs").assertSuccess("exec").stdout())
                .as("the cache mount kept what the first build wrote").isEqualTo("2\n");
        assertThat(as("berth system df").assertSuccess("df").stdout()).containsPattern("build cache mounts\\s+1 ");
    }

    private static final String SECRET = "s3cret-value-42";

    /**
     * RUN --mount=type=secret as a file (default place and mode, or target= and mode=) and as a
     * variable (env=); one the build was not given is left out. The secret is in nothing berth
     * printed or keeps: no layer, config, provenance or step cache entry holds its bytes, and a
     * new secret alone does not run the steps again.
     */
    @Test
    void aSecretIsShownToItsStepOnlyAndNeverPrintedStoredOrKeyed() throws Exception {
        Path secretFile = work.resolve("token.txt");
        Files.writeString(secretFile, SECRET);
        Tools.ok(work, "chmod", "a+r", secretFile.toString());
        // the recipe checks the secret by its digest: the recipe itself is in the image's history
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(SECRET.getBytes(StandardCharsets.UTF_8)));
        context("secrets", "Dockerfile", String.join("\n",
                "FROM base:1",
                "RUN --mount=type=secret,id=tok cat /run/secrets/tok > /dev/null && test \"$(sha256sum < /run/secrets/tok)\" = '" + digest
                        + "  -' && stat -c %a /run/secrets/tok > /secret-mode",
                "RUN --mount=type=secret,id=tok,env=TOKEN test \"$(printf %s \"$TOKEN\" | sha256sum)\" = '" + digest + "  -' \\",
                "    && test ! -e /run/secrets/tok && echo env > /env",
                "RUN --mount=type=secret,id=tok,target=/etc/app/token,mode=0440,required=true stat -c %a /etc/app/token > /target-mode",
                "RUN --mount=type=secret,id=absent test ! -e /run/secrets/absent && echo without > /absent", ""));
        Tools.Result built = as("berth build -t secrets:1 --secret id=tok,src=" + secretFile + " secrets").assertSuccess("build");
        assertThat(built.stdout() + built.stderr()).as("berth's own output").doesNotContain(SECRET);
        assertThat(as("berth exec secrets:1 busybox cat /secret-mode /env /target-mode /absent").assertSuccess("exec").stdout())
                .isEqualTo("400\nenv\n440\nwithout\n");

        Path layout = work.resolve("secrets-layout");
        as("berth copy berth:secrets:1 oci:" + layout + ":1").assertSuccess("copy to a layout");
        assertThat(layers(layout).stream().flatMap(List::stream)).as("no secret, nor a mount point made for one")
                .noneMatch(entry -> entry.startsWith("run/") || entry.startsWith("etc/"));
        Path store = Path.of(user.home(), ".local/share/berth");
        Path stepCache = Path.of(user.home(), ".cache/berth/build-cache");
        assertThat(filesHolding(SECRET, layout, store, stepCache.getParent())).as("layers, configs, provenance, step cache, uncompressed")
                .isEmpty();
        assertThat(filesHolding("without", store)).as("the scan reads the store's layers").isNotEmpty();
        assertThat(filesHolding("without", stepCache)).as("and the step cache's").isNotEmpty();
        assertThat(filesHolding(BuildProvenance.BUILD_TYPE, store)).as("and the provenance").isNotEmpty();

        Files.writeString(secretFile, "another-value");
        Tools.Result again = as("berth build -t secrets:1 --secret id=tok,src=" + secretFile + " secrets").assertSuccess("rebuild");
        assertThat(again.stdout().split("--> Using cache", -1)).as("only the secret changed: every step is reused").hasSize(5);

        as("BUILD_TOKEN=" + SECRET + " berth build --no-cache -t secrets:2 --secret id=tok,env=BUILD_TOKEN secrets")
                .assertSuccess("a secret from a variable");
        as("tok=" + SECRET + " berth build --no-cache -t secrets:2 --secret id=tok secrets").assertSuccess("id= alone: the variable of that name");
        Files.writeString(work.resolve("tok"), SECRET);
        Tools.ok(work, "chmod", "a+r", work.resolve("tok").toString());
        as("berth build --no-cache -t secrets:2 --secret id=tok secrets").assertSuccess("id= alone, no such variable: the file of that name");
    }

    /**
     * An earlier step makes /run a link that leads out of the tree: relative through bwrap's
     * /oldroot (the host's root while bwrap sets up), or absolute. The mount points of the next
     * steps (a tmpfs, a secret) are made where the links lead inside the tree, as BuildKit does;
     * nothing is made in, or taken from, the host directory the links name, and none of them stays in a layer.
     */
    @Test
    void mountPointsBehindAnImagesLinksStayInTheTree() throws Exception {
        Path escape = Files.createTempDirectory(Path.of("/tmp"), "berth-escape-target-");
        Files.createFile(escape.resolve("keep"));
        Tools.ok(work, "chmod", "-R", "a+rwX", escape.toString());
        Path secretFile = work.resolve("escape-secret.txt");
        // not SECRET: this recipe, in the image's history, holds the value, and another test scans the store for SECRET
        Files.writeString(secretFile, "behind-a-link");
        Tools.ok(work, "chmod", "a+r", secretFile.toString());
        try {
            context("escape", "Dockerfile", String.join("\n",
                    "FROM base:1",
                    "RUN rm -rf /run && ln -s ../oldroot" + escape + " /run && ln -s " + escape + " /srv",
                    "RUN --mount=type=tmpfs,target=/run/x --mount=type=tmpfs,target=/srv/y test -d /run/x -a -d /srv/y \\",
                    "    && touch /run/x/in-tmpfs && echo tmpfs > /proof",
                    "RUN --mount=type=secret,id=s,required=true test \"$(cat /run/secrets/s)\" = behind-a-link && echo secret >> /proof",
                    ""));
            as("berth build -t escape:1 --secret id=s,src=" + secretFile + " escape").assertSuccess("build");
            try (var entries = Files.list(escape)) {
                assertThat(entries.map(entry -> entry.getFileName().toString()).toList()).as("the host directory the links name")
                        .containsExactly("keep");
            }
            assertThat(as("berth exec escape:1 busybox cat /proof").assertSuccess("exec").stdout()).isEqualTo("tmpfs\nsecret\n");
            Path layout = work.resolve("escape-layout");
            as("berth copy berth:escape:1 oci:" + layout + ":1").assertSuccess("copy to a layout");
            assertThat(layers(layout).stream().flatMap(List::stream)).as("no mount point made inside the tree")
                    .noneMatch(entry -> entry.startsWith("oldroot") || entry.startsWith(escape.toString().substring(1)));
        } finally {
            Tools.ok(work, "rm", "-rf", escape.toString());
        }
    }

    /**
     * A stage whose /data is an absolute link, to a directory that the host has too: a bind of it,
     * read-only or writable, shows what the link leads to inside the stage, never the host's directory.
     */
    @Test
    void aBindFromAStageFollowsItsLinkInsideTheStage() throws Exception {
        Path host = Files.createTempDirectory(Path.of("/tmp"), "berth-bind-source-");
        Files.writeString(host.resolve("f"), "on the host\n");
        Tools.ok(work, "chmod", "-R", "a+rwX", host.toString());
        try {
            context("stage-link", "Dockerfile", String.join("\n",
                    "FROM base:1 AS stage",
                    "RUN mkdir -p " + host + " && echo in the stage > " + host + "/f && ln -s " + host + " /data",
                    "FROM base:1",
                    "RUN --mount=from=stage,source=/data,target=/in --mount=from=stage,source=/data,target=/rw,rw \\",
                    "    cat /in/f /rw/f > /seen && echo changed > /rw/f",
                    ""));
            as("berth build -t stage-link:1 stage-link").assertSuccess("build");
            assertThat(as("berth exec stage-link:1 busybox cat /seen").assertSuccess("exec").stdout())
                    .isEqualTo("in the stage\nin the stage\n");
            assertThat(host.resolve("f")).hasContent("on the host");
        } finally {
            Tools.ok(work, "rm", "-rf", host.toString());
        }
    }

    /** The regular files under {@code roots} whose bytes, decompressed where they are gzip or zstd, hold {@code text}. */
    private static List<Path> filesHolding(String text, Path... roots) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Path> holding = new ArrayList<>();
        for (Path root : roots) {
            try (var files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    byte[] content;
                    try (InputStream in = Compression.decompressed(Files.newInputStream(file))) {
                        content = in.readAllBytes();
                    }
                    if (indexOf(content, needle) >= 0) {
                        holding.add(file);
                    }
                }
            }
        }
        return holding;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * RUN --mount=type=ssh with the caller's real ssh-agent: the step lists the agent's key with
     * ssh-add (bound in from the context with its libraries, as the image has none), and nothing
     * of the socket is left in the image.
     */
    @Test
    void anSshMountLetsTheStepUseTheCallersAgentAndLeavesNothingBehind() throws Exception {
        Path context = context("ssh", "Dockerfile", String.join("\n",
                "FROM base:1",
                "RUN --mount=type=ssh,required=true --mount=type=bind,source=tools,target=/tools \\",
                "    test -S \"$SSH_AUTH_SOCK\" && echo \"$SSH_AUTH_SOCK\" > /agent \\",
                "    && /tools/ld.so --library-path /tools /tools/ssh-add -l > /keys", ""));
        copyWithLibraries(Path.of("/usr/bin/ssh-add"), Files.createDirectories(context.resolve("tools")));
        Tools.ok(work, "chmod", "-R", "a+rwX", context.toString());
        as("ssh-keygen -q -t ed25519 -N '' -C berth-test-key -f ssh-key && eval \"$(ssh-agent -s)\" > /dev/null"
                + " && ssh-add -q ssh-key && berth build -t agent:1 --ssh default ssh; built=$?; ssh-agent -k > /dev/null; exit $built")
                .assertSuccess("build with the agent");
        assertThat(as("berth exec agent:1 busybox cat /agent /keys").assertSuccess("exec").stdout())
                .startsWith("/run/buildkit/ssh_agent.0\n").contains("berth-test-key (ED25519)");
        Path layout = work.resolve("ssh-layout");
        as("berth copy berth:agent:1 oci:" + layout + ":1").assertSuccess("copy to a layout");
        assertThat(layers(layout).stream().flatMap(List::stream)).as("no socket, nor a mount point made for one")
                .noneMatch(entry -> entry.startsWith("run/") || entry.startsWith("tools/"));
    }

    /** A program and the shared libraries ldd names, with the dynamic loader as ld.so, so that it runs from {@code dir}. */
    private static void copyWithLibraries(Path program, Path dir) throws IOException {
        Files.copy(program, dir.resolve(program.getFileName()));
        for (String line : Tools.ok(work, "ldd", program.toString()).stdout().lines().toList()) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 3 && words[1].equals("=>") && words[2].startsWith("/")) {
                Files.copy(Path.of(words[2]), dir.resolve(words[0]));
            } else if (words[0].startsWith("/")) {
                Files.copy(Path.of(words[0]), dir.resolve("ld.so"));
            }
        }
    }

    /** Secrets and agents the build was not given, cannot read or cannot use, and malformed flags and mounts: one line each. */
    @Test
    void badSecretsAndAgentsFailWithOneLineNamingWhatToGive() throws Exception {
        context("secret-required", "Dockerfile", "FROM base:1\nRUN --mount=type=secret,id=absent,required=true true\n");
        assertOneLine(as("berth build secret-required"), "Dockerfile:2: RUN --mount=type=secret,id=absent is required, but the build "
                + "was given no secret absent; give it with --secret id=absent,src=FILE");
        context("ssh-required", "Dockerfile", "FROM base:1\nRUN --mount=type=ssh,required true\n");
        assertOneLine(as("berth build ssh-required"), "Dockerfile:2: RUN --mount=type=ssh,id=default is required, but the build "
                + "was given no SSH agent default; give it with --ssh default");

        Path closed = work.resolve("closed-secret");
        Files.writeString(closed, SECRET);
        Tools.ok(work, "chmod", "000", closed.toString());
        assertOneLine(as("berth build --secret id=tok,src=" + closed + " secret-required"),
                "--secret id=tok,src=" + closed + ": you may not read " + closed);
        assertOneLine(as("berth build --secret id=tok,env=UNSET_VARIABLE secret-required"),
                "--secret id=tok,env=UNSET_VARIABLE: the variable UNSET_VARIABLE is not set");
        Path key = context("key-file", "id_ed25519", "not an agent\n").resolve("id_ed25519");
        assertOneLine(as("berth build --ssh default=" + key + " secret-required"),
                "--ssh default=" + key + ": " + key + " is not an agent socket; berth forwards agents, not key files");
        assertOneLine(as("berth build --ssh default secret-required"), "--ssh default: SSH_AUTH_SOCK is not set");

        assertUsage(as("berth build --secret src=token.txt secret-required"), "--secret src=token.txt: give the secret an id (id=ID)");
        assertUsage(as("berth build --secret id=tok,path=token.txt secret-required"),
                "--secret id=tok,path=token.txt: unknown key path (it takes type, id, src, env)");
        assertUsage(as("berth build --ssh default=a.sock,b.sock secret-required"), "--ssh default=a.sock,b.sock: give one agent socket");

        context("bad-mode", "Dockerfile", "FROM base:1\nRUN --mount=type=secret,id=tok,mode=rw true\n");
        assertOneLine(as("berth build bad-mode"), "Dockerfile:2: RUN --mount=type=secret mode= takes an octal mode such as 0400, not rw");
        context("bad-ssh-option", "Dockerfile", "FROM base:1\nRUN --mount=type=ssh,src=agent true\n");
        assertOneLine(as("berth build bad-ssh-option"), "Dockerfile:2: RUN --mount=type=ssh does not take src");
        context("unknown-mount", "Dockerfile", "FROM base:1\nRUN --mount=type=device,target=/dev/x true\n");
        assertOneLine(as("berth build unknown-mount"), "Dockerfile:2: RUN --mount=type=device is not supported");
    }

    /** ADD of a URL as Docker does it: downloaded (never unpacked), mode 0600, checked against --checksum, keyed on its content. */
    @Test
    void addDownloadsAUrlWithItsModificationTimeAndChecksIt() throws Exception {
        byte[][] served = {"remote data\n".getBytes(StandardCharsets.UTF_8)};
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/data.txt", exchange -> {
            exchange.getResponseHeaders().add("Last-Modified", "Tue, 14 Nov 2023 22:13:20 GMT");
            exchange.sendResponseHeaders(200, served[0].length);
            exchange.getResponseBody().write(served[0]);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(served[0]));
            context("add-url", "Dockerfile", "FROM base:1\nADD " + url + "/data.txt /remote/\nADD --checksum=" + digest + " " + url
                    + "/data.txt /checked.txt\n");
            as("berth build -t add-url:1 add-url").assertSuccess("build");
            assertThat(as("berth exec add-url:1 busybox stat -c '%a %Y %n' /remote/data.txt /checked.txt").assertSuccess("stat").stdout())
                    .isEqualTo("600 1700000000 /remote/data.txt\n600 1700000000 /checked.txt\n");
            assertThat(as("berth build -t add-url:1 add-url").assertSuccess("again").stdout()).contains("--> Using cache");

            served[0] = "changed\n".getBytes(StandardCharsets.UTF_8);
            assertOneLine(as("berth build add-url"), "Dockerfile:3: " + url + "/data.txt has the digest sha256:");
            context("add-missing", "Dockerfile", "FROM base:1\nADD " + url + "/missing.txt /x\n");
            assertOneLine(as("berth build add-missing"), "Dockerfile:2: cannot download " + url + "/missing.txt: the server answered 404");
            context("copy-url", "Dockerfile", "FROM base:1\nCOPY " + url + "/data.txt /x\n");
            assertOneLine(as("berth build copy-url"), "COPY takes no URLs; use ADD");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void onbuildTriggersRunInTheChildsBuildWithTheChildsContextAndAreNotInherited() throws Exception {
        context("onbuild-base", "Dockerfile", String.join("\n", "FROM base:1",
                "ONBUILD COPY greeting.txt /greeting.txt",
                "ONBUILD RUN busybox cat /greeting.txt > /triggered", ""));
        as("berth build -t onbuild-base:1 onbuild-base").assertSuccess("build the base");
        context("onbuild-child", "Dockerfile", "FROM onbuild-base:1\nRUN echo child >> /triggered\n",
                "greeting.txt", "hello from the child's context\n");

        Tools.Result child = as("berth build -t onbuild-child:1 onbuild-child");

        assertThat(child.exitCode()).as(child.stdout() + child.stderr()).isZero();
        assertThat(child.stdout()).contains("Executing 2 build triggers of onbuild-base:1");
        assertThat(as("berth exec onbuild-child:1 busybox cat /triggered").assertSuccess("exec").stdout())
                .isEqualTo("hello from the child's context\nchild\n");
        assertThat(as("berth inspect --format '{{json .Config.OnBuild}}' onbuild-base:1").assertSuccess("inspect").stdout())
                .contains("COPY greeting.txt /greeting.txt").contains("RUN busybox cat /greeting.txt > /triggered");
        assertThat(as("berth inspect --format '{{json .Config.OnBuild}}' onbuild-child:1").assertSuccess("inspect").stdout())
                .as("the child's own triggers").doesNotContain("greeting");

        context("onbuild-nested", "Dockerfile", "FROM base:1\nONBUILD ONBUILD RUN true\n");
        assertOneLine(as("berth build onbuild-nested"), "Dockerfile:2: ONBUILD is not allowed as an ONBUILD trigger");
    }

    @Test
    void aRunThatDeletesBaseFilesWritesWhiteouts() throws Exception {
        context("deleting", "Dockerfile", "FROM base:1\nRUN rm /bin/sh && mkdir /etc && echo x > /etc/x\n");
        as("berth build -t deleting:1 deleting && berth copy berth:deleting:1 oci:deleting-layout:1").assertSuccess("build");
        List<List<String>> layers = layers(work.resolve("deleting-layout"));
        assertThat(layers.getLast()).containsExactly("bin/ 755 0:0", "bin/.wh.sh 644 0:0", "etc/ 755 0:0", "etc/x 644 0:0");
    }

    @Test
    void hardLinksGoIntoALayerOnceAndComeBackAsLinks() throws Exception {
        String linking = "FROM base:1\nRUN busybox head -c 100000 /bin/busybox > /big && busybox ln /big /big2 && busybox ln /big /zz\n";
        context("linking", "Dockerfile", linking);
        as("berth build -t linking:1 linking && berth copy berth:linking:1 oci:linking-layout:1").assertSuccess("build");
        assertThat(layers(work.resolve("linking-layout")).getLast()).containsExactly("big 644 0:0", "big2 644 0:0 -> big",
                "zz 644 0:0 -> big");

        Files.writeString(work.resolve("linking/Dockerfile"), linking + "RUN busybox stat -c %h /big > /links\n");
        Tools.Result extended = as("berth build -t linking:2 linking").assertSuccess("build on the cached step");
        assertThat(extended.stdout()).contains("--> Using cache");
        assertThat(as("berth run linking:2 busybox cat /links").assertSuccess("run").stdout())
                .as("the cached layer, laid out again, has one file with three names").isEqualTo("3\n");
    }

    /**
     * apt-get and dpkg as a fake root: the package's maintainer script chowns to another user, and
     * APT drops privileges to _apt; both only work with the seccomp filter and APT's setting, and
     * neither leaves a trace in the image.
     */
    @Test
    void aptGetInstallsFromALocalRepositoryInRunAndInExecWithFakeroot() throws Exception {
        Path debian = DebianImages.bookwormMinbase();
        Path context = context("apt", "Dockerfile", String.join("\n",
                "FROM debian:12",
                "COPY repo /srv/repo",
                "RUN echo 'deb [trusted=yes] file:/srv/repo ./' > /etc/apt/sources.list.d/local.list \\",
                "    && rm -f /etc/apt/sources.list /etc/apt/sources.list.d/debian.sources && apt-get update && apt-get install -y berth-hello",
                "CMD [\"berth-hello\"]", ""));
        localRepository(context.resolve("repo"));
        as("berth copy oci:" + debian + ":" + DebianImages.TAG + " berth:debian:12").assertSuccess("store debian");

        as("berth build -t apt:1 --network none apt").assertSuccess("build with apt-get");
        assertThat(as("berth run apt:1").assertSuccess("run").stdout()).isEqualTo("hello from a package\n");
        as("berth copy berth:apt:1 oci:apt-layout:1").assertSuccess("copy out");
        List<List<String>> layers = layers(work.resolve("apt-layout"));
        assertThat(layers.getLast()).contains("usr/bin/berth-hello 755 0:0").noneMatch(entry -> entry.contains("berth-fake-root"));

        String install = "echo 'deb [trusted=yes] file:/srv/repo ./' > /etc/apt/sources.list.d/local.list"
                + " && rm -f /etc/apt/sources.list /etc/apt/sources.list.d/debian.sources && apt-get update -qq && apt-get install -y -qq berth-hello"
                + " >/dev/null && berth-hello";
        assertThat(as("berth exec --fakeroot --writable-tmpfs --bind " + context.resolve("repo") + ":/srv/repo debian:12 sh -c \""
                + install + "\"").assertSuccess("exec --fakeroot apt-get install").stdout()).endsWith("hello from a package\n");
    }

    /**
     * The builds researchers write first, on a real Debian base: gcc and pip installed from
     * Debian's mirror in one stage, a static C program and a local wheel built and installed
     * there, and only the program and its output copied into a scratch image. buildah builds the
     * same recipe to the same files.
     */
    @Test
    void aMultiStageCBuildWithPipOnDebianGivesTheFilesBuildahGives() throws Exception {
        Path debian = DebianImages.bookwormMinbase();
        Path context = context("c-build", "Dockerfile", String.join("\n",
                "ARG BASE=debian:12",
                "FROM $BASE AS build",
                "RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev python3-pip && rm -rf /var/lib/apt/lists/*",
                "COPY hello.c berth_hello-1.0-py3-none-any.whl /src/",
                "RUN gcc -static -O2 -o /src/hello /src/hello.c \\",
                "    && pip install --break-system-packages --no-index /src/berth_hello-1.0-py3-none-any.whl \\",
                "    && python3 -c 'import berth_hello; print(berth_hello.greet())' > /src/greeting && grep -qx 'hello from a wheel' /src/greeting",
                "FROM scratch",
                "COPY --from=build /src/hello /hello",
                "COPY --from=build /src/greeting /greeting",
                "ENTRYPOINT [\"/hello\"]", ""),
                "hello.c", "#include <stdio.h>\nint main(void) { puts(\"hello from C\"); return 0; }\n");
        wheel(context.resolve("berth_hello-1.0-py3-none-any.whl"));
        as("berth copy oci:" + debian + ":" + DebianImages.TAG + " berth:debian:12").assertSuccess("store debian");

        as("berth build -t c-build:1 c-build && berth copy berth:c-build:1 oci:berth-c-build:1").assertSuccess("berth build");
        assertThat(as("berth run c-build:1").assertSuccess("run").stdout()).isEqualTo("hello from C\n");

        buildahBud("c-build", "buildah-c-build", "--build-arg", "BASE=oci:" + debian + ":" + DebianImages.TAG);
        assertThat(files(work.resolve("berth-c-build"))).isEqualTo(files(work.resolve("buildah-c-build")))
                .contains("./hello f 755").contains("./greeting f 644");
    }

    /** A pure-Python wheel, as pip builds them: the module, METADATA, WHEEL and a RECORD of the files' hashes. */
    private static void wheel(Path file) throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("berth_hello/__init__.py", "def greet():\n    return 'hello from a wheel'\n");
        entries.put("berth_hello-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: berth-hello\nVersion: 1.0\n");
        entries.put("berth_hello-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: berth-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        StringBuilder record = new StringBuilder();
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                byte[] bytes = entry.getValue().getBytes(StandardCharsets.UTF_8);
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(bytes);
                zip.closeEntry();
                String hash = Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
                record.append(entry.getKey()).append(",sha256=").append(hash).append(',').append(bytes.length).append('\n');
            }
            record.append("berth_hello-1.0.dist-info/RECORD,,\n");
            zip.putNextEntry(new ZipEntry("berth_hello-1.0.dist-info/RECORD"));
            zip.write(record.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        Tools.ok(work, "chmod", "a+r", file.toString());
    }

    /** A trusted APT repository with one package whose maintainer script gives a file to another user. */
    private static void localRepository(Path repo) throws Exception {
        Path source = work.resolve("berth-hello");
        Files.createDirectories(source.resolve("DEBIAN"));
        Files.createDirectories(source.resolve("usr/bin"));
        Files.writeString(source.resolve("DEBIAN/control"), "Package: berth-hello\nVersion: 1.0\nArchitecture: all\n"
                + "Maintainer: berth tests <tests@berth.invalid>\nDescription: says hello\n");
        Files.writeString(source.resolve("DEBIAN/postinst"), "#!/bin/sh\nchown daemon:daemon /usr/bin/berth-hello\n");
        Files.writeString(source.resolve("usr/bin/berth-hello"), "#!/bin/sh\necho hello from a package\n");
        Tools.ok(work, "chmod", "0755", source.resolve("DEBIAN/postinst").toString(), source.resolve("usr/bin/berth-hello").toString());
        Files.createDirectories(repo);
        Path deb = repo.resolve("berth-hello_1.0_all.deb");
        Tools.ok(work, "dpkg-deb", "--root-owner-group", "--build", source.toString(), deb.toString());
        byte[] bytes = Files.readAllBytes(deb);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Files.writeString(repo.resolve("Packages"), Files.readString(source.resolve("DEBIAN/control"))
                + "Filename: ./" + deb.getFileName() + "\nSize: " + bytes.length + "\nSHA256: " + sha256 + "\n");
        Tools.ok(work, "chmod", "-R", "a+rX", repo.toString());
    }

    @Test
    void badRecipesFailWithOneLineNamingFileAndLine() throws Exception {
        context("unknown", "Dockerfile", "FROM base:1\n\nFETCH x\n");
        assertOneLine(as("berth build unknown"), "Dockerfile:3: unknown instruction FETCH");
        context("outside", "Dockerfile", "FROM base:1\nCOPY ../secret /x\n");
        assertOneLine(as("berth build outside"), "Dockerfile:2: ../secret is outside the build context");
        Path linked = context("linked", "Dockerfile", "FROM base:1\nCOPY passwd /x\n");
        Files.createSymbolicLink(linked.resolve("passwd"), Path.of("/etc/passwd"));
        assertOneLine(as("berth build linked"), "Dockerfile:2: passwd leads outside the build context (to /etc/passwd)");
        context("missing", "Dockerfile", "FROM base:1\nCOPY nothing.txt /x\n");
        assertOneLine(as("berth build missing"), "Dockerfile:2: nothing.txt is not in the build context");
        context("failing", "Dockerfile", "FROM base:1\nRUN echo partial > /p && exit 3\n");
        assertOneLine(as("berth build -t failing:1 failing"), "Dockerfile:2: RUN echo partial > /p && exit 3 failed with exit code 3");
        assertThat(as("berth images").stdout()).doesNotContain("failing");
    }

    /** A usage error: exit code 2, and the message first. */
    private static void assertUsage(Tools.Result result, String message) {
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("berth: " + message);
    }

    private static void assertOneLine(Tools.Result result, String message) {
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(1);
        List<String> berthLines = result.stderr().lines().filter(line -> line.startsWith("berth: ")).toList();
        assertThat(berthLines).hasSize(1);
        assertThat(berthLines.getFirst()).contains(message);
    }

    private static JsonNode manifest(Path layout, String tag) throws IOException {
        JsonNode index = Json.mapper().readTree(layout.resolve("index.json").toFile());
        for (JsonNode entry : index.path("manifests")) {
            if (entry.path("annotations").path("org.opencontainers.image.ref.name").asText().equals(tag)) {
                return Json.mapper().readTree(blob(layout, entry.path("digest").asText()).toFile());
            }
        }
        throw new AssertionError("no tag " + tag + " in " + layout);
    }

    private static Path blob(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    private static JsonNode config(Path layout) throws IOException {
        return Json.mapper().readTree(blob(layout, manifest(layout, "1").path("config").path("digest").asText()).toFile());
    }

    private static List<String> layerDigests(Path layout, String tag) throws IOException {
        List<String> digests = new ArrayList<>();
        manifest(layout, tag).path("layers").forEach(layer -> digests.add(layer.path("digest").asText()));
        return digests;
    }

    /** Each layer of tag 1 as "name mode uid:gid" lines, in the tar's order. */
    private static List<List<String>> layers(Path layout) throws IOException {
        List<List<String>> layers = new ArrayList<>();
        for (String digest : layerDigests(layout, "1")) {
            List<String> entries = new ArrayList<>();
            try (InputStream in = Compression.decompressed(Files.newInputStream(blob(layout, digest)));
                 TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    entries.add(entry.getName() + " " + Integer.toOctalString(entry.getMode()) + " " + entry.getLongUserId() + ":"
                            + entry.getLongGroupId() + (entry.isLink() ? " -> " + entry.getLinkName() : ""));
                }
            }
            layers.add(entries);
        }
        return layers;
    }
}
