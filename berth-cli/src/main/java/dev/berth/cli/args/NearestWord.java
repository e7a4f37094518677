package dev.berth.cli.args;

import java.util.Collection;
import java.util.Optional;

/** The known word a mistyped one most likely meant, for "did you mean" hints as git and Docker give them. */
public final class NearestWord {
    private NearestWord() {
    }

    /**
     * The candidate closest to {@code typed} by edit distance (a swap of neighbours counts as one
     * edit), if it is close enough to be a typo: at most one edit for short words, two for longer.
     */
    public static Optional<String> to(String typed, Collection<String> candidates) {
        int allowed = typed.length() <= 4 ? 1 : 2;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(typed, candidate);
            if (distance <= allowed && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The hint to append to an error message: {@code "; did you mean 'pull'?"}, or nothing. */
    public static String hint(String typed, Collection<String> candidates) {
        return to(typed, candidates).map(word -> "; did you mean '" + word + "'?").orElse("");
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
