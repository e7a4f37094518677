package dev.berth.cli;

import dev.berth.cli.args.UsageException;
import dev.berth.oci.BerthException;
import dev.berth.runtime.sandbox.CommandLookup;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/** Entry point: parses the command line, runs the command, turns errors into one line and an exit code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ProcessExit.end(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Invocation invocation = new Invocation(List.of(args), out, err);
        Dispatch dispatch = new Dispatch(invocation);
        try {
            return dispatch.run(List.of(args));
        } catch (UsageException e) {
            err.println("berth: " + e.getMessage());
            err.println("Try '" + dispatch.commandPath() + " --help' for more information.");
            return ExitCodes.USAGE;
        } catch (Exception e) {
            err.println("berth: " + describe(e));
            if (invocation.debug()) {
                e.printStackTrace(err);
            }
            return exitCodeOf(e);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int exitCodeOf(Exception e) {
        String code = e instanceof BerthException berth ? berth.code() : "";
        return switch (code) {
            case CommandLookup.NOT_FOUND -> ExitCodes.NOT_FOUND;
            case CommandLookup.NOT_EXECUTABLE -> ExitCodes.NOT_EXECUTABLE;
            default -> ExitCodes.ERROR;
        };
    }

    /** One line that says what failed, for what, without a stack trace. */
    static String describe(Throwable e) {
        Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
        if (cause instanceof BerthException berth) {
            return berth.getMessage();
        }
        if (cause instanceof AccessDeniedException denied) {
            return "permission denied: " + denied.getFile();
        }
        if (cause instanceof NoSuchFileException missing) {
            return "no such file or directory: " + missing.getFile();
        }
        if (cause instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getFile() + ": " + fs.getReason();
        }
        if (cause instanceof IOException io && io.getMessage() != null && io.getMessage().contains("No space left on device")) {
            return "no space left on device (" + io.getMessage() + ")";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
