package dev.berth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real Debian 12 base image: debootstrap's minbase, packed into an OCI layout by umoci. It
 * takes half a minute and the network to Debian's mirror, so it is made once per checkout and
 * kept under target/ (mvn clean removes it).
 */
public final class DebianImages {
    private static final Path CACHE = Path.of("target/test-images/debian-12-minbase").toAbsolutePath();
    public static final String TAG = "12";

    private DebianImages() {
    }

    /** The layout, tag {@link #TAG}; built by root, readable by everyone. */
    public static synchronized Path bookwormMinbase() throws IOException {
        if (Files.isRegularFile(CACHE.resolve("index.json"))) {
            return CACHE;
        }
        Files.createDirectories(CACHE.getParent());
        Path work = Files.createTempDirectory(CACHE.getParent(), "debootstrap-");
        Path rootfs = work.resolve("rootfs");
        Tools.ok(work, "debootstrap", "--variant=minbase", "bookworm", rootfs.toString(), "http://deb.debian.org/debian");
        Tools.ok(work, "sh", "-c", "rm -rf " + rootfs + "/var/cache/apt/archives/*.deb " + rootfs + "/var/lib/apt/lists/*");
        Path layout = work.resolve("layout");
        Tools.ok(work, "umoci", "init", "--layout", layout.toString());
        Tools.ok(work, "umoci", "new", "--image", layout + ":" + TAG);
        Path bundle = work.resolve("bundle");
        Tools.ok(work, "umoci", "unpack", "--image", layout + ":" + TAG, bundle.toString());
        Tools.ok(work, "rm", "-rf", bundle.resolve("rootfs").toString());
        Tools.ok(work, "mv", rootfs.toString(), bundle.resolve("rootfs").toString());
        Tools.ok(work, "umoci", "repack", "--image", layout + ":" + TAG, bundle.toString());
        Tools.ok(work, "umoci", "config", "--image", layout + ":" + TAG, "--config.cmd", "/bin/bash",
                "--config.env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        Tools.ok(work, "umoci", "gc", "--layout", layout.toString());
        Tools.ok(work, "chmod", "-R", "a+rX", layout.toString());
        Files.move(layout, CACHE);
        Tools.ok(CACHE.getParent(), "rm", "-rf", work.toString());
        return CACHE;
    }
}
