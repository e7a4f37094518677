package dev.berth.trust;

import dev.berth.oci.BerthException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** One PEM block (RFC 7468): a type label around base64 content. */
public record Pem(String type, byte[] content) {
    private static final int MAX_SIZE = 64 * 1024;

    public String encode() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(content);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** The first PEM block in {@code text}; {@code what} names the file in errors. */
    public static Pem decode(byte[] text, String what) {
        if (text.length > MAX_SIZE) {
            throw new BerthException("KEY_INVALID", what + " is larger than any key file (" + text.length + " bytes)");
        }
        String all = new String(text, StandardCharsets.US_ASCII);
        int begin = all.indexOf("-----BEGIN ");
        int typeEnd = begin < 0 ? -1 : all.indexOf("-----", begin + 11);
        if (typeEnd < 0) {
            throw new BerthException("KEY_INVALID", what + " is not a PEM file (no -----BEGIN line)");
        }
        String type = all.substring(begin + 11, typeEnd);
        String footer = "-----END " + type + "-----";
        int end = all.indexOf(footer, typeEnd);
        if (end < 0) {
            throw new BerthException("KEY_INVALID", what + " has no " + footer + " line");
        }
        try {
            return new Pem(type, Base64.getMimeDecoder().decode(all.substring(typeEnd + 5, end)));
        } catch (IllegalArgumentException e) {
            throw new BerthException("KEY_INVALID", what + " holds invalid base64 in its " + type + " block");
        }
    }
}
