package dev.berth.build.dockerfile;

import dev.berth.oci.BerthException;

/** A recipe berth cannot read, named by file and line. */
public final class DockerfileSyntaxException extends BerthException {
    public DockerfileSyntaxException(String file, int line, String message) {
        super("DOCKERFILE_INVALID", file + ":" + line + ": " + message);
    }
}
