package dev.berth.registry.access;

import dev.berth.oci.Digest;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random secrets handed out once (tokens, the first admin password) and the hash that is stored
 * in their place. A token has 256 random bits, so a plain SHA-256 suffices; passwords, which people
 * choose, get argon2id instead ({@link PasswordHasher}).
 */
public final class Secrets {
    /** Marks a personal access token, so sign-in knows not to treat it as a password. */
    public static final String PERSONAL_TOKEN_PREFIX = "berth_pat_";
    public static final String REFRESH_TOKEN_PREFIX = "berth_rt_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String secret) {
        return Digest.of(secret.getBytes(StandardCharsets.UTF_8)).hex();
    }
}
