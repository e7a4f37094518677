package dev.berth.registry;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The inclusive byte range of an upload chunk, from a {@code Content-Range: START-END} header. */
public record ContentRange(long start, long end) {
    // The spec's form is START-END; Docker clients have sent "bytes START-END/TOTAL" too.
    private static final Pattern FORM = Pattern.compile("^(?:bytes[ =])?([0-9]{1,18})-([0-9]{1,18})(?:/(?:[0-9]+|\\*))?$");

    /** Parses the header; null when absent, a BLOB_UPLOAD_INVALID error when malformed. */
    public static ContentRange parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Matcher matcher = FORM.matcher(header.strip());
        if (!matcher.matches()) {
            throw RegistryException.rangeNotSatisfiable("invalid Content-Range \"" + header + "\": expected START-END");
        }
        long start = Long.parseLong(matcher.group(1));
        long end = Long.parseLong(matcher.group(2));
        if (end < start) {
            throw RegistryException.rangeNotSatisfiable("invalid Content-Range \"" + header + "\": END is before START");
        }
        return new ContentRange(start, end);
    }

    public long length() {
        return end - start + 1;
    }
}
