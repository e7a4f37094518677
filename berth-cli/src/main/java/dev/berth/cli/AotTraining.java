package dev.berth.cli;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.layout.OciLayoutWriter;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.RegistryServer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The workload the launcher records the JDK's AOT cache from (bin/berth, once per user, JDK and
 * installation, in the background). A cache holds the classes a training run loaded and linked
 * and the profiles of the methods it ran, so the run goes through what users do most: every
 * command's help, an import, a push to and a pull from a registry served in this JVM, an export,
 * and a container started from the image. The image is a tiny one built here; steps that need
 * tools this machine lacks (bwrap, tar2sqfs) fail quietly and train what they reached.
 *
 * <p>Usage: {@code AotTraining WORK_DIR}, with {@code BERTH_CACHE_DIR} pointing inside WORK_DIR so
 * that nothing lands in the user's own cache.
 */
public final class AotTraining {
    private static final PrintWriter DISCARD = new PrintWriter(OutputStream.nullOutputStream());

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args[0]);
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
        }
        required("--data-dir", data, "export", "training:1", work.resolve("export").toString());
        // the image has no programs: these get as far as starting the container, where the tools allow
        mayFail("--data-dir", data, "exec", "training:1", "/bin/true");
        mayFail("--data-dir", data, "exec", "--fuse", "training:1", "/bin/true");
        mayFail("--data-dir", data, "run", "training:1");
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
