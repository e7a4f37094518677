package dev.berth.registry;

import dev.berth.registry.access.AccessConfig;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a registry runs. Defaults suit a single machine: loopback on port 5000, deletes allowed,
 * garbage collected hourly with an hour's grace for fresh blobs, uploads kept for a day.
 *
 * @param host               interface to listen on
 * @param port               TCP port; 0 picks a free one
 * @param root               storage directory
 * @param deleteEnabled      whether manifest, tag and blob DELETE are allowed (405 otherwise)
 * @param gcInterval         time between online collections; zero turns them off
 * @param gcGrace            blobs written or used more recently than this are never collected
 * @param uploadExpiry       upload sessions older than this are removed by collection
 * @param untaggedRetention  a manifest no tag points at is removed by collection once it was last pushed or
 *                           tagged longer ago than this; null keeps it until it is deleted
 * @param tlsCertificate     PEM certificate chain; with {@code tlsKey}, serve HTTPS
 * @param tlsKey             PEM PKCS#8 private key
 * @param manifestCacheBytes memory for parsed manifests
 * @param accessLog          one log line per request
 * @param maxConnections     open connections at most; the server closes new ones beyond this at once
 * @param maxUploads         requests carrying upload bytes at once; more are answered 429 TOOMANYREQUESTS
 * @param auth               the {@code [auth]} table: accounts, tokens and projects; null serves everyone everything
 * @param open               serve without authentication on a non-loopback address (refused otherwise)
 */
public record RegistryConfig(
        String host,
        int port,
        Path root,
        boolean deleteEnabled,
        Duration gcInterval,
        Duration gcGrace,
        Duration uploadExpiry,
        Duration untaggedRetention,
        Path tlsCertificate,
        Path tlsKey,
        long manifestCacheBytes,
        boolean accessLog,
        int maxConnections,
        int maxUploads,
        AccessConfig auth,
        boolean open) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5000;
    /** An idle connection costs a few KiB; 4096 of them stay well under 100 MiB. */
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    /** An upload receiving bytes holds up to 16 MiB of write buffers; 32 of them half a GiB at most. */
    public static final int DEFAULT_MAX_UPLOADS = 32;

    public RegistryConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
        if (maxConnections < 1 || maxUploads < 1) {
            throw new IllegalArgumentException("connection and upload limits must be at least 1");
        }
    }

    public static RegistryConfig defaults(Path root) {
        return new RegistryConfig(DEFAULT_HOST, DEFAULT_PORT, root, true, Duration.ofHours(1), Duration.ofHours(1),
                Duration.ofHours(24), null, null, null, 64L << 20, true,
                DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_UPLOADS, null, false);
    }

    /** True when both halves of a TLS key pair are configured; {@link RegistryServer} refuses just one. */
    /** UNSUPPORTED unless the registry allows deletion. */
    void requireDeletes() {
        if (!deleteEnabled) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, "deletion is disabled on this registry (delete-enabled = false)");
        }
    }

    public boolean tls() {
        return tlsCertificate != null && tlsKey != null;
    }

    public RegistryConfig withListen(String newHost, int newPort) {
        return new RegistryConfig(newHost, newPort, root, deleteEnabled, gcInterval, gcGrace, uploadExpiry, untaggedRetention,
                tlsCertificate, tlsKey, manifestCacheBytes, accessLog, maxConnections, maxUploads, auth, open);
    }

    public RegistryConfig withRoot(Path newRoot) {
        return new RegistryConfig(host, port, newRoot, deleteEnabled, gcInterval, gcGrace, uploadExpiry, untaggedRetention,
                tlsCertificate, tlsKey, manifestCacheBytes, accessLog, maxConnections, maxUploads, auth, open);
    }

    public RegistryConfig withDeleteEnabled(boolean enabled) {
        return new RegistryConfig(host, port, root, enabled, gcInterval, gcGrace, uploadExpiry, untaggedRetention,
                tlsCertificate, tlsKey, manifestCacheBytes, accessLog, maxConnections, maxUploads, auth, open);
    }

    public RegistryConfig withGc(Duration interval, Duration grace) {
        return new RegistryConfig(host, port, root, deleteEnabled, interval, grace, uploadExpiry, untaggedRetention,
                tlsCertificate, tlsKey, manifestCacheBytes, accessLog, maxConnections, maxUploads, auth, open);
    }

    public RegistryConfig withUploadExpiry(Duration expiry) {
        return new RegistryConfig(host, port, root, deleteEnabled, gcInterval, gcGrace, expiry, untaggedRetention,
                tlsCertificate, tlsKey, manifestCacheBytes, accessLog, maxConnections, maxUploads, auth, open);
    }

    public RegistryConfig withUntaggedRetention(Duration retention) {
        return new RegistryConfig(host, port, root, deleteEnabled, gcInterval, gcGrace, uploadExpiry, retention,
                tlsCertificate, tlsKey, manifestCacheBytes, accessLog, maxConnections, maxUploads, auth, open);
    }

    public RegistryConfig withTls(Path certificate, Path key) {
        return new RegistryConfig(host, port, root, deleteEnabled, gcInterval, gcGrace, uploadExpiry, untaggedRetention,
                certificate, key, manifestCacheBytes, accessLog, maxConnections, maxUploads, auth, open);
    }

    public RegistryConfig withManifestCacheBytes(long bytes) {
        return new RegistryConfig(host, port, root, deleteEnabled, gcInterval, gcGrace, uploadExpiry, untaggedRetention,
                tlsCertificate, tlsKey, bytes, accessLog, maxConnections, maxUploads, auth, open);
    }

    public RegistryConfig withAccessLog(boolean enabled) {
        return new RegistryConfig(host, port, root, deleteEnabled, gcInterval, gcGrace, uploadExpiry, untaggedRetention,
                tlsCertificate, tlsKey, manifestCacheBytes, enabled, maxConnections, maxUploads, auth, open);
    }

    public RegistryConfig withLimits(int connections, int uploads) {
        return new RegistryConfig(host, port, root, deleteEnabled, gcInterval, gcGrace, uploadExpiry, untaggedRetention,
                tlsCertificate, tlsKey, manifestCacheBytes, accessLog, connections, uploads, auth, open);
    }

    public RegistryConfig withAuth(AccessConfig newAuth) {
        return new RegistryConfig(host, port, root, deleteEnabled, gcInterval, gcGrace, uploadExpiry, untaggedRetention,
                tlsCertificate, tlsKey, manifestCacheBytes, accessLog, maxConnections, maxUploads, newAuth, open);
    }

    public RegistryConfig withOpen(boolean newOpen) {
        return new RegistryConfig(host, port, root, deleteEnabled, gcInterval, gcGrace, uploadExpiry, untaggedRetention,
                tlsCertificate, tlsKey, manifestCacheBytes, accessLog, maxConnections, maxUploads, auth, newOpen);
    }
}
