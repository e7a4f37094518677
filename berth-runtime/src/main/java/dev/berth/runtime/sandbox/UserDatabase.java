package dev.berth.runtime.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The /etc/passwd and /etc/group the container sees: the image's own, with the caller's user
 * and primary group added (as Apptainer does), so that {@code id}, {@code whoami} and shells
 * know who is running.
 */
public final class UserDatabase {
    private static final int MAX_SIZE = 4 * 1024 * 1024;

    private UserDatabase() {
    }

    public static String passwd(Path imageRoot, Caller caller) throws IOException {
        String image = readImageFile(imageRoot, "passwd");
        if (hasEntry(image, caller.userName(), caller.uid())) {
            return image;
        }
        return withLine(image, caller.userName() + ":x:" + caller.uid() + ":" + caller.gid() + ":" + caller.userName()
                + ":" + caller.home() + ":/bin/sh");
    }

    public static String group(Path imageRoot, Caller caller) throws IOException {
        String image = readImageFile(imageRoot, "group");
        String name = hostGroupName(caller.gid()).orElse(caller.userName());
        if (hasEntry(image, name, caller.gid())) {
            return image;
        }
        return withLine(image, name + ":x:" + caller.gid() + ":");
    }

    private static boolean hasEntry(String file, String name, long id) {
        return file.lines().map(line -> line.split(":", -1)).anyMatch(fields -> fields.length > 2
                && (fields[0].equals(name) || fields[2].equals(Long.toString(id))));
    }

    private static String withLine(String file, String line) {
        return file.isEmpty() || file.endsWith("\n") ? file + line + "\n" : file + "\n" + line + "\n";
    }

    /** The image's file, read without following any link (a link could point anywhere on the host). */
    private static String readImageFile(Path imageRoot, String name) throws IOException {
        Path etc = imageRoot.resolve("etc");
        Path file = etc.resolve(name);
        if (!Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return name.equals("passwd") ? "root:x:0:0:root:/root:/bin/sh\n" : "root:x:0:\n";
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return new String(in.readNBytes(MAX_SIZE), StandardCharsets.UTF_8);
        }
    }

    private static Optional<String> hostGroupName(long gid) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/etc/group"));
            return lines.stream().map(line -> line.split(":", -1))
                    .filter(fields -> fields.length > 2 && fields[2].equals(Long.toString(gid)))
                    .map(fields -> fields[0]).findFirst();
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }
}
