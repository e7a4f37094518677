package dev.berth.distribution.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One socket to one origin, carrying one exchange at a time. */
final class Connection {
    /** Large enough that a blob read goes from the socket straight into the reader's buffer. */
    private static final int INPUT_BUFFER = 64 << 10;
    private static final int OUTPUT_BUFFER = 16 << 10;
    private static final int MAX_LINE = 64 << 10;
    private static final int MAX_HEADER_LINES = 500;

    private final Http1Client owner;
    private final Http1Client.Origin origin;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Proxies.Proxy plainProxy;
    private boolean reusable;
    private boolean answered;

    /** @param plainProxy the proxy that forwards this connection's plain-HTTP requests, or null */
    Connection(Http1Client owner, Http1Client.Origin origin, Socket socket, int readTimeoutMillis,
               Proxies.Proxy plainProxy) throws IOException {
        this.owner = owner;
        this.plainProxy = plainProxy;
        this.origin = origin;
        this.socket = socket;
        this.in = new BufferedInputStream(new TimeoutNaming(socket.getInputStream(), origin, readTimeoutMillis),
                INPUT_BUFFER);
        this.out = new BufferedOutputStream(socket.getOutputStream(), OUTPUT_BUFFER);
    }

    /** A kept-alive connection failed before any answer: the request may go again on a new one. */
    static final class StaleException extends IOException {
        StaleException(IOException cause) {
            super(cause);
        }

        IOException failure() {
            return (IOException) getCause();
        }
    }

    Http1Client.Origin origin() {
        return origin;
    }

    InputStream input() {
        return in;
    }

    Response exchange(Http1Client.Request request) throws IOException {
        answered = false;
        try {
            out.write(request.head(plainProxy));
            if (request.body() != null) {
                request.body().writeTo(out);
            }
            out.flush();
            while (true) {
                String statusLine = readLine();
                int status = status(statusLine);
                Map<String, List<String>> headers = readHeaders();
                if (status == 101) {
                    throw new IOException(origin + " switched protocols, which no registry request asks for");
                }
                if (status >= 200) {
                    return new Response(request.uri(), status, headers, body(request, statusLine, status, headers));
                }
                // 100 Continue and other interim answers: the final one follows
            }
        } catch (TimeoutNaming.Timeout e) {
            throw e;
        } catch (IOException e) {
            throw answered ? e : new StaleException(e);
        }
    }

    private Body body(Http1Client.Request request, String statusLine, int status, Map<String, List<String>> headers)
            throws IOException {
        boolean http10 = statusLine.startsWith("HTTP/1.0");
        List<String> connection = tokens(headers.get("Connection"));
        reusable = http10 ? connection.contains("keep-alive") : !connection.contains("close");
        if (request.method().equals("HEAD") || status == 204 || status == 304) {
            return Body.empty(this);
        }
        List<String> transferCodings = tokens(headers.get("Transfer-Encoding"));
        if (!transferCodings.isEmpty()) {
            if (transferCodings.getLast().equals("chunked")) {
                return Body.chunked(this);
            }
            reusable = false;
            return Body.untilClose(this);
        }
        List<String> lengths = headers.get("Content-Length");
        if (lengths != null) {
            return Body.ofLength(this, contentLength(lengths));
        }
        reusable = false;
        return Body.untilClose(this);
    }

    private long contentLength(List<String> values) throws IOException {
        long length = -1;
        for (String value : values) {
            for (String part : value.split(",")) {
                long parsed = digits(part.trim());
                if (parsed < 0 || (length >= 0 && parsed != length)) {
                    throw new IOException(origin + " sent an invalid Content-Length");
                }
                length = parsed;
            }
        }
        return length;
    }

    /** A decimal number of at most 18 digits, or -1. */
    private static long digits(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private int status(String line) throws IOException {
        long status = line.length() >= 12 && line.startsWith("HTTP/1.") && line.charAt(8) == ' '
                ? digits(line.substring(9, 12)) : -1;
        if (status < 100 || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new IOException(origin + " did not answer in HTTP/1.1");
        }
        return (int) status;
    }

    private Map<String, List<String>> readHeaders() throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String line;
        for (int lines = 0; !(line = readLine()).isEmpty(); lines++) {
            int colon = line.indexOf(':');
            if (lines == MAX_HEADER_LINES || colon <= 0) {
                throw new IOException(origin + " sent " + (colon <= 0 ? "a malformed header line" : "too many header lines"));
            }
            headers.computeIfAbsent(line.substring(0, colon).trim(), name -> new ArrayList<>(1))
                    .add(line.substring(colon + 1).trim());
        }
        return headers;
    }

    /** The comma-separated tokens of a header, in lower case. */
    private static List<String> tokens(List<String> values) {
        List<String> tokens = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                for (String token : value.split(",")) {
                    if (!token.isBlank()) {
                        tokens.add(token.trim().toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        }
        return tokens;
    }

    /** A line of the response head or of the chunk framing, without its CRLF. */
    String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(origin + " closed the connection" + (answered ? " in the middle of a response" : ""));
            }
            answered = true;
            if (b == '\n') {
                int length = line.length();
                return length > 0 && line.charAt(length - 1) == '\r' ? line.substring(0, length - 1) : line.toString();
            }
            if (line.length() == MAX_LINE) {
                throw new IOException(origin + " sent a header line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
    }

    void bodyEnded() {
        if (reusable) {
            owner.release(this);
        } else {
            close();
        }
    }

    void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket that failed: nothing left to release
        }
    }

    /** Says which server kept us waiting, and does not pass for an interruption of the thread. */
    private static final class TimeoutNaming extends FilterInputStream {
        private final Http1Client.Origin origin;
        private final int timeoutMillis;

        TimeoutNaming(InputStream in, Http1Client.Origin origin, int timeoutMillis) {
            super(in);
            this.origin = origin;
            this.timeoutMillis = timeoutMillis;
        }

        /**
         * Not an {@link java.io.InterruptedIOException} as {@link SocketTimeoutException} is:
         * callers retry a stalled connection, but stop at once when their thread is interrupted.
         */
        static final class Timeout extends IOException {
            Timeout(String message) {
                super(message);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (SocketTimeoutException e) {
                throw timeout();
            }
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (SocketTimeoutException e) {
                throw timeout();
            }
        }

        private Timeout timeout() {
            return new Timeout(origin + " sent nothing for " + timeoutMillis / 1000 + " s");
        }
    }
}
