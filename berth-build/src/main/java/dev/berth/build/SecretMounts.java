package dev.berth.build;

import dev.berth.build.dockerfile.DockerfileSyntaxException;
import dev.berth.build.dockerfile.Instruction;
import dev.berth.oci.BerthException;
import dev.berth.runtime.sandbox.BuildStepSandbox;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code RUN --mount=type=secret} and {@code type=ssh} as BuildKit reads them. A secret is a
 * read-only copy of what {@code --secret} gave, at /run/secrets/ID (or {@code target}), mode
 * 0400 (or {@code mode}), or with {@code env=VAR} that variable instead; an agent is the socket
 * {@code --ssh} gave, at /run/buildkit/ssh_agent.N, and SSH_AUTH_SOCK names it. The step's user
 * is the only one of its namespace, so the copy belongs to that user whatever {@code uid} and
 * {@code gid} say; they are checked and otherwise accepted for BuildKit's recipes, as {@code mode}
 * is for an agent, whose socket is the caller's own. One the build was not given is left out,
 * unless the mount is {@code required}: then the step fails before it runs, naming the flag to give.
 */
final class SecretMounts {
    private static final String SECRETS = "/run/secrets/";
    private static final String AGENTS = "/run/buildkit/ssh_agent.";
    private static final List<String> TARGETS = List.of("target", "dst", "destination");
    private static final Set<String> SSH_OPTIONS = Set.of("type", "id", "target", "dst", "destination", "required", "mode", "uid", "gid");
    private static final Set<String> SECRET_OPTIONS = Set.of("type", "id", "target", "dst", "destination", "required", "mode", "uid",
            "gid", "env");

    private SecretMounts() {
    }

    static boolean handles(String type) {
        return type.equals("secret") || type.equals("ssh");
    }

    /**
     * The options checked, with BuildKit's defaults filled in: a secret's id is its target's
     * file name, its target /run/secrets/ID unless it is only a variable; an agent's id is
     * {@code default}, its target numbered by {@code agentIndex}, the step's ssh mounts counted from 0.
     */
    static Map<String, String> withDefaults(String type, Map<String, String> given, int agentIndex, Instruction step, String file) {
        Map<String, String> options = new LinkedHashMap<>(given);
        boolean secret = type.equals("secret");
        Set<String> known = secret ? SECRET_OPTIONS : SSH_OPTIONS;
        for (String option : options.keySet()) {
            if (!known.contains(option)) {
                throw bad(step, file, type, "does not take " + option + " (it takes " + String.join(", ",
                        known.stream().filter(name -> !name.equals("type")).sorted().toList()) + ")");
            }
        }
        Optional<String> target = TARGETS.stream().map(options::get).filter(value -> value != null).findFirst();
        String id = options.getOrDefault("id", secret ? target.map(path -> Path.of(path).getFileName().toString()).orElse("") : "default");
        if (id.isEmpty()) {
            throw bad(step, file, type, "needs id=NAME, the id the build's --" + (secret ? "secret" : "ssh") + " gives it");
        }
        options.put("id", id);
        if (target.isEmpty() && !(secret && options.containsKey("env"))) {
            options.put("target", secret ? SECRETS + id : AGENTS + agentIndex);
        }
        check(options, "required", "true|false", "|true|false", step, file, type);
        check(options, "mode", "an octal mode such as 0400", "[0-7]{1,4}", step, file, type);
        check(options, "uid", "a number", "[0-9]+", step, file, type);
        check(options, "gid", "a number", "[0-9]+", step, file, type);
        if (options.containsKey("env") && !options.get("env").matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw bad(step, file, type, "env= takes a variable name, not " + options.get("env"));
        }
        return options;
    }

    /** The secret the spec names, as a file, a variable or both; nothing when the build has none and it is not required. */
    static void secret(RunMounts.Spec spec, BuildSecrets secrets, Path scratch, StepMounts into, String where) throws IOException {
        String id = spec.options().get("id");
        Optional<byte[]> content = secrets.secret(id);
        if (content.isEmpty()) {
            requireNot(spec, where, "no secret " + id + "; give it with --secret id=" + id + ",src=FILE (or env=VARIABLE)");
            return;
        }
        String variable = spec.options().get("env");
        if (variable != null) {
            into.set(variable, text(content.get(), id, where));
        }
        if (spec.target() != null) {
            Path copy = Files.createTempFile(scratch, "secret-", "", PosixFilePermissions.asFileAttribute(
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            into.releaseAfter(() -> Files.deleteIfExists(copy));
            Files.write(copy, content.get());
            Files.setPosixFilePermissions(copy, permissions(Integer.parseInt(spec.options().getOrDefault("mode", "0400"), 8)));
            into.mount(new BuildStepSandbox.Mount(copy, RunMounts.absoluteTarget(spec), false));
        }
    }

    /** The SSH agent socket the spec names, and SSH_AUTH_SOCK for it; nothing when the build has none and it is not required. */
    static void agent(RunMounts.Spec spec, BuildSecrets secrets, StepMounts into, String where) {
        String id = spec.options().get("id");
        Optional<Path> socket = secrets.agent(id);
        if (socket.isEmpty()) {
            requireNot(spec, where, "no SSH agent " + id + "; give it with --ssh " + (id.equals("default") ? "default" : id + "=SOCKET"));
            return;
        }
        into.mount(new BuildStepSandbox.Mount(socket.get(), RunMounts.absoluteTarget(spec), false));
        into.set("SSH_AUTH_SOCK", RunMounts.absoluteTarget(spec));
    }

    private static void requireNot(RunMounts.Spec spec, String where, String missing) {
        String required = spec.options().getOrDefault("required", "false");
        if (required.isEmpty() || required.equals("true")) {
            throw new BerthException("BUILD_SECRET_MISSING", where + ": RUN --mount=type=" + spec.type() + ",id="
                    + spec.options().get("id") + " is required, but the build was given " + missing);
        }
    }

    /** A secret as a variable's value: text, and no NUL, which no environment can hold. */
    private static String text(byte[] content, String id, String where) {
        try {
            String value = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
            if (value.indexOf('\0') < 0) {
                return value;
            }
        } catch (CharacterCodingException notText) {
            // refused below, as a NUL is
        }
        throw new BerthException("BUILD_SECRET_NOT_TEXT", where + ": the secret " + id
                + " is not UTF-8 text without NUL bytes, so it cannot be a variable; mount it as a file (leave out env=)");
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values();
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (0400 >> bit)) != 0) {
                permissions.add(bits[bit]);
            }
        }
        return permissions;
    }

    private static void check(Map<String, String> options, String option, String expected, String pattern,
                              Instruction step, String file, String type) {
        String value = options.get(option);
        if (value != null && !value.matches(pattern)) {
            throw bad(step, file, type, option + "= takes " + expected + ", not " + (value.isEmpty() ? "nothing" : value));
        }
    }

    private static DockerfileSyntaxException bad(Instruction step, String file, String type, String problem) {
        return new DockerfileSyntaxException(file, step.line(), "RUN --mount=type=" + type + " " + problem);
    }
}
