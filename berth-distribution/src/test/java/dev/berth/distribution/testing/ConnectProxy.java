package dev.berth.distribution.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An HTTP proxy on 127.0.0.1 that only tunnels ({@code CONNECT}), as site proxies do for HTTPS.
 * Whatever host a tunnel asks for, it connects to 127.0.0.1 at the asked port, so a test can use
 * a name no DNS knows. It records each CONNECT request's head.
 */
public final class ConnectProxy implements AutoCloseable {
    private final ServerSocket socket;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    public ConnectProxy() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("connect-proxy").start(this::accept);
    }

    public String url(String userInfo) {
        return "http://" + (userInfo == null ? "" : userInfo + "@") + "127.0.0.1:" + socket.getLocalPort();
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread.ofPlatform().daemon().start(() -> tunnel(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void tunnel(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.append((char) b);
            }
            requests.add(head.toString());
            String target = head.substring(0, head.indexOf("\r\n")).split(" ")[1];
            int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
            try (Socket server = new Socket(InetAddress.getLoopbackAddress(), port)) {
                client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                Thread upstream = Thread.ofPlatform().daemon().start(() -> pipe(in, server));
                pipe(server.getInputStream(), client);
                upstream.join();
            }
        } catch (IOException | InterruptedException e) {
            // the tunnel ends when either side closes
        }
    }

    private static void pipe(InputStream from, Socket to) {
        try {
            OutputStream out = to.getOutputStream();
            from.transferTo(out);
            to.shutdownOutput();
        } catch (IOException e) {
            // the other side closed first
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
