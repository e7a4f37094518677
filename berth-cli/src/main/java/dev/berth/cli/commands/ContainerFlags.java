package dev.berth.cli.commands;

import dev.berth.oci.BerthException;
import dev.berth.runtime.sandbox.Bind;
import dev.berth.runtime.sandbox.ContainerOptions.RootMode;
import dev.berth.runtime.sandbox.ContainerOptions;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options run, exec and shell share: how the container sees the host. */
final class ContainerFlags {
    @Option(names = {"-B", "--bind"}, paramLabel = "SRC[:DST[:ro]]",
            description = "Make a host path visible inside (repeatable); ro makes it read-only.")
    private List<String> binds = new ArrayList<>();

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Set a variable inside (repeatable; wins over --env-file and the image).")
    private List<String> environment = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "FILE", description = "Read KEY=VALUE lines from FILE (repeatable; # starts a comment).")
    private List<Path> environmentFiles = new ArrayList<>();

    @Option(names = "--cleanenv", description = "Start from an empty environment, keeping only TERM, HOME, USER, LANG and the like.")
    private boolean cleanEnvironment;

    @Option(names = "--no-home", description = "Do not bind your home directory (an empty one is shown in its place).")
    private boolean noHome;

    @Option(names = {"-c", "--contain"}, description = "Bind nothing but the --bind paths: no home, working directory or host /tmp; a private /dev.")
    private boolean contain;

    @Option(names = "--pwd", paramLabel = "DIR", description = "Working directory inside (default: yours when it is visible, else the image's).")
    private Path workingDirectory;

    @Option(names = "--writable-tmpfs", description = "Let the container write anywhere in its image; the writes are kept in memory and vanish at exit.")
    private boolean writableTmpfs;

    @Option(names = "--fakeroot", description = "Appear as root (uid 0) inside; grants no privilege on the host.")
    private boolean fakeroot;

    @Option(names = "--net", paramLabel = "host|none", defaultValue = "host", description = "Network: the host's (default) or none.")
    private String network;

    @Option(names = "--pid", description = "Give the container its own PID namespace.")
    private boolean ownPids;

    @Option(names = "--sandbox", description = "Run from a directory extracted once from the image into your cache (the default).")
    private boolean sandbox;

    @Option(names = "--fuse", description = "Mount the image file with squashfuse_ll for this run instead of extracting it.")
    private boolean fuse;

    @Option(names = "--shared-cache", paramLabel = "DIR",
            description = "A read-only cache of converted images to use before your own (default: $BERTH_SHARED_CACHE).")
    Path sharedCache;

    ContainerOptions toOptions() throws IOException {
        if (fuse && sandbox) {
            throw new BerthException("USAGE", "--fuse and --sandbox exclude each other");
        }
        if (!network.equals("host") && !network.equals("none")) {
            throw new BerthException("USAGE", "--net must be host or none, not \"" + network + "\"");
        }
        if (workingDirectory != null && !workingDirectory.isAbsolute()) {
            throw new BerthException("USAGE", "--pwd must be an absolute path inside the container, not \"" + workingDirectory + "\"");
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (Path file : environmentFiles) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new BerthException("NOT_FOUND", "--env-file " + file + ": no such file");
            }
            for (String line : lines) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    put(variables, trimmed, "--env-file " + file);
                }
            }
        }
        for (String assignment : environment) {
            put(variables, assignment, "--env");
        }
        return new ContainerOptions(binds.stream().map(Bind::parse).toList(), variables, cleanEnvironment, noHome, contain,
                workingDirectory, writableTmpfs, fakeroot, network.equals("host"), ownPids,
                fuse ? RootMode.FUSE : sandbox ? RootMode.DIRECTORY : RootMode.AUTO);
    }

    private static void put(Map<String, String> variables, String assignment, String from) {
        int equals = assignment.indexOf('=');
        if (equals <= 0) {
            throw new BerthException("USAGE", from + ": \"" + assignment + "\" is not KEY=VALUE");
        }
        variables.put(assignment.substring(0, equals), assignment.substring(equals + 1));
    }
}
