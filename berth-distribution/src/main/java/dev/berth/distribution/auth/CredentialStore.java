package dev.berth.distribution.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.distribution.RegistryException;
import dev.berth.oci.AtomicFiles;
import dev.berth.oci.BerthException;
import dev.berth.oci.HomeDirectory;
import dev.berth.oci.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Registry credentials in the files users already have: containers' {@code auth.json} (podman,
 * skopeo, buildah) and Docker's {@code config.json}, each with {@code auths}, {@code credsStore}
 * and {@code credHelpers}. Lookups read the files in order and take the first match; logins
 * write one file, keeping everything else in it as it was.
 */
public final class CredentialStore {
    /** The key Docker uses for Docker Hub in credential files. */
    static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
    private static final long MAX_FILE_SIZE = 4L << 20;

    private final List<Path> files;
    private final Path loginFile;

    public CredentialStore(List<Path> files, Path loginFile) {
        this.files = List.copyOf(files);
        this.loginFile = loginFile;
    }

    /**
     * The files podman and Docker use: {@code $REGISTRY_AUTH_FILE} or
     * {@code $XDG_RUNTIME_DIR/containers/auth.json}, then {@code $DOCKER_CONFIG/config.json} or
     * {@code ~/.docker/config.json}. Logins go to the Docker file (it survives a reboot) unless
     * {@code loginFile} names another.
     */
    public static CredentialStore fromEnvironment(Map<String, String> environment, Path loginFile) {
        List<Path> files = new ArrayList<>();
        if (loginFile != null) {
            files.add(loginFile);
        }
        String authFile = environment.get("REGISTRY_AUTH_FILE");
        String runtimeDir = environment.get("XDG_RUNTIME_DIR");
        if (authFile != null && !authFile.isBlank()) {
            files.add(Path.of(authFile));
        } else if (runtimeDir != null && !runtimeDir.isBlank()) {
            files.add(Path.of(runtimeDir, "containers", "auth.json"));
        }
        String dockerConfig = environment.get("DOCKER_CONFIG");
        Path dockerFile = dockerConfig != null && !dockerConfig.isBlank()
                ? Path.of(dockerConfig, "config.json")
                : HomeDirectory.of(environment).resolve(".docker/config.json");
        files.add(dockerFile);
        return new CredentialStore(files, loginFile != null ? loginFile : dockerFile);
    }

    public Path loginFile() {
        return loginFile;
    }

