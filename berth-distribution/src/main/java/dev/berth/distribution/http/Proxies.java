package dev.berth.distribution.http;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP proxies the environment names, as Docker, Podman and skopeo read them:
 * {@code HTTPS_PROXY} for HTTPS registries (reached through a {@code CONNECT} tunnel),
 * {@code HTTP_PROXY} for plain-HTTP ones, each also in lower case, and {@code NO_PROXY} for the
 * hosts reached directly: {@code *}, names (which match their subdomains too, with or without a
 * leading dot), IP addresses and CIDR ranges, each optionally with {@code :port}. Loopback
 * addresses are never proxied.
 */
public final class Proxies {
    public static final Proxies NONE = new Proxies(null, null, List.of());

    private final Proxy https;
    private final Proxy http;
    private final List<String> exceptions;

    /** Where to connect instead of the target, and the {@code Proxy-Authorization} to send (or null). */
    record Proxy(String host, int port, String authorization) {
        @Override
        public String toString() {
            return "proxy " + host + ":" + port;
        }
    }

    private Proxies(Proxy https, Proxy http, List<String> exceptions) {
        this.https = https;
        this.http = http;
        this.exceptions = exceptions;
    }

    /** @throws IllegalArgumentException naming the variable whose value is not a usable proxy URL */
    public static Proxies fromEnvironment(Map<String, String> environment) {
        Proxy https = parse(environment, "HTTPS_PROXY");
        Proxy http = parse(environment, "HTTP_PROXY");
        String noProxy = first(environment, "NO_PROXY");
        List<String> exceptions = new ArrayList<>();
        if (noProxy != null) {
            for (String entry : noProxy.split(",")) {
                if (!entry.isBlank()) {
                    exceptions.add(entry.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return https == null && http == null ? NONE : new Proxies(https, http, List.copyOf(exceptions));
    }

    private static String first(Map<String, String> environment, String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            value = environment.get(name.toLowerCase(Locale.ROOT));
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Proxy parse(Map<String, String> environment, String name) {
        String value = first(environment, name);
        if (value == null) {
            return null;
        }
        URI uri;
        try {
            uri = URI.create(value.contains("://") ? value : "http://" + value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not a proxy URL (http://[user:password@]host:port)");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(name + " must be an http:// proxy URL with a host; berth speaks"
                    + " to proxies in plain HTTP (it reaches HTTPS registries through CONNECT)");
        }
        String authorization = uri.getRawUserInfo() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                java.net.URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new Proxy(host, uri.getPort() == -1 ? 80 : uri.getPort(), authorization);
    }

    /** The proxy to reach {@code target} through, or empty to connect directly. */
    Optional<Proxy> forTarget(Http1Client.Origin target) {
        Proxy proxy = target.secure() ? https : http;
        if (proxy == null || Hosts.isLoopback(target.host()) || excepted(target)) {
            return Optional.empty();
        }
        return Optional.of(proxy);
    }

    private boolean excepted(Http1Client.Origin target) {
        String host = target.host().toLowerCase(Locale.ROOT);
        for (String entry : exceptions) {
            if (entry.equals("*")) {
                return true;
            }
            String pattern = entry;
            int colon = entry.startsWith("[") ? entry.indexOf("]:") + 1 : entry.indexOf(':');
            boolean withPort = colon > 0 && colon == entry.lastIndexOf(':') && entry.substring(colon + 1).matches("[0-9]{1,5}");
            if (withPort) {
                if (Integer.parseInt(entry.substring(colon + 1)) != target.port()) {
                    continue;
                }
                pattern = entry.substring(0, colon);
            }
            if (pattern.contains("/") ? inRange(host, pattern) : matchesName(host, pattern)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesName(String host, String pattern) {
        String name = pattern.startsWith(".") ? pattern.substring(1) : pattern;
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return host.equals(name) || host.endsWith("." + name);
    }

    /** {@code host} is an IP address inside the CIDR range {@code range}; names never are. */
    private static boolean inRange(String host, String range) {
        int slash = range.indexOf('/');
        if (!Hosts.isAddressLiteral(host) || !Hosts.isAddressLiteral(range.substring(0, slash))) {
            return false;
        }
        try {
            byte[] address = InetAddress.getByName(host).getAddress();
            byte[] network = InetAddress.getByName(range.substring(0, slash)).getAddress();
            int bits = Integer.parseInt(range.substring(slash + 1));
            if (address.length != network.length || bits < 0 || bits > address.length * 8) {
                return false;
            }
            int shift = address.length * 8 - bits;
            return new BigInteger(1, address).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

}
