package dev.berth.distribution;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.berth.oci.JsonStreams;

import java.io.IOException;
import java.util.Optional;

/**
 * The first error of a registry's error body, {@code {"errors":[{"code":...,"message":...}]}} as
 * the distribution spec shapes it. Read with the streaming parser, as everything on a pull's path
 * is: the data binder's first use costs a short command a tenth of a second.
 */
record OciError(String code, String message) {
    /** The first error in {@code body}, or empty when the body is not an OCI error (HTML from a proxy, say). */
    static Optional<OciError> firstIn(byte[] body) {
        Holder first = new Holder();
        try {
            JsonStreams.readDocument(body, "error", (name, parser) -> {
                if (name.equals("errors") && parser.currentToken() == JsonToken.START_ARRAY) {
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        if (first.error == null && parser.currentToken() == JsonToken.START_OBJECT) {
                            first.error = read(parser);
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            });
        } catch (RuntimeException notJson) {
            return Optional.empty();
        }
        return Optional.ofNullable(first.error);
    }

    private static OciError read(JsonParser parser) throws IOException {
        String[] fields = new String[2];
        JsonStreams.readObject(parser, "error", (name, value) -> {
            int index = name.equals("code") ? 0 : name.equals("message") ? 1 : -1;
            if (index >= 0 && value.currentToken() == JsonToken.VALUE_STRING) {
                fields[index] = value.getText();
            } else {
                value.skipChildren();
            }
        });
        return new OciError(fields[0], fields[1]);
    }

    private static final class Holder {
        OciError error;
    }
}
