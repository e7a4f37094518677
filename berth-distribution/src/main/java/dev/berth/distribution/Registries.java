package dev.berth.distribution;

import dev.berth.distribution.auth.CredentialStore;
import dev.berth.distribution.auth.Credentials;
import dev.berth.distribution.config.BerthConfig;
import dev.berth.distribution.config.RegistrySettings;
import dev.berth.oci.BerthException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Reference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registries one berth command talks to: their settings from the config file, their
 * credentials from the users' credential files, one connected client per host. Closing it
 * closes those clients.
 */
public final class Registries implements AutoCloseable {
    private final BerthConfig config;
    private final CredentialStore credentials;
    private final RetryPolicy retry;
    private final boolean insecure;
    private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();

    /** @param insecure allow plain HTTP to every registry, as {@code --insecure} asks */
    public Registries(BerthConfig config, CredentialStore credentials, RetryPolicy retry, boolean insecure) {
        this.config = config;
        this.credentials = credentials;
        this.retry = retry;
        this.insecure = insecure;
    }

    public RegistrySettings settings(String registry) {
        RegistrySettings settings = config.registry(registry);
        return insecure ? settings.withInsecure(true) : settings;
    }

    /** A connected client for the registry host, with the stored credentials. */
    public RegistryClient client(String registry) throws IOException {
        return client(registry, retry.attempts());
    }

    private RegistryClient client(String registry, int pingAttempts) throws IOException {
        RegistryClient existing = clients.get(registry);
        if (existing != null) {
            return existing;
        }
        RegistryClient connected = RegistryClient.connect(registry, settings(registry), config.proxies(),
                () -> lookup(registry), retry, pingAttempts);
        RegistryClient raced = clients.putIfAbsent(registry, connected);
        if (raced != null) {
            connected.close();
            return raced;
        }
        return connected;
    }

    @Override
    public void close() {
        clients.values().forEach(RegistryClient::close);
        clients.clear();
    }

    /** A client that uses {@code login} instead of the stored credentials: how {@code berth login} checks them. */
    public RegistryClient clientWith(String registry, Credentials login) throws IOException {
        return RegistryClient.connect(registry, settings(registry), config.proxies(), () -> Optional.of(login), retry);
    }

    private Optional<Credentials> lookup(String registry) {
        try {
            return credentials.lookup(registry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A source positioned on an image, and the root descriptor its reference names. */
    public record Resolved(RegistrySource source, Descriptor root) {
    }

    /**
     * Finds the image on the registry's mirrors in order, then on the registry itself. A mirror
     * that cannot be reached or does not have the image is passed over; when the origin fails
     * too, its error is the one reported.
     */
    public Resolved resolve(Reference reference) throws IOException {
        List<String> candidates = new ArrayList<>(settings(reference.registry()).mirrors());
        for (String mirror : candidates) {
            try {
                RegistrySource source = new RegistrySource(client(mirror, 1), reference.repository());
                return new Resolved(source, source.resolve(reference));
            } catch (BerthException | IOException mirrorFailed) {
                // Mirrors are a convenience: the origin is the authority.
            }
        }
        RegistrySource source = new RegistrySource(client(reference.registry()), reference.repository());
        return new Resolved(source, source.resolve(reference));
    }
}
