package dev.berth.cli.commands;

import dev.berth.cli.args.UsageException;
import dev.berth.cli.output.Terminals;
import dev.berth.oci.ScratchDirectory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An archive to read as a file that can be read out of order (a tar's manifest is at its end):
 * a regular file as it is, and a pipe or standard input ({@code -}) copied once into a scratch
 * directory beside the store, removed when done.
 */
final class SeekableInput implements AutoCloseable {
    private static final Path STANDARD_INPUT = Path.of("/dev/stdin");

    private final Path path;
    private final ScratchDirectory scratch;

    private SeekableInput(Path path, ScratchDirectory scratch) {
        this.path = path;
        this.scratch = scratch;
    }

    /** @param scratchParent where a copy goes: on the store's file system, so that space errors name the right disk */
    static SeekableInput of(String argument, Path scratchParent) throws IOException {
        Path named = argument.equals("-") ? STANDARD_INPUT : Path.of(argument);
        if (Files.isDirectory(named) || Files.isRegularFile(named)) {
            return new SeekableInput(named, null);
        }
        if (named.equals(STANDARD_INPUT) && Terminals.isTerminal(Terminals.STANDARD_INPUT)) {
            throw new UsageException("refusing to read an archive from a terminal: give a file, or redirect standard input");
        }
        if (!Files.exists(named)) {
            return new SeekableInput(named, null);
        }
        Files.createDirectories(scratchParent);
        ScratchDirectory scratch = ScratchDirectory.create(scratchParent, "input");
        Path copy = scratch.path().resolve("archive.tar");
        try (InputStream in = Files.newInputStream(named)) {
            Files.copy(in, copy);
        } catch (IOException | RuntimeException e) {
            scratch.close();
            throw e;
        }
        return new SeekableInput(copy, scratch);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        if (scratch != null) {
            scratch.close();
        }
    }
}
