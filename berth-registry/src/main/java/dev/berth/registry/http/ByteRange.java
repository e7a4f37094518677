package dev.berth.registry.http;

/** The single byte range of a blob GET's {@code Range} header (RFC 9110 section 14). */
final class ByteRange {
    private static final long[] WHOLE = new long[0];

    private ByteRange() {
    }

    /**
     * Returns {start, end} (inclusive, clamped to the blob), an empty array to serve the whole blob
     * (a header this server does not interpret, such as several ranges), or null when the range
     * cannot be satisfied (416).
     */
    static long[] parse(String header, long size) {
        String value = header.strip();
        if (!value.startsWith("bytes=") || value.indexOf(',') >= 0) {
            return WHOLE;
        }
        String spec = value.substring("bytes=".length()).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String first = spec.substring(0, dash).strip();
        String last = spec.substring(dash + 1).strip();
        try {
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                if (suffix <= 0 || size == 0) {
                    return null;
                }
                return new long[] {Math.max(0, size - suffix), size - 1};
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? size - 1 : Long.parseLong(last);
            if (start < 0 || end < start || start >= size) {
                return null;
            }
            return new long[] {start, Math.min(end, size - 1)};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
