package dev.berth.distribution.copy;

import dev.berth.oci.BerthException;
import dev.berth.oci.Reference;

import java.nio.file.Path;

/**
 * Where an image is, in the transport syntax skopeo made familiar:
 * {@code docker://REF} (a registry), {@code oci:DIR[:TAG]}, {@code docker-archive:FILE[:REF]},
 * and {@code berth:REF} (the local store).
 */
public sealed interface ImageLocation {

    /** An image in a registry. */
    record Registry(Reference reference) implements ImageLocation {
        @Override
        public String toString() {
            return "docker://" + reference;
        }
    }

    /** An OCI image layout directory; {@code tag} (the ref.name annotation) may be null. */
    record OciDirectory(Path dir, String tag) implements ImageLocation {
        @Override
        public String toString() {
            return "oci:" + dir + (tag == null ? "" : ":" + tag);
        }
    }

    /** A {@code docker save} tar; {@code name} may be null; the file {@code -} is standard output. */
    record DockerArchiveFile(Path file, Reference name) implements ImageLocation {
        public static final String STANDARD_OUTPUT = "-";

        public boolean toStandardOutput() {
            return file.toString().equals(STANDARD_OUTPUT);
        }

        @Override
        public String toString() {
            return "docker-archive:" + file + (name == null ? "" : ":" + name);
        }
    }

    /** The local store; {@code reference} is a name or digest as {@code berth images} shows, empty for "the same name". */
    record Store(String reference) implements ImageLocation {
        @Override
        public String toString() {
            return "berth:" + reference;
        }
    }

    static ImageLocation parse(String text) {
        int colon = text.indexOf(':');
        String transport = colon < 0 ? "" : text.substring(0, colon);
        String rest = colon < 0 ? text : text.substring(colon + 1);
        return switch (transport) {
            case "docker" -> {
                if (!rest.startsWith("//")) {
                    throw usage(text, "write docker://REF, e.g. docker://docker.io/library/busybox:latest");
                }
                yield new Registry(Reference.parse(rest.substring(2)));
            }
            case "oci" -> {
                // DIR[:TAG]: a tag holds no '/', so a colon followed by a path belongs to DIR.
                int tagColon = rest.lastIndexOf(':');
                boolean hasTag = tagColon > 0 && rest.indexOf('/', tagColon) < 0;
                String dir = hasTag ? rest.substring(0, tagColon) : rest;
                requireNonEmpty(text, dir, "directory");
                yield new OciDirectory(Path.of(dir), hasTag ? rest.substring(tagColon + 1) : null);
            }
            case "docker-archive" -> {
                int nameColon = rest.indexOf(':');
                String file = nameColon < 0 ? rest : rest.substring(0, nameColon);
                requireNonEmpty(text, file, "file");
                yield new DockerArchiveFile(Path.of(file),
                        nameColon < 0 ? null : Reference.parse(rest.substring(nameColon + 1)));
            }
            case "berth" -> new Store(rest);
            default -> throw usage(text, "name a transport: docker://REF, oci:DIR[:TAG], docker-archive:FILE[:REF] or berth:REF");
        };
    }

    private static void requireNonEmpty(String text, String part, String what) {
        if (part.isEmpty()) {
            throw usage(text, "it names no " + what);
        }
    }

    private static BerthException usage(String text, String hint) {
        return new BerthException("LOCATION_INVALID", "invalid image location \"" + text + "\": " + hint);
    }
}
