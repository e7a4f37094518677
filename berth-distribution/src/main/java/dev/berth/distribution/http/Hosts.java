package dev.berth.distribution.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** What a host name or address says about where it is, decided without asking DNS. */
public final class Hosts {
    private Hosts() {
    }

    /**
     * True for {@code localhost} and loopback address literals. Any other name is not loopback
     * here, whatever DNS says: the answer decides whether plain HTTP and going without a proxy
     * are safe, and a resolver must not be able to change that.
     *
     * @param host a name or address, IPv6 without brackets
     */
    public static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return isAddressLiteral(host) && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A literal IPv4 or IPv6 address: looking it up never asks DNS. */
    static boolean isAddressLiteral(String text) {
        return !text.isEmpty() && (text.matches("[0-9.]+") || (text.contains(":") && text.matches("[0-9a-fA-F:.]+")));
    }
}
