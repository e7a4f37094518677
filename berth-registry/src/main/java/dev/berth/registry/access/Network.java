package dev.berth.registry.access;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A block of client addresses written as CIDR, {@code 10.0.0.0/8} or {@code 2001:db8::/32}. */
public final class Network {
    private final byte[] prefix;
    private final int bits;
    private final String text;

    private Network(byte[] prefix, int bits, String text) {
        this.prefix = prefix;
        this.bits = bits;
        this.text = text;
    }

    public static Network parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        if (!address.matches("[0-9a-fA-F:.]+")) {
            throw invalid(text);
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw invalid(text);
        }
        int bits;
        try {
            bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
        if (bits < 0 || bits > bytes.length * 8) {
            throw invalid(text);
        }
        return new Network(bytes, bits, t);
    }

    /** Whether a client's address (as the server saw it) lies in this block; unparsable addresses never do. */
    public boolean contains(String clientAddress) {
        if (clientAddress == null || !clientAddress.matches("[0-9a-fA-F:.\\[\\]%a-zA-Z]+")) {
            return false;
        }
        byte[] client;
        try {
            client = InetAddress.getByName(clientAddress.replace("[", "").replace("]", "")).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        if (client.length != prefix.length) {
            return false;
        }
        for (int bit = 0; bit < bits; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((client[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("\"" + text + "\" is not a network: write it as CIDR, e.g. 10.0.0.0/8 or 2001:db8::/32");
    }
}
