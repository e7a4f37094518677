package dev.berth.runtime.flatten;

import dev.berth.oci.AtomicFiles;
import dev.berth.oci.ScratchDirectory;
import dev.berth.runtime.ToolRunner;
import dev.berth.runtime.Tools;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Writes a squashfs image from a tar stream with tar2sqfs, into a scratch directory beside the
 * target; the file is fsynced and renamed into place only when everything succeeded.
 */
public final class SquashfsWriter {
    /** zstd at a low level: a quarter of the default's build time for a few percent more bytes, and fast to read. */
    private static final String COMPRESSION_LEVEL = "level=3";

    /** Produces the tar stream; it must end the archive. */
    @FunctionalInterface
    public interface TarProducer {
        void writeTo(OutputStream tar) throws IOException;
    }

    /** Sees the finished file under its temporary name, before it is renamed to the target. */
    @FunctionalInterface
    public interface BeforePublish {
        void accept(Path finished) throws IOException;
    }

    private SquashfsWriter() {
    }

    /** Writes {@code target}; what killed conversions left beside it is removed first. */
    public static void write(Path target, TarProducer producer, String what, BeforePublish beforePublish) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        ScratchDirectory.removeAbandoned(directory);
        try (ScratchDirectory scratch = ScratchDirectory.create(directory, target.getFileName().toString())) {
            Path temp = scratch.path().resolve(target.getFileName());
            runTar2sqfs(temp, producer, what);
            beforePublish.accept(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        // After the cleanup, not before: a later run that finds the image cached does not sweep,
        // so nothing slow may sit between the rename and the removal of the scratch directory.
        AtomicFiles.syncDirectory(directory);
    }

    /** Runs tar2sqfs into {@code temp} and fsyncs the file. */
    private static void runTar2sqfs(Path temp, TarProducer producer, String what) throws IOException {
        List<String> command = List.of(Tools.TAR2SQFS.require(), "--quiet", "--force", "--no-skip",
                "--compressor", "zstd", "--comp-extra", COMPRESSION_LEVEL,
                "--num-jobs", Integer.toString(Runtime.getRuntime().availableProcessors()), temp.toString());
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> {
            try {
                return ToolRunner.lastErrorLine(process.getErrorStream());
            } catch (IOException e) {
                return e.getMessage();
            }
        });
        try {
            try (OutputStream tar = new BufferedOutputStream(process.getOutputStream(), 256 * 1024)) {
                producer.writeTo(tar);
            } catch (IOException e) {
                // A broken pipe means tar2sqfs stopped first; its own message says why.
                if (process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() != 0) {
                    throw ToolRunner.failure(command.getFirst(), process.exitValue(), errors.get(), what);
                }
                process.destroyForcibly();
                throw e;
            } catch (RuntimeException e) {
                process.destroyForcibly();
                throw e;
            }
            int code = ToolRunner.waitFor(process);
            if (code != 0) {
                throw ToolRunner.failure(command.getFirst(), code, errors.get(), what);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        } catch (InterruptedException | ExecutionException e) {
            process.destroyForcibly();
            throw new IOException("writing " + what + " was interrupted", e);
        } finally {
            ToolRunner.waitFor(process);
        }
    }
}
