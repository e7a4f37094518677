package dev.berth.cli.args;

/** A command line berth cannot act on: an unknown option, a missing parameter, a malformed value. Exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
