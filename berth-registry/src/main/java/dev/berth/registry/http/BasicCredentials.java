package dev.berth.registry.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** An {@code Authorization: Basic} header's name and secret; never logged. */
public record BasicCredentials(String name, String secret) {
    /** Longer headers are not credentials of ours and are not decoded. */
    private static final int MAX_HEADER_LENGTH = 8 * 1024;

    @Override
    public String toString() {
        return "BasicCredentials[" + name + "]";
    }

    public static Optional<BasicCredentials> parse(String header) {
        if (header == null || header.length() > MAX_HEADER_LENGTH || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }
}
