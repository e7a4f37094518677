package dev.berth.cli.commands;

import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.oci.BerthException;
import dev.berth.runtime.sandbox.Bind;
import dev.berth.runtime.sandbox.ContainerOptions.RootMode;
import dev.berth.runtime.sandbox.ContainerOptions;

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
    private final List<String> binds = new ArrayList<>();
    private final List<String> environment = new ArrayList<>();
    private final List<Path> environmentFiles = new ArrayList<>();
    private boolean cleanEnvironment;
    private boolean noHome;
    private boolean contain;
    private Path workingDirectory;
    private boolean writableTmpfs;
    private boolean fakeroot;
    private String network = "host";
    private boolean ownPids;
    private boolean sandbox;
    private boolean fuse;
    Path sharedCache;

    void declare(Syntax syntax) {
        syntax.option("-B, --bind", "SRC[:DST[:ro]]", "Make a host path visible inside (repeatable); ro makes it read-only.", binds::add)
                .option("-e, --env", "KEY=VALUE", "Set a variable inside (repeatable; wins over --env-file and the image).",
                        environment::add)
                .option("--env-file", "FILE", "Read KEY=VALUE lines from FILE (repeatable; # starts a comment).",
                        value -> environmentFiles.add(Path.of(value)))
                .flag("--cleanenv", "Start from an empty environment, keeping only TERM, HOME, USER, LANG and the like.",
                        () -> cleanEnvironment = true)
                .flag("--no-home", "Do not bind your home directory (an empty one is shown in its place).", () -> noHome = true)
                .flag("-c, --contain", "Bind nothing but the --bind paths: no home, working directory or host /tmp; a private /dev.",
                        () -> contain = true)
                .option("--pwd", "DIR", "Working directory inside (default: yours when it is visible, else the image's).",
                        value -> workingDirectory = Path.of(value))
                .flag("--writable-tmpfs", "Let the container write anywhere in its image; the writes are kept in memory and vanish at exit.",
                        () -> writableTmpfs = true)
                .flag("--fakeroot", "Appear as root (uid 0) inside; grants no privilege on the host.", () -> fakeroot = true)
                .option("--net", "host|none", "Network: the host's (default) or none.", value -> network = value)
                .flag("--pid", "Give the container its own PID namespace.", () -> ownPids = true)
                .flag("--sandbox", "Run from a directory extracted once from the image into your cache (the default).",
                        () -> sandbox = true)
                .flag("--fuse", "Mount the image file with squashfuse_ll for this run instead of extracting it.", () -> fuse = true)
                .option("--shared-cache", "DIR",
                        "A read-only cache of converted images to use before your own (default: $BERTH_SHARED_CACHE).",
                        value -> sharedCache = Path.of(value));
    }

    ContainerOptions toOptions() throws IOException {
        if (fuse && sandbox) {
            throw new UsageException("--fuse and --sandbox exclude each other");
        }
        if (!network.equals("host") && !network.equals("none")) {
            throw new UsageException("--net must be host or none, not \"" + network + "\"");
        }
        if (workingDirectory != null && !workingDirectory.isAbsolute()) {
            throw new UsageException("--pwd must be an absolute path inside the container, not \"" + workingDirectory + "\"");
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
            throw new UsageException(from + ": \"" + assignment + "\" is not KEY=VALUE");
        }
        variables.put(assignment.substring(0, equals), assignment.substring(equals + 1));
    }
}
