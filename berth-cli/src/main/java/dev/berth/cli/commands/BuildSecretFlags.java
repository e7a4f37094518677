package dev.berth.cli.commands;

import dev.berth.build.BuildSecrets;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.oci.BerthException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code berth build --secret} and {@code --ssh}, read as {@code docker buildx build} reads them.
 * The values are checked when given; files and variables are read when the build starts, by
 * berth, so as the calling user, and a secret berth cannot read stops the build before any step.
 */
final class BuildSecretFlags {
    private static final String AGENT_VARIABLE = "SSH_AUTH_SOCK";
    /** The file type bits of a socket in st_mode. */
    private static final int SOCKET = 0140000;
    private static final int FILE_TYPE = 0170000;

    /** Where a secret's content comes from: a file, or a variable of berth's environment. */
    private record Source(String flag, boolean variable, String name) {
    }

    private final Map<String, Source> secrets = new LinkedHashMap<>();
    private final Map<String, String> agents = new LinkedHashMap<>();

    void declare(Syntax syntax) {
        syntax.option("--secret", "id=ID[,src=FILE|,env=VAR]", "A secret RUN --mount=type=secret may show a step, never stored "
                        + "in the image: from FILE, from the variable VAR, or with id= alone from $ID if set, else the file ID "
                        + "(repeatable).", this::secret)
                .option("--ssh", "default|ID[=SOCKET]", "An SSH agent RUN --mount=type=ssh may use: default is $SSH_AUTH_SOCK "
                        + "(repeatable).", this::agent);
    }

    /** {@code [type=file|env,]id=ID[,src=PATH|source=PATH][,env=VAR]}. */
    private void secret(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : text.split(",", -1)) {
            int equals = field.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("--secret " + text + ": " + (field.isEmpty() ? "an empty field" : field)
                        + " is not KEY=VALUE; give id=ID,src=FILE or id=ID,env=VARIABLE");
            }
            String key = field.substring(0, equals);
            if (!Set.of("type", "id", "src", "source", "env").contains(key)) {
                throw new UsageException("--secret " + text + ": unknown key " + key + " (it takes type, id, src, env)");
            }
            fields.put(key.equals("source") ? "src" : key, field.substring(equals + 1));
        }
        String id = fields.getOrDefault("id", "");
        String type = fields.getOrDefault("type", "");
        if (id.isEmpty()) {
            throw new UsageException("--secret " + text + ": give the secret an id (id=ID), the one RUN --mount=type=secret,id=ID names");
        }
        if (!Set.of("", "file", "env").contains(type)) {
            throw new UsageException("--secret " + text + ": type is file or env, not " + type);
        }
        String src = fields.get("src");
        String env = fields.get("env");
        Source source;
        if (type.equals("env") || (type.isEmpty() && src == null && env != null)) {
            source = new Source(text, true, env != null ? env : src != null ? src : id);
        } else if (type.equals("file") || src != null) {
            source = new Source(text, false, src != null ? src : id);
        } else {
            // as BuildKit: a variable of that name if there is one, else a file
            source = new Source(text, System.getenv(id) != null, id);
        }
        secrets.put(id, source);
    }

    /** {@code ID[=SOCKET]}; a bare ID is the agent of $SSH_AUTH_SOCK. */
    private void agent(String text) {
        int equals = text.indexOf('=');
        String id = equals < 0 ? text : text.substring(0, equals);
        if (id.isEmpty() || id.contains(",")) {
            throw new UsageException("--ssh " + text + ": give default, ID or ID=SOCKET");
        }
        String paths = equals < 0 ? "" : text.substring(equals + 1);
        if (paths.contains(",")) {
            throw new UsageException("--ssh " + text + ": give one agent socket; berth does not start an agent for key files");
        }
        agents.put(id, paths);
    }

    /** What the flags name, read now. */
    BuildSecrets secrets() throws IOException {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (Map.Entry<String, Source> secret : secrets.entrySet()) {
            contents.put(secret.getKey(), read(secret.getValue()));
        }
        Map<String, Path> sockets = new LinkedHashMap<>();
        agents.forEach((id, path) -> sockets.put(id, socket(id, path)));
        return new BuildSecrets(contents, sockets);
    }

    private static byte[] read(Source source) throws IOException {
        if (source.variable()) {
            String value = System.getenv(source.name());
            if (value == null) {
                throw new BerthException("BUILD_SECRET_UNREADABLE", "--secret " + source.flag() + ": the variable "
                        + source.name() + " is not set");
            }
            return value.getBytes(StandardCharsets.UTF_8);
        }
        Path file = Path.of(source.name()).toAbsolutePath();
        try (InputStream in = Files.newInputStream(file)) {
            // one byte more than a secret may have, so that BuildSecrets refuses a larger one without reading all of it
            return in.readNBytes(BuildSecrets.MAX_SECRET_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw unreadable(source, "there is no file " + file);
        } catch (AccessDeniedException e) {
            throw unreadable(source, "you may not read " + file);
        } catch (IOException e) {
            throw unreadable(source, "cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    private static BerthException unreadable(Source source, String problem) {
        return new BerthException("BUILD_SECRET_UNREADABLE", "--secret " + source.flag() + ": " + problem);
    }

    private static Path socket(String id, String given) {
        String flag = "--ssh " + id + (given.isEmpty() ? "" : "=" + given);
        String path = given.isEmpty() ? System.getenv(AGENT_VARIABLE) : given;
        if (path == null || path.isEmpty()) {
            throw new BerthException("BUILD_SSH_AGENT_MISSING", flag + ": " + AGENT_VARIABLE + " is not set; start an agent "
                    + "(eval \"$(ssh-agent)\" && ssh-add) or give " + id + "=SOCKET");
        }
        Path socket = Path.of(path).toAbsolutePath();
        int mode;
        try {
            mode = (Integer) Files.getAttribute(socket, "unix:mode");
        } catch (IOException e) {
            throw new BerthException("BUILD_SSH_AGENT_MISSING", flag + ": there is no agent socket " + socket);
        }
        if ((mode & FILE_TYPE) != SOCKET) {
            throw new BerthException("BUILD_SSH_AGENT_MISSING", flag + ": " + socket + " is not an agent socket"
                    + (Files.isRegularFile(socket) ? "; berth forwards agents, not key files: "
                    + "run eval \"$(ssh-agent)\" && ssh-add " + socket + ", then give --ssh " + id : ""));
        }
        return socket;
    }
}
