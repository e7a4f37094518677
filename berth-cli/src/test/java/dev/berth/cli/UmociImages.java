package dev.berth.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Real images built by umoci, a tool berth did not write: busybox-static as the root file system,
 * optionally with a second layer of random bytes to make an import take a while.
 */
public final class UmociImages {
    private UmociImages() {
    }

    /** An OCI layout at {@code dir} with one image tagged {@code tag}; {@code extraBytes} > 0 adds a second layer. */
    public static Path busybox(Path dir, String tag, long extraBytes) throws IOException {
        Path work = Files.createTempDirectory(dir.getParent(), "umoci-");
        Tools.ok(work, "umoci", "init", "--layout", dir.toString());
        Tools.ok(work, "umoci", "new", "--image", dir + ":" + tag);
        Path bundle = work.resolve("bundle");
        Tools.ok(work, "umoci", "unpack", "--rootless", "--image", dir + ":" + tag, bundle.toString());
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        Files.createSymbolicLink(bin.resolve("sh"), Path.of("busybox"));
        Tools.ok(work, "umoci", "repack", "--image", dir + ":" + tag, bundle.toString());
        Tools.ok(work, "umoci", "config", "--image", dir + ":" + tag, "--config.cmd", "/bin/sh",
                "--config.env", "PATH=/bin", "--config.label", "org.opencontainers.image.licenses=GPL-2.0");
        if (extraBytes > 0) {
            Tools.ok(work, "umoci", "unpack", "--rootless", "--image", dir + ":" + tag, work.resolve("bundle2").toString());
            writeRandom(work.resolve("bundle2/rootfs/data.bin"), extraBytes);
            Tools.ok(work, "umoci", "repack", "--image", dir + ":" + tag, work.resolve("bundle2").toString());
        }
        Tools.ok(work, "umoci", "gc", "--layout", dir.toString());
        return dir;
    }

    private static void writeRandom(Path file, long bytes) throws IOException {
        Random random = new Random(42);
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += buffer.length) {
                random.nextBytes(buffer);
                out.write(buffer, 0, (int) Math.min(buffer.length, bytes - written));
            }
        }
    }
}
