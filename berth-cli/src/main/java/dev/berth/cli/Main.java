package dev.berth.cli;

import dev.berth.oci.BerthException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Entry point: parses the command line, runs the command, turns errors into one line and an exit code. */
public final class Main {
    /** Exit code for errors berth reports (usage errors are 2, run/exec pass the container's code). */
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        BerthCommand root = new BerthCommand();
        CommandLine commandLine = new CommandLine(root);
        Subcommands.register(commandLine, args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            cl.getErr().println("berth: " + describe(e));
            if (root.debug()) {
                e.printStackTrace(cl.getErr());
            }
            cl.getErr().flush();
            return EXIT_ERROR;
        });
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            PrintWriter stderr = e.getCommandLine().getErr();
            stderr.println("berth: " + e.getMessage());
            stderr.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            stderr.flush();
            return EXIT_USAGE;
        });
        int code = commandLine.execute(args);
        out.flush();
        return code;
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
