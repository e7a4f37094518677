package dev.berth.distribution.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 proxy in front of a registry that misbehaves like a bad network: it answers 503
 * and 429 at random, cuts connections part way through request or response bodies, and slows
 * bytes down. Each connection carries one request (it asks both sides for Connection: close),
 * so every request meets its own luck.
 */
public final class FaultyProxy implements AutoCloseable {
    /** Chances per request, a pause per 64 KiB forwarded, and whether only blob requests meet them. */
    public record Faults(double unavailable, double tooManyRequests, double cut, long pauseMillisPer64k, boolean blobsOnly) {
        public static final Faults BLOBS_ALWAYS_UNAVAILABLE = new Faults(1, 0, 0, 0, true);
        public static final Faults NONE = new Faults(0, 0, 0, 0, false);
    }

    private static final int CHUNK = 64 * 1024;

    private final ServerSocket server;
    private final int upstreamPort;
    private final Faults faults;
    private final SplittableRandom random;
    private final AtomicInteger injected = new AtomicInteger();
    private final AtomicInteger rangeRequests = new AtomicInteger();
    private final AtomicInteger uploadStatusRequests = new AtomicInteger();
    private final AtomicLong forwardedToClients = new AtomicLong();
    private final AtomicInteger uploadsForgotten = new AtomicInteger();
    private volatile boolean forgetsAResumedUpload;
    private volatile boolean resumeSeen;
    private volatile long budget = Long.MAX_VALUE;
    private final Thread acceptor;

    public FaultyProxy(int upstreamPort, Faults faults, long seed) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        this.faults = faults;
        this.random = new SplittableRandom(seed);
        this.acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    public String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** How many faults were injected, so a test can show it was not a quiet run. */
    public int faultsInjected() {
        return injected.get();
    }

    /** How many requests asked for part of a blob with Range, as a resumed download does. */
    public int rangeRequests() {
        return rangeRequests.get();
    }

    /** Bytes of responses forwarded to clients so far, head and body. */
    public long bytesForwardedToClients() {
        return forwardedToClients.get();
    }

    /**
     * Lets only {@code bytes} of responses through, then cuts every connection and answers 503
     * to every request, as a network that went away for good.
     */
    public FaultyProxy goingAwayAfter(long bytes) {
        this.budget = bytes;
        return this;
    }

    /**
     * Answers the first PATCH after a client asked where its upload stands with 404
     * BLOB_UPLOAD_INVALID, as docker-registry does when the session's size moved meanwhile (and
     * cancels the session); after that it injects no more faults.
     */
    public FaultyProxy forgettingAResumedUpload() {
        this.forgetsAResumedUpload = true;
        return this;
    }

    /** How many upload sessions this proxy claimed were forgotten. */
    public int uploadsForgotten() {
        return uploadsForgotten.get();
    }

