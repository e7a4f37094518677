package dev.berth.build;

import dev.berth.build.tree.TreePaths;
import dev.berth.oci.BerthException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** USER and --chown values ({@code name|uid[:group|gid]}) as numbers, from the image's own /etc/passwd and /etc/group. */
final class ImageUsers {
    record Ids(long uid, long gid) {
    }

    private ImageUsers() {
    }

    static Ids resolve(Path tree, String spec, String where) throws IOException {
        if (spec.isEmpty()) {
            return new Ids(0, 0);
        }
        int colon = spec.indexOf(':');
        String user = colon < 0 ? spec : spec.substring(0, colon);
        String group = colon < 0 ? null : spec.substring(colon + 1);
        long uid;
        long gid;
        if (isNumber(user)) {
            uid = Long.parseLong(user);
            gid = lookup(tree, "/etc/passwd", 2, user).map(fields -> Long.parseLong(fields[3])).orElse(uid);
        } else {
            String[] entry = lookup(tree, "/etc/passwd", 0, user).orElseThrow(() -> new BerthException("BUILD_USER_UNKNOWN",
                    where + ": the image has no user " + user + " in /etc/passwd"));
            uid = Long.parseLong(entry[2]);
            gid = Long.parseLong(entry[3]);
        }
        if (group != null) {
            if (isNumber(group)) {
                gid = Long.parseLong(group);
            } else {
                gid = lookup(tree, "/etc/group", 0, group).map(fields -> Long.parseLong(fields[2])).orElseThrow(() ->
                        new BerthException("BUILD_USER_UNKNOWN", where + ": the image has no group " + group + " in /etc/group"));
            }
        }
        return new Ids(uid, gid);
    }

    /** The fields of the line of {@code file} whose field {@code field} is {@code value}. */
    private static Optional<String[]> lookup(Path tree, String file, int field, String value) throws IOException {
        Path path = TreePaths.resolveFollowing(tree, file);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(path);
        return lines.stream().map(line -> line.split(":", -1)).filter(fields -> fields.length > 3 && fields[field].equals(value))
                .filter(fields -> isNumber(fields[2]) && (file.endsWith("group") || isNumber(fields[3]))).findFirst();
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.length() < 10 && text.chars().allMatch(Character::isDigit);
    }
}
