package dev.berth.distribution.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and secret (password or access token) for one registry. {@link #toString()} never shows the secret. */
public record Credentials(String username, String secret) {
    public Credentials {
        if (username == null || secret == null) {
            throw new IllegalArgumentException("username and secret are required");
        }
    }

    /** The value of an {@code Authorization: Basic} header and of a config file's {@code auth} field. */
    public String basicToken() {
        return Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a config file's {@code auth} field, {@code base64(user:secret)}; null when it is not that. */
    public static Credentials fromBasicToken(String token) {
        try {
            String decoded = new String(Base64.getDecoder().decode(token.trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon <= 0 ? null : new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", secret=<hidden>]";
    }
}