    /** How many requests asked where an upload session stands, as a resumed upload does. */
    public int uploadStatusRequests() {
        return uploadStatusRequests.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> handle(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private synchronized double roll() {
        return random.nextDouble();
    }

    private synchronized long below(long bound) {
        return random.nextLong(Math.max(bound, 1));
    }

    private void handle(Socket client) {
        try (client) {
            InputStream fromClient = client.getInputStream();
            OutputStream toClient = client.getOutputStream();
            String head = readHead(fromClient);
            if (head == null) {
                return;
            }
            if (head.toLowerCase(java.util.Locale.ROOT).contains("\r\nrange: bytes=")) {
                rangeRequests.incrementAndGet();
            }
            if (head.startsWith("GET ") && head.contains("/blobs/uploads/")) {
                uploadStatusRequests.incrementAndGet();
                resumeSeen = true;
            }
            if (forgetsAResumedUpload && resumeSeen && head.startsWith("PATCH ") && uploadsForgotten.compareAndSet(0, 1)) {
                // read the chunk first, so that the client reads the answer instead of failing to send
                fromClient.readNBytes(Math.toIntExact(contentLength(head)));
                byte[] error = "{\"errors\":[{\"code\":\"BLOB_UPLOAD_INVALID\",\"message\":\"blob upload invalid\"}]}"
                        .getBytes(StandardCharsets.UTF_8);
                toClient.write(("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " + error.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                toClient.write(error);
                toClient.flush();
                return;
            }
            if (forwardedToClients.get() >= budget) {
                reply(toClient, "503 Service Unavailable", "");
                return;
            }
            double dice = faults.blobsOnly() && !head.contains("/blobs/") ? 1 : roll();
            if (dice < faults.unavailable()) {
                injected.incrementAndGet();
                reply(toClient, "503 Service Unavailable", "Retry-After: 0\r\n");
                return;
            }
            if (dice < faults.unavailable() + faults.tooManyRequests()) {
                injected.incrementAndGet();
                reply(toClient, "429 Too Many Requests", "Retry-After: 0\r\n");
                return;
            }
            // once it has forgotten an upload, the proxy cuts nothing more: the new session then
            // succeeds whatever the retry budget, and the scenario tests the restart alone
            boolean cut = dice < 1 && roll() < faults.cut() && !(forgetsAResumedUpload && uploadsForgotten.get() > 0);
            // Cut the direction that carries the body: responses to GET, requests of uploads.
            boolean cutRequest = cut && !head.startsWith("GET ") && !head.startsWith("HEAD ");
            long cutAfter = cut ? below(4L << 20) : Long.MAX_VALUE;
            if (cut) {
                injected.incrementAndGet();
            }
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                OutputStream toUpstream = upstream.getOutputStream();
                toUpstream.write(withConnectionClose(head).getBytes(StandardCharsets.ISO_8859_1));
                Thread requestBody = Thread.ofVirtual().start(() -> {
                    try {
                        pump(fromClient, toUpstream, cutRequest ? cutAfter : Long.MAX_VALUE, null);
                        if (cutRequest) {
                            hangUp(upstream, client);
                        }
                    } catch (IOException ignored) {
                        // one side hung up: the response pump sees it too
                    }
                });
                pump(upstream.getInputStream(), toClient, cutRequest ? Long.MAX_VALUE : cutAfter, forwardedToClients);
                requestBody.interrupt();
            }
        } catch (IOException ignored) {
            // a cut connection is the point of this class
        }
    }

    private static void hangUp(Socket... sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    /** Forwards up to {@code limit} bytes, counting them in {@code counted} (if given) against the budget. */
    private void pump(InputStream in, OutputStream out, long limit, AtomicLong counted)
            throws IOException {
        byte[] buffer = new byte[CHUNK];
        long sent = 0;
        while (sent < limit) {
            int allowed = (int) Math.min(buffer.length, limit - sent);
            if (counted != null) {
                long left = budget - counted.get();
                if (left <= 0) {
                    return;
                }
                allowed = (int) Math.min(allowed, left);
            }
            int n = in.read(buffer, 0, allowed);
            if (n < 0) {
                return;
            }
            if (counted != null) {
                counted.addAndGet(n);
            }
            out.write(buffer, 0, n);
            out.flush();
            sent += n;
            if (faults.pauseMillisPer64k() > 0) {
                try {
                    Thread.sleep(faults.pauseMillisPer64k() * n / CHUNK);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            // 0x16 opens a TLS handshake: this proxy speaks plain HTTP only, so hang up as a plain server would.
            if (b < 0 || head.size() > 65536 || (head.size() == 0 && b == 0x16)) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                return Long.parseLong(line.substring(15).strip());
            }
        }
        return 0;
    }

    private static String withConnectionClose(String head) {
        StringBuilder rewritten = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (!line.isEmpty() && !line.regionMatches(true, 0, "Connection:", 0, 11)) {
                rewritten.append(line).append("\r\n");
            }
        }
        return rewritten.append("Connection: close\r\n\r\n").toString();
    }

    private static void reply(OutputStream out, String status, String headers) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
