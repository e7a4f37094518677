package dev.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digest;
import dev.berth.oci.InvalidImageException;
import dev.berth.oci.Json;
import dev.berth.oci.Platform;
import dev.berth.oci.image.ImageConfig;
import dev.berth.runtime.check.DeclaredRequirements;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an image file says about itself, so that a converted file runs anywhere: berth writes
 * it into every image file it makes, and the cache keeps it in two files beside the root file
 * system that its manifests share (see {@link CacheFiles}). {@code /.berth/image.json} keeps the image config exactly as
 * published (labels, licence, history) for people and tools; {@code /.berth/runtime} holds what
 * a run needs as NUL-separated {@code key=value} records, which start-up reads without a JSON
 * library (loading Jackson cost more than half a second of every run).
 */
public record ImageMetadata(String name, Digest manifest, Platform platform, List<String> entrypoint, List<String> cmd,
                            List<String> env, String workingDir, Map<String, String> requirements) {
    public static final String DIRECTORY_IN_IMAGE = ".berth";
    public static final String CONFIG_IN_IMAGE = DIRECTORY_IN_IMAGE + "/image.json";
    public static final String RUNTIME_IN_IMAGE = DIRECTORY_IN_IMAGE + "/runtime";
    private static final int MAX_SIZE = 4 * 1024 * 1024;

    public ImageMetadata {
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? null : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        requirements = requirements == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(requirements));
    }

    public static ImageMetadata of(String name, Digest manifest, ImageConfig config) {
        ImageConfig.ContainerConfig process = config.config();
        return process == null
                ? new ImageMetadata(name, manifest, config.platform(), null, null, null, null, null)
                : new ImageMetadata(name, manifest, config.platform(), process.entrypoint(), process.cmd(), process.env(),
                process.workingDir(), DeclaredRequirements.of(process.labels()));
    }

    /** The published config with berth's name for the image and its manifest digest around it. */
    public static byte[] configJson(String name, Digest manifest, byte[] configBytes) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", name);
        node.put("manifest", manifest.toString());
        node.set("config", Json.tree(configBytes, "image config"));
        return Json.write(node);
    }

    public byte[] runtimeRecords() {
        StringBuilder out = new StringBuilder();
        append(out, "name", name);
        append(out, "manifest", manifest.toString());
        append(out, "os", platform.os());
        append(out, "architecture", platform.architecture());
        append(out, "variant", platform.variant());
        append(out, "workdir", workingDir);
        appendList(out, "entrypoint", entrypoint);
        appendList(out, "cmd", cmd);
        appendList(out, "env", env);
        // the labels exec compares with the host, so that it need not parse the image's config (see DeclaredRequirements)
        requirements.forEach((label, value) -> append(out, "requirement", label + "=" + value));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void append(StringBuilder out, String key, String value) {
        if (value != null) {
            out.append(key).append('=').append(value.replace('\0', ' ')).append('\0');
        }
    }

    /** A list is a "key.set" marker (so an empty list differs from none) and one record per element. */
    private static void appendList(StringBuilder out, String key, List<String> values) {
        if (values != null) {
            append(out, key + ".set", "");
            values.forEach(value -> append(out, key, value));
        }
    }

    /**
     * Where the metadata of a cached image lies when its squashfs holds the root file system
     * alone, which several manifests share: two files of the cache, beside it.
     */
    public record CacheFiles(Path runtime, Path config) {
    }

    /** Reads the metadata from a mounted or extracted image root, never following a link out of it. */
    public static ImageMetadata readFrom(Path root) throws IOException {
        return parse(new String(readBounded(berthFile(root, RUNTIME_IN_IMAGE), "/" + RUNTIME_IN_IMAGE + " in the image"), StandardCharsets.UTF_8));
    }

    /** The image's config as published, from the same root. */
    public static ImageConfig readConfigFrom(Path root) throws IOException {
        String where = "/" + CONFIG_IN_IMAGE + " in the image";
        return configOf(readBounded(berthFile(root, CONFIG_IN_IMAGE), where), where);
    }

    /** Reads the metadata from the files a cache keeps beside a shared root file system. */
    public static ImageMetadata read(CacheFiles files) throws IOException {
        return parse(new String(readBounded(files.runtime(), files.runtime().toString()), StandardCharsets.UTF_8));
    }

    /** The image's config as published, from the files a cache keeps. */
    public static ImageConfig readConfig(CacheFiles files) throws IOException {
        return configOf(readBounded(files.config(), files.config().toString()), files.config().toString());
    }

    private static ImageConfig configOf(byte[] bytes, String where) {
        JsonNode config = Json.tree(bytes, where).path("config");
        if (!config.isObject()) {
            throw new InvalidImageException(where + " holds no image config");
        }
        return ImageConfig.parse(Json.write(config));
    }

    private static Path berthFile(Path root, String name) {
        Path file = root.resolve(name);
        if (!Files.isDirectory(file.getParent(), LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidImageException("this image file was not made by berth (it has no /" + name
                    + "); convert the image with 'berth convert'");
        }
        return file;
    }

    private static byte[] readBounded(Path file, String where) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(MAX_SIZE + 1);
        }
        if (bytes.length > MAX_SIZE) {
            throw new InvalidImageException(where + " is larger than " + MAX_SIZE + " bytes");
        }
        return bytes;
    }

    static ImageMetadata parse(String records) {
        String name = "";
        String manifest = null;
        String os = null;
        String architecture = null;
        String variant = null;
        String workingDir = null;
        List<String> entrypoint = null;
        List<String> cmd = null;
        List<String> env = new ArrayList<>();
        Map<String, String> requirements = new TreeMap<>();
        for (String record : records.split("\0")) {
            int equals = record.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String value = record.substring(equals + 1);
            switch (record.substring(0, equals)) {
                case "name" -> name = value;
                case "manifest" -> manifest = value;
                case "os" -> os = value;
                case "architecture" -> architecture = value;
                case "variant" -> variant = value;
                case "workdir" -> workingDir = value;
                case "entrypoint.set" -> entrypoint = new ArrayList<>();
                case "entrypoint" -> entrypoint.add(value);
                case "cmd.set" -> cmd = new ArrayList<>();
                case "cmd" -> cmd.add(value);
                case "env" -> env.add(value);
                case "requirement" -> {
                    int split = value.indexOf('=');
                    if (split > 0) {
                        requirements.put(value.substring(0, split), value.substring(split + 1));
                    }
                }
                default -> {
                    // a key from a newer berth: ignored, so older releases still run newer files
                }
            }
        }
        if (manifest == null) {
            throw new InvalidImageException("/" + RUNTIME_IN_IMAGE + " in the image names no manifest");
        }
        return new ImageMetadata(name, Digest.parse(manifest), Platform.of(os, architecture, variant), entrypoint, cmd, env,
                workingDir, requirements);
    }
}
