package dev.berth.distribution.http;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A plain HTTP/1.1 client for registry traffic: keep-alive connections per origin, TLS through
 * the JDK's {@link SSLSocket}, and response bodies read as blocking streams on the caller's thread.
 *
 * <p>berth used the JDK's {@code java.net.http.HttpClient} before. Building one costs 50-100 ms
 * of a short-lived command, and its selector thread copies every body through fresh heap
 * buffers before the reader sees it. A pull of 183 MB from a loopback registry took 0.3 s
 * longer with it than with a socket per blob (docs/benchmarks.md). Registries need no more of
 * HTTP than this: requests with small bodies or none, responses framed by length or chunks,
 * redirects and authentication handled by the caller.
 *
 * <p>Proxies named by the environment are used as {@link Proxies} says: HTTPS through a
 * {@code CONNECT} tunnel, plain HTTP by asking the proxy for the absolute URL.
 *
 * <p>Thread-safe: any number of threads may send at once, each on a connection of its own.
 */
public final class Http1Client implements AutoCloseable {
    private static final int MAX_IDLE_PER_ORIGIN = 8;

    private final Supplier<SSLSocketFactory> tls;
    private final Proxies proxies;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final Map<Origin, ArrayDeque<Connection>> idle = new HashMap<>();
    private boolean closed;

    /**
     * @param tls            asked for a socket factory when the first {@code https} connection is
     *                       made, so that a client that never speaks TLS never sets it up
     * @param readTimeout    how long one read may wait for the server before the request fails
     */
    public Http1Client(Supplier<SSLSocketFactory> tls, Proxies proxies, Duration connectTimeout, Duration readTimeout) {
        this.tls = tls;
        this.proxies = proxies;
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
    }

    /**
     * Sends one request and returns once the response's status and headers are in; the caller
     * reads the body and must close the response. A request that fails on a kept-alive
     * connection before any answer came back is sent once more on a new connection: the server
     * may have closed it while it was idle.
     *
     * @param headers name, value, name, value, ...
     * @param body    the request body, or null for none
     */
    public Response send(String method, URI uri, List<String> headers, RequestBody body) throws IOException {
        return send(method, uri, headers, body, hangUp -> { });
    }

    /**
     * As {@link #send(String, URI, List, RequestBody)}, and hands {@code onConnection} a way to hang up
     * the connection the request goes out on, so that another thread can end it wherever it stands.
     */
    public Response send(String method, URI uri, List<String> headers, RequestBody body, Consumer<Runnable> onConnection)
            throws IOException {
        Request request = Request.of(method, uri, headers, body);
        Connection kept = takeIdle(request.origin());
        if (kept != null) {
            try {
                onConnection.accept(kept::close);
                return exchangeOrClose(kept, request);
            } catch (Connection.StaleException stale) {
                // closed; a new connection follows
            }
        }
        try {
            Connection opened = open(request.origin());
            onConnection.accept(opened::close);
            return exchangeOrClose(opened, request);
        } catch (Connection.StaleException stale) {
            throw stale.failure();
        }
    }

