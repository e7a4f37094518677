package dev.berth.oci;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.HexFormat;

/**
 * A content digest such as {@code sha256:9f86d0...}: the identity of every blob and manifest.
 * Only registered algorithms with lower-case hex of the right length are accepted, so two equal
 * digests always have equal strings.
 */
public record Digest(DigestAlgorithm algorithm, String hex) implements Comparable<Digest> {

    public Digest {
        if (algorithm == null || hex == null || hex.length() != algorithm.hexLength() || !isLowerHex(hex)) {
            throw new BerthException("DIGEST_INVALID", "invalid digest " + algorithm + ":" + hex);
        }
    }

    @JsonCreator
    public static Digest parse(String text) {
        if (text == null) {
            throw new BerthException("DIGEST_INVALID", "missing digest");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new BerthException("DIGEST_INVALID", "invalid digest \"" + text + "\": expected ALGORITHM:HEX");
        }
        DigestAlgorithm algorithm = DigestAlgorithm.byId(text.substring(0, colon));
        if (algorithm == null) {
            throw new BerthException("DIGEST_INVALID", "invalid digest \"" + text
                    + "\": unsupported algorithm (berth knows sha256 and sha512)");
        }
        String hex = text.substring(colon + 1);
        if (hex.length() != algorithm.hexLength() || !isLowerHex(hex)) {
            throw new BerthException("DIGEST_INVALID", "invalid digest \"" + text + "\": expected "
                    + algorithm.hexLength() + " lower-case hex characters after \"" + algorithm.id() + ":\"");
        }
        return new Digest(algorithm, hex);
    }

    /** True when the text is a well-formed digest of a registered algorithm. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (BerthException e) {
            return false;
        }
    }

    public static Digest of(byte[] content) {
        return of(DigestAlgorithm.SHA256, content);
    }

    public static Digest of(DigestAlgorithm algorithm, byte[] content) {
        return new Digest(algorithm, HexFormat.of().formatHex(algorithm.newMessageDigest().digest(content)));
    }

    /** The first twelve hex characters, as {@code docker images} shows image ids. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @JsonValue
    @Override
    public String toString() {
        return algorithm.id() + ":" + hex;
    }

    // equals and hashCode are written out because the ones a record generates link method handles
    // at their first call, spinning classes that the AOT cache does not keep: 20-30 ms of a pull
    // (docs/benchmarks.md), and digests are map keys on every path.
    @Override
    public boolean equals(Object other) {
        return other instanceof Digest that && algorithm == that.algorithm && hex.equals(that.hex);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }

    @Override
    public int compareTo(Digest other) {
        return toString().compareTo(other.toString());
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
