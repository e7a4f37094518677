package dev.berth.runtime.integrity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What lstat says about a file that any change to it would alter: device, inode, size, mode and
 * the modification and change times. A process can set the modification time back, but not the
 * change time, which the kernel sets on every write, chmod, rename or link.
 */
public record Fingerprint(String text) {
    private static final String ATTRIBUTES = "unix:dev,ino,size,mode,lastModifiedTime,ctime";

    public static Fingerprint of(Path path) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        return new Fingerprint(attributes.get("dev") + ":" + attributes.get("ino") + ":" + attributes.get("size") + ":"
                + Integer.toOctalString((Integer) attributes.get("mode")) + ":"
                + ((FileTime) attributes.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS) + ":"
                + ((FileTime) attributes.get("ctime")).to(TimeUnit.NANOSECONDS));
    }
}