    /** The credentials for {@code registry} (a host[:port] as in an image reference), if any file has some. */
    public Optional<Credentials> lookup(String registry) throws IOException {
        for (Path file : files) {
            Optional<ObjectNode> config = read(file);
            if (config.isEmpty()) {
                continue;
            }
            Optional<Credentials> found = lookupIn(config.get(), registry, file);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<Credentials> lookupIn(ObjectNode config, String registry, Path file) throws IOException {
        JsonNode helpers = config.path("credHelpers");
        for (String key : keysFor(registry)) {
            if (helpers.hasNonNull(key)) {
                return new CredentialHelper(helpers.get(key).asText()).get(serverFor(registry));
            }
        }
        JsonNode auths = config.path("auths");
        for (String key : keysFor(registry)) {
            JsonNode entry = auths.path(key);
            Optional<Credentials> inline = inlineCredentials(entry, file);
            if (inline.isPresent()) {
                return inline;
            }
        }
        if (config.hasNonNull("credsStore")) {
            return new CredentialHelper(config.get("credsStore").asText()).get(serverFor(registry));
        }
        return Optional.empty();
    }

    private static Optional<Credentials> inlineCredentials(JsonNode entry, Path file) {
        if (!entry.isObject()) {
            return Optional.empty();
        }
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            Credentials decoded = Credentials.fromBasicToken(auth);
            if (decoded == null) {
                throw new RegistryException("CONFIG_INVALID", file + " has an \"auth\" entry that is not base64 of user:password");
            }
            return Optional.of(decoded);
        }
        String user = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        return user.isEmpty() || password.isEmpty() ? Optional.empty() : Optional.of(new Credentials(user, password));
    }

    /**
     * The registries the files hold logins for, inline or through a per-registry helper, each
     * once and as an image reference names it (docker.io for Docker Hub's URL keys).
     */
    public List<String> savedRegistries() throws IOException {
        Set<String> registries = new LinkedHashSet<>();
        for (Path file : files) {
            Optional<ObjectNode> config = read(file);
            if (config.isPresent()) {
                config.get().path("auths").fieldNames().forEachRemaining(key -> registries.add(registryOf(key)));
                config.get().path("credHelpers").fieldNames().forEachRemaining(key -> registries.add(registryOf(key)));
            }
        }
        return List.copyOf(registries);
    }

    /** The host[:port] a file key such as {@code https://host:5000/v2/} is for. */
    private static String registryOf(String key) {
        String host = key.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = host.indexOf('/');
        host = slash < 0 ? host : host.substring(0, slash);
        return keysFor("docker.io").contains(host) || keysFor("docker.io").contains(key) ? "docker.io" : host;
    }

    /**
     * Saves credentials for {@code registry} in the login file, or in the credential helper that
     * file names for it. Returns where they went, for the user.
     */
    public String store(String registry, Credentials credentials) throws IOException {
        ObjectNode config = read(loginFile).orElseGet(Json.mapper()::createObjectNode);
        Optional<CredentialHelper> helper = helperFor(config, registry);
        if (helper.isPresent()) {
            helper.get().store(serverFor(registry), credentials);
            return helper.get().program();
        }
        ObjectNode auths = config.has("auths") && config.get("auths").isObject()
                ? (ObjectNode) config.get("auths") : config.putObject("auths");
        keysFor(registry).forEach(auths::remove);
        auths.putObject(fileKeyFor(registry)).put("auth", credentials.basicToken());
        write(loginFile, config);
        return loginFile.toString();
    }

    /** Forgets {@code registry} in every file and helper that knows it; returns where it was found. */
    public List<String> erase(String registry) throws IOException {
        List<String> erasedFrom = new ArrayList<>();
        for (Path file : files) {
            Optional<ObjectNode> config = read(file);
            if (config.isEmpty()) {
                continue;
            }
            Optional<CredentialHelper> helper = helperFor(config.get(), registry);
            if (helper.isPresent() && helper.get().erase(serverFor(registry))) {
                erasedFrom.add(helper.get().program());
            }
            JsonNode auths = config.get().path("auths");
            if (auths instanceof ObjectNode entries && keysFor(registry).stream().anyMatch(entries::has)) {
                keysFor(registry).forEach(entries::remove);
                write(file, config.get());
                erasedFrom.add(file.toString());
            }
        }
        return erasedFrom;
    }

    private static Optional<CredentialHelper> helperFor(ObjectNode config, String registry) {
        JsonNode helpers = config.path("credHelpers");
        for (String key : keysFor(registry)) {
            if (helpers.hasNonNull(key)) {
                return Optional.of(new CredentialHelper(helpers.get(key).asText()));
            }
        }
        return config.hasNonNull("credsStore") ? Optional.of(new CredentialHelper(config.get("credsStore").asText()))
                : Optional.empty();
    }

    /** The keys a registry may be filed under: bare host, with a scheme, and Docker Hub's legacy URL. */
    static List<String> keysFor(String registry) {
        if (registry.equals("docker.io")) {
            return List.of(DOCKER_HUB_KEY, "docker.io", "index.docker.io", "registry-1.docker.io",
                    "https://index.docker.io", "https://registry-1.docker.io");
        }
        return List.of(registry, "https://" + registry, "http://" + registry, "https://" + registry + "/v2/",
                "https://" + registry + "/v1/");
    }

    private static String fileKeyFor(String registry) {
        return registry.equals("docker.io") ? DOCKER_HUB_KEY : registry;
    }

    private static String serverFor(String registry) {
        return registry.equals("docker.io") ? DOCKER_HUB_KEY : registry;
    }

    private static Optional<ObjectNode> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        if (Files.size(file) > MAX_FILE_SIZE) {
            throw new RegistryException("CONFIG_INVALID", file + " is larger than " + MAX_FILE_SIZE + " bytes");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode tree = Json.tree(bytes, file.toString());
            if (!tree.isObject()) {
                throw new RegistryException("CONFIG_INVALID", file + " is not a JSON object");
            }
            return Optional.of((ObjectNode) tree);
        } catch (BerthException e) {
            throw new RegistryException("CONFIG_INVALID", "cannot read credentials from " + file + ": " + e.getMessage());
        }
    }

    /** Atomically, and readable by the owner only from the first byte: the file holds secrets. */
    private static void write(Path file, ObjectNode config) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path temp = Files.createTempFile(parent, ".tmp-" + file.getFileName(), "",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(Json.writePretty(config).getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            AtomicFiles.moveIntoPlace(temp, file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