    private static Response exchangeOrClose(Connection connection, Request request) throws IOException {
        try {
            return connection.exchange(request);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Closes the idle connections; connections still reading a body close when their body does. */
    @Override
    public synchronized void close() {
        closed = true;
        idle.values().forEach(connections -> connections.forEach(Connection::close));
        idle.clear();
    }

    /** Takes back a connection whose response was read to its end. */
    synchronized void release(Connection connection) {
        ArrayDeque<Connection> connections = idle.computeIfAbsent(connection.origin(), o -> new ArrayDeque<>());
        if (closed || connections.size() >= MAX_IDLE_PER_ORIGIN) {
            connection.close();
        } else {
            connections.push(connection);
        }
    }

    private synchronized Connection takeIdle(Origin origin) {
        ArrayDeque<Connection> connections = idle.get(origin);
        return connections == null ? null : connections.poll();
    }

    private Connection open(Origin origin) throws IOException {
        Proxies.Proxy proxy = proxies.forTarget(origin).orElse(null);
        Socket socket = proxy == null ? connect(origin.host(), origin.port(), origin.toString())
                : connect(proxy.host(), proxy.port(), proxy.toString());
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(readTimeoutMillis);
            if (origin.secure()) {
                try {
                    if (proxy != null) {
                        Tunnel.open(socket, origin, proxy);
                    }
                    socket = handshake(socket, origin);
                } catch (SocketTimeoutException e) {
                    // an ordinary failure, which the caller may retry, not an interruption
                    throw new IOException((proxy != null ? proxy + " or " : "") + origin + " stopped answering while"
                            + " a secure connection was set up (" + readTimeoutMillis / 1000 + " s)", e);
                }
            }
            return new Connection(this, origin, socket, readTimeoutMillis, origin.secure() ? null : proxy);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Tries each address of the host in turn, as a name may resolve to an address that does not answer. */
    private Socket connect(String host, int port, String what) throws IOException {
        IOException failure = null;
        for (InetAddress address : InetAddress.getAllByName(host)) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port), connectTimeoutMillis);
                return socket;
            } catch (SocketTimeoutException e) {
                socket.close();
                failure = new IOException("no connection to " + what + " within " + connectTimeoutMillis / 1000 + " s", e);
            } catch (IOException e) {
                socket.close();
                failure = e;
            }
        }
        throw failure;
    }

    private Socket handshake(Socket plain, Origin origin) throws IOException {
        SSLSocket socket = (SSLSocket) tls.get().createSocket(plain, origin.host(), origin.port(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /** Scheme, host and port: what a connection can be reused for. */
    record Origin(boolean secure, String host, int port) {
        static Origin of(URI uri) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("not an HTTP URL: " + uri);
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host in URL: " + uri);
            }
            boolean secure = scheme.equals("https");
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
            return new Origin(secure, host, uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80);
        }

        // Written out: a record's generated equals and hashCode spin method-handle classes at
        // their first call, which the AOT cache does not keep; 5-10 ms of every pull's start.
        @Override
        public boolean equals(Object other) {
            return other instanceof Origin that && secure == that.secure && port == that.port && host.equals(that.host);
        }

        @Override
        public int hashCode() {
            return (host.hashCode() * 31 + port) * 2 + (secure ? 1 : 0);
        }

        /** The {@code Host} header: the port only when it is not the scheme's own. */
        String hostHeader() {
            return port == (secure ? 443 : 80) ? name() : authority();
        }

        /** {@code host:port}, as a {@code CONNECT} names its target. */
        String authority() {
            return name() + ":" + port;
        }

        private String name() {
            return host.contains(":") ? "[" + host + "]" : host;
        }

        @Override
        public String toString() {
            return hostHeader();
        }
    }

    /** One request, its header fields already checked. */
    record Request(String method, URI uri, Origin origin, String fields, RequestBody body) {
        private static final List<String> METHODS_WITH_BODY = List.of("POST", "PUT", "PATCH");

        static Request of(String method, URI uri, List<String> headers, RequestBody body) {
            if (headers.size() % 2 != 0) {
                throw new IllegalArgumentException("headers must come as name, value pairs");
            }
            Origin origin = Origin.of(uri);
            StringBuilder fields = new StringBuilder(256);
            fields.append("Host: ").append(origin.hostHeader()).append("\r\nUser-Agent: berth\r\n");
            for (int i = 0; i < headers.size(); i += 2) {
                fields.append(token(headers.get(i))).append(": ").append(value(headers.get(i + 1))).append("\r\n");
            }
            if (body != null || METHODS_WITH_BODY.contains(method)) {
                fields.append("Content-Length: ").append(body == null ? 0 : body.length()).append("\r\n");
            }
            return new Request(token(method), uri, origin, fields.toString(), body);
        }

        /**
         * The request line and header fields: the path for the server itself, the whole URL and
         * the proxy's credentials for a proxy that forwards plain HTTP.
         */
        byte[] head(Proxies.Proxy plainProxy) {
            StringBuilder head = new StringBuilder(fields.length() + 128);
            head.append(method).append(' ');
            if (plainProxy != null) {
                head.append("http://").append(origin.hostHeader());
            }
            head.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
            if (uri.getRawQuery() != null) {
                head.append('?').append(uri.getRawQuery());
            }
            head.append(" HTTP/1.1\r\n").append(fields);
            if (plainProxy != null && plainProxy.authorization() != null) {
                head.append("Proxy-Authorization: ").append(plainProxy.authorization()).append("\r\n");
            }
            return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        /** A method or header name: letters, digits and the few marks HTTP allows, nothing that ends a line. */
        private static String token(String name) {
            boolean valid = !name.isEmpty();
            for (int i = 0; i < name.length() && valid; i++) {
                char c = name.charAt(i);
                valid = c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
            }
            if (!valid) {
                throw new IllegalArgumentException("not a valid HTTP token: " + name);
            }
            return name;
        }

        /** A header value must not end its line early: a token from a hostile server could add headers. */
        private static String value(String value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c != '\t' && (c < 32 || c == 127 || c > 255)) {
                    throw new IllegalArgumentException("a header value holds a control character");
                }
            }
            return value;
        }
    }
}
