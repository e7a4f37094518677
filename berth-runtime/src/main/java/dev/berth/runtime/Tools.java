package dev.berth.runtime;

import dev.berth.oci.BerthException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The host programs the runtime drives, found on PATH with an error that says which package provides each. */
public enum Tools {
    BWRAP("bwrap", "bubblewrap"),
    SETSID("setsid", "util-linux"),
    FLOCK("flock", "util-linux"),
    TAR2SQFS("tar2sqfs", "squashfs-tools-ng"),
    RDSQUASHFS("rdsquashfs", "squashfs-tools-ng"),
    SQUASHFUSE("squashfuse_ll", "squashfuse"),
    FUSERMOUNT("fusermount3", "fuse3"),
    FUSE_OVERLAYFS("fuse-overlayfs", "fuse-overlayfs"),
    FIND("find", "findutils"),
    NSENTER("nsenter", "util-linux");

    private final String command;
    private final String debianPackage;

    Tools(String command, String debianPackage) {
        this.command = command;
        this.debianPackage = debianPackage;
    }

    public String command() {
        return command;
    }

    public String debianPackage() {
        return debianPackage;
    }

    public Optional<Path> find() {
        String path = System.getenv("PATH");
        String search = path == null || path.isBlank() ? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin" : path;
        for (String dir : search.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The program's absolute path, or an error naming the package to install. */
    public String require() {
        return find().map(Path::toString).orElseThrow(() -> new BerthException("TOOL_MISSING",
                command + " is not installed, and berth needs it to run images (install the "
                        + debianPackage + " package, e.g. 'apt-get install " + debianPackage + "')"));
    }
}
