package dev.berth.oci;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image reference normalised exactly as Docker does: {@code ubuntu} means
 * {@code docker.io/library/ubuntu:latest}, a first component with a dot, a colon or the word
 * {@code localhost} is a registry, and a reference may carry a tag, a digest or both.
 */
public final class Reference {
    public static final String DEFAULT_REGISTRY = "docker.io";
    public static final String DEFAULT_TAG = "latest";
    private static final String LEGACY_REGISTRY = "index.docker.io";
    private static final String OFFICIAL_NAMESPACE = "library/";
    private static final int MAX_NAME_LENGTH = 255;

    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
                    + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern BARE_IMAGE_ID = Pattern.compile("[a-f0-9]{64}");

    private final String registry;
    private final String repository;
    private final String tag;
    private final Digest digest;

    private Reference(String registry, String repository, String tag, Digest digest) {
        this.registry = registry;
        this.repository = repository;
        this.tag = tag;
        this.digest = digest;
    }

    /** Parses a reference as {@code docker pull} would, adding {@code :latest} when neither tag nor digest is given. */
    public static Reference parse(String text) {
        Reference parsed = parseNormalized(text);
        return parsed.tag == null && parsed.digest == null ? parsed.withTag(DEFAULT_TAG) : parsed;
    }

    /** Parses a reference as {@link #parse} does but leaves it without a tag when none is given. */
    public static Reference parseNormalized(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidReferenceException("", "it is empty");
        }
        String remainder = text;
        Digest digest = null;
        int at = remainder.indexOf('@');
        if (at >= 0) {
            String digestText = remainder.substring(at + 1);
            if (!Digest.isValid(digestText)) {
                throw new InvalidReferenceException(text, "\"" + digestText + "\" is not a valid digest");
            }
            digest = Digest.parse(digestText);
            remainder = remainder.substring(0, at);
        }
        String tag = null;
        int lastColon = remainder.lastIndexOf(':');
        if (lastColon >= 0 && remainder.indexOf('/', lastColon) < 0) {
            tag = remainder.substring(lastColon + 1);
            if (!TAG.matcher(tag).matches()) {
                throw new InvalidReferenceException(text, "\"" + tag
                        + "\" is not a valid tag (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')");
            }
            remainder = remainder.substring(0, lastColon);
        }
        if (BARE_IMAGE_ID.matcher(remainder).matches() && tag == null && digest == null) {
            throw new InvalidReferenceException(text, "a 64-character hexadecimal string is an image id, not a repository name");
        }
        String[] registryAndPath = splitRegistry(remainder);
        String registry = registryAndPath[0];
        String path = registryAndPath[1];
        validateRegistry(text, registry);
        validatePath(text, path);
        if (registry.equals(DEFAULT_REGISTRY) && path.indexOf('/') < 0) {
            path = OFFICIAL_NAMESPACE + path;
        }
        if (registry.length() + 1 + path.length() > MAX_NAME_LENGTH) {
            throw new InvalidReferenceException(text, "the repository name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        return new Reference(registry, path, tag, digest);
    }

    /** Parses a repository name without tag or digest, e.g. {@code library/busybox} as given in a registry URL. */
    public static void validateRepositoryPath(String path) {
        validatePath(path, path);
        if (path.length() > MAX_NAME_LENGTH) {
            throw new InvalidReferenceException(path, "the repository name is longer than " + MAX_NAME_LENGTH + " characters");
        }
    }

    private static String[] splitRegistry(String name) {
        int slash = name.indexOf('/');
        if (slash < 0) {
            return new String[] {DEFAULT_REGISTRY, name};
        }
        String first = name.substring(0, slash);
        boolean isRegistry = first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.equals(first.toLowerCase(java.util.Locale.ROOT));
        if (!isRegistry) {
            return new String[] {DEFAULT_REGISTRY, name};
        }
        String registry = first.equals(LEGACY_REGISTRY) ? DEFAULT_REGISTRY : first;
        return new String[] {registry, name.substring(slash + 1)};
    }

    private static void validateRegistry(String text, String registry) {
        if (!DOMAIN.matcher(registry).matches()) {
            throw new InvalidReferenceException(text, "\"" + registry + "\" is not a valid registry host");
        }
    }

    private static void validatePath(String text, String path) {
        if (path.isEmpty()) {
            throw new InvalidReferenceException(text, "the repository name is empty");
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                if (!component.equals(component.toLowerCase(java.util.Locale.ROOT))) {
                    throw new InvalidReferenceException(text, "repository name must be lowercase");
                }
                throw new InvalidReferenceException(text, "\"" + component
                        + "\" is not a valid repository name component (lower-case letters and digits, separated by '.', '_', '__' or '-')");
            }
        }
    }

    /** The registry host, with port when one is given, e.g. {@code docker.io} or {@code localhost:5000}. */
    public String registry() {
        return registry;
    }

    /** The repository path within the registry, e.g. {@code library/ubuntu}. */
    public String repository() {
        return repository;
    }

    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    public Optional<Digest> digest() {
        return Optional.ofNullable(digest);
    }

    /** Registry and repository, e.g. {@code docker.io/library/ubuntu}. */
    public String name() {
        return registry + "/" + repository;
    }

    /** The name as {@code docker images} shows it: {@code ubuntu} rather than {@code docker.io/library/ubuntu}. */
    public String familiarName() {
        if (!registry.equals(DEFAULT_REGISTRY)) {
            return name();
        }
        return repository.startsWith(OFFICIAL_NAMESPACE) && repository.indexOf('/', OFFICIAL_NAMESPACE.length()) < 0
                ? repository.substring(OFFICIAL_NAMESPACE.length())
                : repository;
    }

    /** The familiar form with tag and digest, e.g. {@code ubuntu:22.04}. */
    public String familiarString() {
        return familiarName() + suffix();
    }

    public Reference withTag(String newTag) {
        if (newTag != null && !TAG.matcher(newTag).matches()) {
            throw new InvalidReferenceException(newTag, "not a valid tag");
        }
        return new Reference(registry, repository, newTag, digest);
    }

    public Reference withDigest(Digest newDigest) {
        return new Reference(registry, repository, tag, newDigest);
    }

    private String suffix() {
        return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** The canonical form, e.g. {@code docker.io/library/ubuntu:latest}. */
    @Override
    public String toString() {
        return name() + suffix();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reference other && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
