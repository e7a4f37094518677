package dev.berth.runtime.instance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.BerthException;
import dev.berth.oci.Json;
import dev.berth.oci.PrivateDirectory;
import dev.berth.runtime.RunDirectory;
import dev.berth.runtime.sandbox.Caller;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The caller's instances: containers started in the background under a name (a notebook server,
 * a database) that keep running after the shell that started them ends. Each is a berth process
 * of its own, in its own session, running the container as {@code berth run} would; its record
 * ({@code NAME.json}) and output ({@code NAME.log}) live beside the run directories, in
 * {@code $XDG_RUNTIME_DIR/berth/instances} or {@code /tmp/berth-UID/instances}. An instance
 * counts as running while that process lives (the same pid, started at the recorded instant).
 */
public final class Instances {
    /** One instance: its name, image, the berth process that runs it, and when that started. */
    public record Instance(String name, String image, long pid, Instant started, Path log) {
    }

    private final Path directory;

    private Instances(Path directory) {
        this.directory = directory;
    }

    public static Instances of(Map<String, String> environment, Caller caller) {
        return new Instances(RunDirectory.base(environment, caller).resolveSibling("instances"));
    }

    /** A name as Apptainer and Docker allow them: letters, digits, and . _ - after the first. */
    public static String requireName(String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new BerthException("INSTANCE_NAME_INVALID", "\"" + name + "\" is not an instance name: use letters, digits, '.', '_'"
                    + " and '-', starting with a letter or digit");
        }
        return name;
    }

    /** Where the instance's output goes; the directory is made (private to the caller) when missing. */
    public Path log(String name, Caller caller) throws IOException {
        PrivateDirectory.create(directory.getParent(), caller.uid());
        PrivateDirectory.create(directory, caller.uid());
        return directory.resolve(requireName(name) + ".log");
    }

    public void record(Instance instance) throws IOException {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("name", instance.name());
        record.put("image", instance.image());
        record.put("pid", instance.pid());
        record.put("started", instance.started().toString());
        Path file = directory.resolve(instance.name() + ".json");
        Path temporary = directory.resolve("." + instance.name() + ".json.tmp");
        Files.write(temporary, Json.write(record));
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The running instance of that name; a record whose process is gone is removed. */
    public Optional<Instance> find(String name) throws IOException {
        Path file = directory.resolve(requireName(name) + ".json");
        Optional<Instance> instance = read(file);
        if (instance.isEmpty() && Files.exists(file)) {
            Files.deleteIfExists(file);
        }
        return instance;
    }

    /** The running instances, oldest first; records of ended ones are removed. */
    public List<Instance> list() throws IOException {
        List<Instance> running = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
            for (Path file : files) {
                read(file).ifPresentOrElse(running::add, () -> {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // listed again next time
                    }
                });
            }
        } catch (NoSuchFileException none) {
            return List.of();
        }
        running.sort(Comparator.comparing(Instance::started));
        return running;
    }

    public void forget(String name) throws IOException {
        Files.deleteIfExists(directory.resolve(requireName(name) + ".json"));
    }

    private Optional<Instance> read(Path file) {
        try {
            JsonNode record = Json.tree(Files.readAllBytes(file), file.toString());
            String name = record.path("name").asText();
            long pid = record.path("pid").asLong();
            Instant started = Instant.parse(record.path("started").asText());
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            // a pid the system gave to another process since is not the instance's
            boolean same = process.flatMap(handle -> handle.info().startInstant())
                    .map(start -> Math.abs(start.getEpochSecond() - started.getEpochSecond()) <= 1).orElse(false);
            return same ? Optional.of(new Instance(name, record.path("image").asText(), pid, started,
                    directory.resolve(name + ".log"))) : Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
