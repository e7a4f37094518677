package dev.berth.build.dockerfile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * RUN, CMD, ENTRYPOINT and SHELL arguments: the exec form (a JSON array of strings, run as
 * given) or the shell form (a string, run by the SHELL, {@code /bin/sh -c} unless changed).
 */
public final class CommandForm {
    private CommandForm() {
    }

    /** The JSON array the arguments are, or empty when they are the shell form. */
    public static Optional<List<String>> execForm(String arguments) {
        String trimmed = arguments.strip();
        if (!trimmed.startsWith("[")) {
            return Optional.empty();
        }
        try {
            JsonNode array = Json.mapper().readTree(trimmed);
            if (array == null || !array.isArray()) {
                return Optional.empty();
            }
            List<String> words = new ArrayList<>();
            for (JsonNode word : array) {
                if (!word.isTextual()) {
                    return Optional.empty();
                }
                words.add(word.asText());
            }
            return Optional.of(List.copyOf(words));
        } catch (IOException notJson) {
            // Docker runs a string that merely starts with [ through the shell
            return Optional.empty();
        }
    }

    /** The command the arguments stand for: the exec form as given, or the shell form through {@code shell}. */
    public static List<String> command(String arguments, List<String> shell) {
        return execForm(arguments).orElseGet(() -> {
            List<String> command = new ArrayList<>(shell);
            command.add(arguments);
            return List.copyOf(command);
        });
    }
}
