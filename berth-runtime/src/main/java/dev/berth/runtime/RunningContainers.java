package dev.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The caller's running containers, for {@code berth ps}: each run writes what it runs into its
 * run directory ({@code container.json}), and a run counts as running while the process that
 * the directory is named after lives.
 */
public final class RunningContainers {
    static final String RECORD = "container.json";

    /** One running container: the run's id (its directory's name), berth's process, the image and command. */
    public record Running(String id, long pid, String image, List<String> command, Instant started) {
    }

    private RunningContainers() {
    }

    /** Records what {@code run} runs, once the command is known. */
    static void describe(RunDirectory run, String image, List<String> command) throws IOException {
        // no start time inside: a run started from a launch plan copies this record, and its own time is the file's
        byte[] record = Json.write(Map.of("image", image, "command", command));
        run.writeFile(RECORD, new String(record, StandardCharsets.UTF_8));
    }

    /** The runs under {@code base} whose process lives, oldest first. */
    public static List<Running> list(Path base) throws IOException {
        List<Running> running = new ArrayList<>();
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(base)) {
            for (Path run : runs) {
                read(run).ifPresent(running::add);
            }
        } catch (NoSuchFileException none) {
            return List.of();
        }
        running.sort(Comparator.comparing(Running::started));
        return running;
    }

    private static Optional<Running> read(Path run) {
        String name = run.getFileName().toString();
        OptionalLong pid = RunDirectory.pidOf(name);
        if (pid.isEmpty() || !RunDirectory.processLives(pid.getAsLong())) {
            return Optional.empty();
        }
        try {
            Path file = run.resolve(RECORD);
            JsonNode record = Json.tree(Files.readAllBytes(file), file.toString());
            List<String> command = new ArrayList<>();
            record.path("command").forEach(word -> command.add(word.asText()));
            return Optional.of(new Running(name.substring(name.indexOf('-') + 1), pid.getAsLong(), record.path("image").asText(),
                    List.copyOf(command), Files.getLastModifiedTime(file).toInstant()));
        } catch (IOException | RuntimeException notYetDescribed) {
            return Optional.empty();
        }
    }
}
