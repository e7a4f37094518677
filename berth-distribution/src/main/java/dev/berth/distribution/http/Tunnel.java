package dev.berth.distribution.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Asks an HTTP proxy for a {@code CONNECT} tunnel, over which TLS to the target then runs. */
final class Tunnel {
    private static final int MAX_HEAD = 64 << 10;

    private Tunnel() {
    }

    static void open(Socket socket, Http1Client.Origin target, Proxies.Proxy proxy) throws IOException {
        String authority = target.authority();
        StringBuilder request = new StringBuilder("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ")
                .append(authority).append("\r\nUser-Agent: berth\r\n");
        if (proxy.authorization() != null) {
            request.append("Proxy-Authorization: ").append(proxy.authorization()).append("\r\n");
        }
        OutputStream out = socket.getOutputStream();
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String head = readHead(socket.getInputStream(), proxy);
        String statusLine = head.substring(0, head.indexOf('\n')).trim();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException(proxy + " did not answer CONNECT in HTTP/1.1");
        }
        switch (parts[1]) {
            case "200" -> {
            }
            case "407" -> throw new IOException(proxy + " requires a login for " + target
                    + " (put user:password@ in HTTPS_PROXY)");
            default -> throw new IOException(proxy + " refused to connect to " + target + ": " + statusLine);
        }
    }

    /**
     * The proxy's answer up to its blank line, read a byte at a time: what follows belongs to
     * the TLS handshake and must stay in the socket.
     */
    private static String readHead(InputStream in, Proxies.Proxy proxy) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(proxy + " closed the connection instead of answering CONNECT");
            }
            head.append((char) b);
            int length = head.length();
            if (b == '\n' && (head.lastIndexOf("\r\n\r\n") == length - 4 || head.lastIndexOf("\n\n") == length - 2)) {
                return head.toString();
            }
        }
        throw new IOException(proxy + " sent an answer to CONNECT longer than " + MAX_HEAD + " bytes");
    }
}
