package dev.berth.registry;

import dev.berth.oci.BerthException;
import dev.berth.registry.access.Access;
import dev.berth.registry.history.TagJournal;
import dev.berth.registry.http.ConnectionCap;
import dev.berth.registry.http.RegistryHandler;
import dev.berth.registry.storage.FilesystemStorage;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running registry: storage opened and locked, Jetty listening, collections scheduled. Requests
 * run on virtual threads; Jetty's selectors stay on a few platform threads.
 */
public final class RegistryServer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);
    /** How long a graceful stop waits for requests in flight. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final RegistryConfig config;
    private final FilesystemStorage storage;
    private final Registry registry;
    private final GarbageCollector collector;
    private final Server server;
    private final ServerConnector connector;
    /** Null on an open registry. */
    private final Access access;
    private final ScheduledExecutorService scheduler;

    private RegistryServer(RegistryConfig config, FilesystemStorage storage, Registry registry, Server server,
                           ServerConnector connector, Access access) {
        this.config = config;
        this.storage = storage;
        this.registry = registry;
        this.collector = new GarbageCollector(registry);
        this.server = server;
        this.connector = connector;
        this.access = access;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("berth-gc").factory());
    }

    /** Opens the storage and starts listening; the returned server is serving. */
    public static RegistryServer start(RegistryConfig config) throws IOException {
        return start(config, System.err);
    }

    /** As {@link #start(RegistryConfig)}; a first start with auth prints the admin's password on {@code console}. */
    public static RegistryServer start(RegistryConfig config, PrintStream console) throws IOException {
        if ((config.tlsCertificate() == null) != (config.tlsKey() == null)) {
            throw new BerthException("CONFIG_INVALID", "TLS needs both tls-certificate and tls-key");
        }
        requireSafeListen(config);
        FilesystemStorage storage = FilesystemStorage.open(config.root());
        Access access = null;
        try {
            access = config.auth() == null ? null : Access.open(config.auth(), config.root(), console);
            Registry registry = new Registry(storage, config, TagJournal.of(access));
            QueuedThreadPool threads = new QueuedThreadPool();
            threads.setName("berth-registry");
            Executor requests = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("berth-request-", 0).factory());
            threads.setVirtualThreadsExecutor(requests);
            Server server = new Server(threads, null, new ArrayByteBufferPool(0, 4096, 1024 * 1024));
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setSendDateHeader(false);
            // Jetty's per-connection cache of header lines matched every header against a trie byte by byte: a fifth
            // of the server's CPU under bearer-token GETs, whose Authorization line is long (docs/benchmarks.md)
            http.setHeaderCacheSize(0);
            // "a//b" must reach the handler, which answers NAME_INVALID, rather than Jetty's HTML 400.
            http.setUriCompliance(UriCompliance.DEFAULT.with("berth", UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
            HttpConnectionFactory httpFactory = new HttpConnectionFactory(http);
            // Larger reads from the socket: fewer, bigger chunks to hash and write on a push.
            httpFactory.setInputBufferSize(256 * 1024);
            ServerConnector connector;
            if (config.tls()) {
                SslContextFactory.Server ssl = new SslContextFactory.Server();
                KeyStore keyStore = PemKeyStore.load(config.tlsCertificate(), config.tlsKey());
                ssl.setKeyStore(keyStore);
                ssl.setKeyStorePassword(PemKeyStore.PASSWORD);
                http.addCustomizer(new SecureRequestCustomizer(false));
                connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), httpFactory);
            } else {
                connector = new ServerConnector(server, httpFactory);
            }
            connector.setHost(config.host());
            connector.setPort(config.port());
            connector.setIdleTimeout(TimeUnit.MINUTES.toMillis(5));
            connector.getSelectorManager().addEventListener(new ConnectionCap(config.maxConnections()));
            server.addConnector(connector);
            // GracefulHandler lets a stop wait for requests in flight instead of cutting them off.
            server.setHandler(new GracefulHandler(new RegistryHandler(registry, requests, access)));
            server.setErrorHandler(RegistryHandler::jettyError);
            server.setStopTimeout(STOP_TIMEOUT.toMillis());
            server.setStopAtShutdown(false);
            RegistryServer running = new RegistryServer(config, storage, registry, server, connector, access);
            try {
                server.start();
            } catch (IOException e) {
                throw new BerthException("LISTEN_FAILED", "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
            } catch (Exception e) {
                throw new IOException("cannot start the registry: " + e.getMessage(), e);
            }
            running.scheduleCollections();
            return running;
        } catch (IOException | RuntimeException e) {
            if (access != null) {
                access.close();
            }
            storage.close();
            throw e;
        }
    }

    /** Without accounts anyone who can connect may push and delete: only loopback, unless told to be open. */
    private static void requireSafeListen(RegistryConfig config) {
        if (config.auth() != null || config.open() || isLoopback(config.host())) {
            return;
        }
        throw new BerthException("UNSAFE_LISTEN", "refusing to listen on " + config.host() + ":" + config.port()
                + " without authentication, where anyone could push, overwrite and delete images: add an [auth] table"
                + " to the registry config to require sign-in, or set open = true in it to serve everyone anyway");
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void scheduleCollections() {
        Duration interval = config.gcInterval();
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                collector.collect(config.gcGrace(), config.uploadExpiry());
            } catch (IOException | RuntimeException e) {
                LOG.warn("garbage collection failed: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:5000}. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return (config.tls() ? "https" : "http") + "://" + host + ":" + port();
    }

    public Registry registry() {
        return registry;
    }

    public GarbageCollector collector() {
        return collector;
    }

    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops accepting, lets requests in flight finish (bounded), then releases the storage. */
    @Override
    public void close() throws IOException {
        scheduler.shutdownNow();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the HTTP server: {}", e.toString());
        } finally {
            if (access != null) {
                access.close();
            }
            storage.close();
        }
    }
}
