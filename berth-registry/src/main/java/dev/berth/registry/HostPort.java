package dev.berth.registry;

/** A listen address as {@code HOST:PORT} ({@code [::1]:5000} for IPv6). */
public record HostPort(String host, int port) {

    public static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("invalid listen address \"" + text + "\": expected HOST:PORT, e.g. 127.0.0.1:5000");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port in listen address \"" + text + "\"");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " in \"" + text + "\" is out of range");
        }
        return new HostPort(host, port);
    }
}
