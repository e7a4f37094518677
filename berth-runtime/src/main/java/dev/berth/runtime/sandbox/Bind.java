package dev.berth.runtime.sandbox;

import dev.berth.oci.BerthException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A host path made visible inside the container: {@code SRC[:DST[:ro|rw]]}. */
public record Bind(Path source, Path destination, boolean readOnly) {
    public static Bind parse(String text) {
        return parse(text, "--bind");
    }

    /** @param origin where the text comes from, for the error ("--bind", a site file's setting) */
    public static Bind parse(String text, String origin) {
        String[] parts = text.split(":", -1);
        if (parts.length > 3 || parts[0].isEmpty()) {
            throw invalid(origin, text, "expected SRC[:DST[:ro|rw]]");
        }
        Path source = Path.of(parts[0]);
        Path destination = parts.length > 1 && !parts[1].isEmpty() ? Path.of(parts[1]) : source;
        boolean readOnly = false;
        if (parts.length == 3) {
            readOnly = switch (parts[2]) {
                case "ro" -> true;
                case "rw" -> false;
                default -> throw invalid(origin, text, "the mode must be ro or rw, not \"" + parts[2] + "\"");
            };
        }
        if (!destination.isAbsolute()) {
            if (parts.length > 1 && !parts[1].isEmpty()) {
                throw invalid(origin, text, "the destination must be an absolute path");
            }
            destination = source.toAbsolutePath();
        }
        return new Bind(source, destination.normalize(), readOnly);
    }

    /** The same bind with the source resolved on the host; a missing source is an error before anything runs. */
    public Bind resolved() {
        try {
            return new Bind(source.toRealPath(), destination, readOnly);
        } catch (IOException e) {
            throw new BerthException("BIND_SOURCE_MISSING", "cannot bind " + source + " into the container: "
                    + (Files.exists(source) ? "it cannot be read" : "no such file or directory on this host"));
        }
    }

    private static BerthException invalid(String origin, String text, String why) {
        return new BerthException("BIND_INVALID", "invalid " + origin + " \"" + text + "\": " + why);
    }
}
