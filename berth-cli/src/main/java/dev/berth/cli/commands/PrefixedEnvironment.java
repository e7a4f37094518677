package dev.berth.cli.commands;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Variables the host hands to the container by prefix, as Apptainer does: {@code BERTHENV_X=v}
 * sets {@code X=v} inside; {@code APPTAINERENV_X} and {@code SINGULARITYENV_X} too, so existing job
 * scripts keep working. BERTHENV_ wins over the others when both name the same variable.
 */
final class PrefixedEnvironment {
    /** Weakest first: a later prefix overrides an earlier one. */
    private static final List<String> PREFIXES = List.of("SINGULARITYENV_", "APPTAINERENV_", "BERTHENV_");

    private PrefixedEnvironment() {
    }

    static Map<String, String> variables(Map<String, String> host) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String prefix : PREFIXES) {
            host.forEach((key, value) -> {
                if (key.startsWith(prefix) && key.length() > prefix.length()) {
                    variables.put(key.substring(prefix.length()), value);
                }
            });
        }
        return variables;
    }
}
