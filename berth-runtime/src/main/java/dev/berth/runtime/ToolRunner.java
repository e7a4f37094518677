package dev.berth.runtime;

import dev.berth.oci.BerthException;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a host program to completion and turns a failure into one line that quotes its error output. */
public final class ToolRunner {
    private static final int MAX_ERROR_BYTES = 16 * 1024;

    private ToolRunner() {
    }

    public static void run(List<String> command, String what) throws IOException {
        Process process = HostProcess.builder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String errors = lastErrorLine(process.getErrorStream());
        int code = waitFor(process);
        if (code != 0) {
            throw failure(command.getFirst(), code, errors, what);
        }
    }

    /** The last non-empty line a tool wrote to stderr; the rest is drained so the tool never blocks. */
    public static String lastErrorLine(InputStream stderr) throws IOException {
        byte[] bytes = stderr.readNBytes(MAX_ERROR_BYTES);
        stderr.transferTo(OutputStream.nullOutputStream());
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        int newline = text.lastIndexOf('\n');
        return newline < 0 ? text : text.substring(newline + 1);
    }

    public static int waitFor(Process process) throws IOException {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + process.info().command().orElse("a tool"));
        }
    }

    public static BerthException failure(String program, int code, String errors, String what) {
        String name = program.substring(program.lastIndexOf('/') + 1);
        return new BerthException("TOOL_FAILED", what + ": " + name + " exited with " + code
                + (errors.isEmpty() ? "" : " (" + errors + ")"));
    }
}
