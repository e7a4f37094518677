package dev.berth.trust.policy;

import dev.berth.oci.BerthException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code berth run}, {@code exec} and {@code shell} may start, as one policy file says it
 * (modelled on containers-policy.json): a rule per scope — a registry, or a registry and a
 * repository path prefix — where the most specific scope that matches an image wins, a default
 * rule for images no scope matches, and a rule for image files named by path.
 */
public final class ExecutionPolicy {
    /** What a scope asks of an image before it runs. */
    public enum Rule {
        /** Runs. */
        ACCEPT,
        /** Never runs. */
        REJECT,
        /** Runs when a valid cosign signature by one of the scope's keys covers its digest. */
        SIGNED_BY,
        /** Runs when its berth registry's trusted project vouches for it: a signature by one of the project's staff keys. */
        TRUSTED;

        static Rule parse(String text, String where) {
            return switch (text) {
                case "accept" -> ACCEPT;
                case "reject" -> REJECT;
                case "signed-by" -> SIGNED_BY;
                case "trusted" -> TRUSTED;
                default -> throw new BerthException("POLICY_INVALID", where + ": rule \"" + text
                        + "\" is not one of accept, reject, signed-by, trusted");
            };
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One scope's rule; {@code match} is empty for the default. {@code source} names the file,
     * for the line a refused run prints.
     */
    public record Scope(String match, Rule rule, List<Path> keys, String source) {
        public Scope {
            keys = List.copyOf(keys);
        }

        /** How a refusal names it: {@code rule "signed-by" of scope "registry.example.org/lab" (/etc/berth/policy.toml)}. */
        public String describe() {
            return "rule \"" + rule.label() + "\" of " + (match.isEmpty() ? "the default" : "scope \"" + match + "\"")
                    + " (" + source + ")";
        }
    }

    /** No policy file: everything runs, as before policies existed. */
    public static final ExecutionPolicy ACCEPT_ALL = new ExecutionPolicy(new Scope("", Rule.ACCEPT, List.of(), "no policy"),
            new Scope("files", Rule.ACCEPT, List.of(), "no policy"), List.of());

    private static final Set<String> TOP_LEVEL_KEYS = Set.of("default");
    private static final Set<String> SCOPE_KEYS = Set.of("rule", "keys");

    private final Scope defaultScope;
    private final Scope files;
    private final List<Scope> scopes;

    private ExecutionPolicy(Scope defaultScope, Scope files, List<Scope> scopes) {
        this.defaultScope = defaultScope;
        this.files = files;
        this.scopes = scopes.stream().sorted(Comparator.comparingInt((Scope s) -> s.match().length()).reversed()).toList();
    }

    /**
     * The policy from a parsed file: tables by dotted path ({@code ""} the top level, {@code files},
     * {@code scope.MATCH}). Unknown tables and keys, rules without keys where they need them, and
     * relative key paths are errors naming the file.
     */
    public static ExecutionPolicy fromTables(Map<String, Map<String, Object>> tables, String source) {
        Scope defaultScope = new Scope("", Rule.ACCEPT, List.of(), source);
        Scope files = new Scope("files", Rule.ACCEPT, List.of(), source);
        List<Scope> scopes = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> table : tables.entrySet()) {
            String name = table.getKey();
            Map<String, Object> values = table.getValue();
            if (name.isEmpty()) {
                requireKnown(values, TOP_LEVEL_KEYS, source, "the top level");
                if (values.containsKey("default")) {
                    Rule rule = Rule.parse(text(values.get("default"), source + ": default"), source + ": default");
                    if (rule != Rule.ACCEPT && rule != Rule.REJECT) {
                        throw new BerthException("POLICY_INVALID", source + ": default must be accept or reject; give"
                                + " signed-by and trusted rules a [scope.\"REGISTRY\"] table");
                    }
                    defaultScope = new Scope("", rule, List.of(), source);
                }
            } else if (name.equals("files")) {
                files = scope("files", values, source);
                if (files.rule() == Rule.TRUSTED) {
                    throw new BerthException("POLICY_INVALID", source + ": [files] rule must be accept, reject or signed-by:"
                            + " an image file named by path belongs to no registry project that could vouch for it");
                }
            } else if (name.startsWith("scope.") && name.length() > 6) {
                scopes.add(scope(name.substring(6), values, source));
            } else {
                throw new BerthException("POLICY_INVALID", source + ": unknown table [" + name + "]; a policy has a top-level"
                        + " default, [files] and [scope.\"REGISTRY[/REPOSITORY]\"] tables");
            }
        }
        return new ExecutionPolicy(defaultScope, files, scopes);
    }

    private static Scope scope(String match, Map<String, Object> values, String source) {
        String where = source + ": [" + (match.equals("files") ? "files" : "scope.\"" + match + "\"") + "]";
        requireKnown(values, SCOPE_KEYS, source, where);
        if (!values.containsKey("rule")) {
            throw new BerthException("POLICY_INVALID", where + " has no rule");
        }
        Rule rule = Rule.parse(text(values.get("rule"), where), where);
        List<Path> keys = new ArrayList<>();
        if (values.get("keys") instanceof List<?> list) {
            for (Object key : list) {
                Path path = Path.of(text(key, where + " keys"));
                if (!path.isAbsolute()) {
                    throw new BerthException("POLICY_INVALID", where + ": key " + path + " must be an absolute path");
                }
                keys.add(path);
            }
        } else if (values.containsKey("keys")) {
            throw new BerthException("POLICY_INVALID", where + ": keys must be a list of public key files");
        }
        if (rule == Rule.SIGNED_BY && keys.isEmpty()) {
            throw new BerthException("POLICY_INVALID", where + ": rule signed-by needs keys = [\"/path/to/key.pub\", ...]");
        }
        if (rule != Rule.SIGNED_BY && !keys.isEmpty()) {
            throw new BerthException("POLICY_INVALID", where + ": keys are for rule signed-by only");
        }
        return new Scope(match, rule, keys, source);
    }

    private static void requireKnown(Map<String, Object> values, Set<String> known, String source, String where) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new BerthException("POLICY_INVALID", source + ": unknown key \"" + key + "\" in " + where);
            }
        }
    }

    private static String text(Object value, String where) {
        if (value instanceof String text) {
            return text;
        }
        throw new BerthException("POLICY_INVALID", where + " must be a string");
    }

    /** The rule for an image of {@code registry/repository}: the longest matching scope, else the default. */
    public Scope forImage(String registry, String repository) {
        String name = registry + "/" + repository;
        Optional<Scope> scope = scopes.stream()
                .filter(s -> name.equals(s.match()) || name.startsWith(s.match() + "/"))
                .findFirst();
        return scope.orElse(defaultScope);
    }

    /** The rule for an image file named by its path. */
    public Scope forFiles() {
        return files;
    }
}
