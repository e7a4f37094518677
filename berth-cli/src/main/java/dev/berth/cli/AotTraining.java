package dev.berth.cli;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.oci.Toml;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.layout.OciLayoutWriter;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.RegistryServer;
import dev.berth.trust.SigningKey;
import dev.berth.trust.policy.ExecutionPolicy;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * The workloads the launcher records the JDK's AOT caches from (bin/berth, once per user, JDK,
 * installation and family of commands, in the background). A cache holds the classes a training
 * run loaded and linked and the profiles of the methods it ran, and the JVM loads every class of
 * its cache at start, so each family's cache holds what that family runs:
 * <ul>
 * <li>{@code pull}: pulls from a registry that another JVM serves and another JVM built the image
 *     for and pushed it to, so that only what a pull runs is in it (16 MB against 37 MB for
 *     {@code all}: building the image alone brings in Jackson's data binder and commons-compress).
 * <li>{@code transfer} (push, copy, import, export, prune): an import, a push to and a pull from a
 *     registry in a JVM of its own, a copy, an export and a prune.
 * <li>{@code build}: an import, then the same build of the image three times: with no step
 *     reused, with every step reused (the build a user repeats most), and with a RUN step. Built
 *     alone, build's own classes (the recipe parser, the step cache, provenance) would load from
 *     the jars at every build: a cached build of bench/build took 0.48 s with the cache of
 *     {@code all} and 0.35 s with its own.
 * <li>{@code all} (every other command): every command's help, an import, a push to and a pull
 *     from a registry served in this JVM, a sign, verify, provenance and remote inspect of the
 *     pushed image, an export, and a container started from the image.
 * </ul>
 * Measured on bench/pull's image (medians of 12 alternating pulls), a pull costs 0.05 s less CPU
 * with the transfer cache than with the full one, and 0.12 s less with its own.
 * The image is a tiny one built here; steps that need tools this machine lacks (bwrap,
 * tar2sqfs) fail quietly and train what they reached.
 *
 * <p>Usage: {@code AotTraining WORK_DIR [all|transfer|pull|build]}, or {@code AotTraining WORK_DIR seed
 * REFERENCE} to build the image and push it, with {@code BERTH_CACHE_DIR} pointing
 * inside WORK_DIR so that nothing lands in the user's own cache.
 */
public final class AotTraining {
    private static final PrintWriter DISCARD = new PrintWriter(OutputStream.nullOutputStream());

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path work = Path.of(args[0]);
        // the containers it starts make berth's config directory; the training leaves the user's home alone
        System.setProperty("user.home", Files.createDirectories(work.resolve("home")).toString());
        String family = args.length > 1 ? args[1] : "all";
        if (family.equals("seed")) {
            seed(work, args[2]);
        } else if (family.equals("pull")) {
            pulls(work);
        } else if (family.equals("transfer")) {
            transfers(work);
        } else if (family.equals("build")) {
            builds(work);
        } else if (family.equals("all")) {
            everything(work);
        } else {
            throw new IllegalArgumentException("unknown family of commands to train: " + family);
        }
    }

    private static void pulls(Path work) throws IOException, InterruptedException {
        String data = work.resolve("data").toString();
        try (ChildRegistry registry = ChildRegistry.start(work.resolve("registry"))) {
            String remote = registry.host() + "/training/image:1";
            inAnotherJvm(AotTraining.class, work.toString(), "seed", remote);
            required("--data-dir", data, "pull", remote); // with progress lines, as most pulls run
            required("--data-dir", data, "pull", "-q", remote); // again: everything is there
        }
    }

    /** Builds the training image and pushes it to {@code remote}: the pull training runs this in another JVM. */
    private static void seed(Path work, String remote) throws IOException {
        String seed = work.resolve("seed").toString();
        required("--data-dir", seed, "import", writeImage(work.resolve("layout")).toString(), "--name", "training:1");
        required("--data-dir", seed, "push", "-q", "training:1", remote);
    }

    private static void transfers(Path work) throws IOException, InterruptedException {
        String data = work.resolve("data").toString();
        String pulled = work.resolve("pulled").toString();
        Path layout = writeImage(work.resolve("layout"));
        required("--data-dir", data, "import", layout.toString(), "--name", "training:1");
        try (ChildRegistry registry = ChildRegistry.start(work.resolve("registry"))) {
            String remote = registry.host() + "/training/image:1";
            required("--data-dir", data, "push", "-q", "training:1", remote);
            required("--data-dir", pulled, "pull", "-q", remote);
            required("--data-dir", pulled, "copy", "-q", "docker://" + remote, "oci:" + work.resolve("copied") + ":1");
            required("--data-dir", pulled, "export", remote, work.resolve("export").toString());
        }
        required("--data-dir", data, "prune");
    }

    private static void builds(Path work) throws IOException {
        String data = work.resolve("data").toString();
        required("--data-dir", data, "import", writeImage(work.resolve("layout")).toString(), "--name", "training:1");
        Path context = Files.createDirectories(work.resolve("context/src"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(context.resolve("file" + i + ".c"), "int f" + i + "(void) { return " + i + "; }\n");
        }
        // enough bytes that the COPY cache key's hash runs long enough to be profiled
        Files.write(context.resolve("data.bin"), new byte[4 << 20]);
        Path recipe = Files.writeString(context.resolveSibling("Dockerfile"), """
                ARG BASE=training:1
                FROM $BASE
                COPY src /src
                ENV TRAINING=1
                WORKDIR /src
                LABEL purpose=training
                CMD ["/bin/true"]
                """);
        String contextDir = context.getParent().toString();
        required("--data-dir", data, "build", "--no-cache", "-t", "trained:1", contextDir);
        required("--data-dir", data, "build", "-t", "trained:1", contextDir);
        // the image has no shell: the step gets as far as starting its sandbox, where the tools allow
        Files.writeString(recipe, "FROM training:1\nRUN echo training\n");
        mayFail("--data-dir", data, "build", "-t", "trained:2", contextDir);
    }

    private static void everything(Path work) throws IOException {
        String data = work.resolve("data").toString();
        required("--help");
        for (BerthCommand.Entry entry : BerthCommand.BERTH.members()) {
            required(entry.name(), "--help");
        }
        required("version");
        mayFail("no-such-command");
        Path layout = writeImage(work.resolve("layout"));
        required("--data-dir", data, "import", layout.toString(), "--name", "training:1");
        required("--data-dir", data, "images");
        required("--data-dir", data, "inspect", "training:1");
        RegistryConfig config = RegistryConfig.defaults(work.resolve("registry")).withListen("127.0.0.1", 0);
        try (RegistryServer registry = RegistryServer.start(config)) {
            String remote = "127.0.0.1:" + registry.port() + "/training/image:1";
            required("--data-dir", data, "push", "-q", "training:1", remote);
            required("--data-dir", data, "rmi", "training:1");
            required("--data-dir", data, "prune");
            required("--data-dir", data, "pull", remote);
            required("--data-dir", data, "tag", remote, "training:1");
            signAndVerify(work, data, remote);
        }
        required("--data-dir", data, "export", "training:1", work.resolve("export").toString());
        // a run policy, as sites have, read as runs read one (whatever XDG_CONFIG_HOME says), so that TOML is in the cache
        ExecutionPolicy.fromTables(Toml.tables("default = \"accept\"\n[scope.\"registry.invalid/lab\"]\n"
                + "rule = \"signed-by\"\nkeys = [\"/training.pub\"]\n", "training policy"), "training policy");
        // the image has no programs: these get as far as starting the container, where the tools allow
        mayFail("--data-dir", data, "exec", "training:1", "/bin/true");
        mayFail("--data-dir", data, "exec", "--fuse", "training:1", "/bin/true");
        mayFail("--data-dir", data, "run", "training:1");
    }

    /** Signing, verifying and provenance, so that their EC, scrypt and bundle paths are in the cache. */
    private static void signAndVerify(Path work, String data, String remote) throws IOException {
        SigningKey key = SigningKey.generate();
        Path keyFile = Files.writeString(work.resolve("training.key"), key.encrypted("training".toCharArray()));
        Path publicKey = Files.writeString(work.resolve("training.pub"), key.publicKey().pem());
        InputStream stdin = System.in;
        // the password as a key's owner pipes it in: the training has no terminal to ask on
        System.setIn(new ByteArrayInputStream("training\n".getBytes(StandardCharsets.UTF_8)));
        try {
            mayFail("--data-dir", data, "sign", remote, "--key", keyFile.toString());
        } finally {
            System.setIn(stdin);
        }
        mayFail("--data-dir", data, "verify", remote, "--key", publicKey.toString());
        mayFail("--data-dir", data, "provenance", remote, "--key", publicKey.toString());
        mayFail("--data-dir", data, "inspect", "docker://" + remote);
    }

    /** The command line that runs {@code main} in another JVM, whose classes stay out of this one's cache. */
    private static List<String> anotherJvm(Class<?> main, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static void inAnotherJvm(Class<?> main, String... args) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(anotherJvm(main, args)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("AOT training step failed in another JVM: " + String.join(" ", args));
        }
    }

    /** {@code berth serve} in a JVM of its own. */
    private record ChildRegistry(Process process, String host) implements AutoCloseable {
        private static final String LISTENING = "listening on http://";

        static ChildRegistry start(Path root) throws IOException, InterruptedException {
            Files.createDirectories(root);
            Path log = root.resolve("serve.log");
            Process process = new ProcessBuilder(anotherJvm(Main.class, "serve", "--listen", "127.0.0.1:0", "--root",
                    root.resolve("data").toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            for (int waited = 0; waited < 600 && process.isAlive(); waited++) {
                for (String line : Files.readAllLines(log)) {
                    int at = line.indexOf(LISTENING);
                    if (at >= 0) {
                        return new ChildRegistry(process, line.substring(at + LISTENING.length()).strip());
                    }
                }
                Thread.sleep(50);
            }
            process.destroyForcibly();
            throw new IllegalStateException("AOT training: berth serve did not start: " + Files.readString(log));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** A step that must work anywhere berth runs: if it fails, the training is broken, and says so. */
    private static void required(String... args) {
        if (Main.run(args, DISCARD, DISCARD) != 0) {
            throw new IllegalStateException("AOT training step failed: berth " + String.join(" ", args));
        }
    }

    private static void mayFail(String... args) {
        Main.run(args, DISCARD, DISCARD);
    }

    /** An OCI layout holding a one-layer image for this machine's platform. */
    private static Path writeImage(Path dir) throws IOException {
        byte[] plain = tar("etc/training", "berth AOT training\n");
        byte[] layer = gzip(plain);
        Platform host = Platform.host();
        byte[] config = ("{\"architecture\":\"" + host.architecture() + "\",\"os\":\"" + host.os() + "\","
                + "\"config\":{\"Cmd\":[\"/bin/true\"],\"Env\":[\"PATH=/usr/bin:/bin\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.of(plain) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Descriptor layerDescriptor = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.of(layer), layer.length);
        Descriptor configDescriptor = Descriptor.of(MediaType.OCI_CONFIG, Digest.of(config), config.length);
        ManifestBytes manifest = ManifestBytes.create(ImageManifest.of(MediaType.OCI_MANIFEST, configDescriptor,
                List.of(layerDescriptor)));
        try (OciLayoutWriter writer = OciLayoutWriter.create(dir)) {
            writer.putBlob(layerDescriptor, new ByteArrayInputStream(layer));
            writer.putBlob(configDescriptor, new ByteArrayInputStream(config));
            writer.putManifest(manifest);
            writer.tag(Reference.parse("training:1"), manifest);
            writer.commit();
        }
        return dir;
    }

    private static byte[] tar(String path, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry file = new TarArchiveEntry(path);
            file.setSize(data.length);
            tar.putArchiveEntry(file);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }
}
