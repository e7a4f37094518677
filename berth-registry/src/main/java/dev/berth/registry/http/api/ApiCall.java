package dev.berth.registry.http.api;

import static dev.berth.registry.http.Responses.JSON;
import static dev.berth.registry.http.Responses.json;
import static dev.berth.registry.http.Responses.write;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.BerthException;
import dev.berth.oci.Json;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.Principal;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** One API request: who makes it, from where, and the means to read its body and answer it. */
record ApiCall(String method, String[] path, Principal caller, String address, Request request, Response response,
               Callback callback) {
    private static final int MAX_BODY_BYTES = 256 * 1024;
    /** The metadata's name columns. */
    static final int MAX_TEXT = 255;
    /** The metadata's list columns. */
    static final int MAX_LIST = 4000;

    interface Parsing<T> {
        T parse();
    }

    /** A value the client sent that does not parse: a 400 with the parser's own message. */
    static <T> T parse(Parsing<T> parsing) {
        try {
            return parsing.parse();
        } catch (BerthException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, e.getMessage());
        }
    }

    JsonNode body() throws IOException {
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, 413, "request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            JsonNode body = Json.mapper().readTree(bytes);
            if (body == null || !body.isObject()) {
                throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "the request body must be a JSON object");
            }
            return body;
        } catch (IOException e) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "the request body is not JSON: " + e.getMessage());
        }
    }

    /** A string field of at most {@link #MAX_TEXT} characters (names, digests, tags, times). */
    static String text(JsonNode body, String field) {
        return text(body, field, MAX_TEXT);
    }

    static String text(JsonNode body, String field, int maxLength) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "the request body needs a \"" + field + "\" string");
        }
        if (value.asText().length() > maxLength) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "\"" + field + "\" is longer than " + maxLength + " characters");
        }
        return value.asText();
    }

    /** A list stored as one text (groups, networks, scopes) must fit its column. */
    static String fitting(String text, String field) {
        if (text.length() > MAX_LIST) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "\"" + field + "\" is longer than " + MAX_LIST
                    + " characters in all");
        }
        return text;
    }

    /** A field that is a list of strings, or a string of words separated by commas or spaces; empty when absent. */
    static List<String> words(JsonNode body, String field) {
        JsonNode value = body.path(field);
        List<String> words = new ArrayList<>();
        if (value.isTextual()) {
            for (String word : value.asText().split("[\\s,]+")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        } else if (value.isArray()) {
            value.forEach(word -> words.add(word.asText()));
        } else if (!value.isMissingNode() && !value.isNull()) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "\"" + field + "\" must be a list of strings");
        }
        return words;
    }

    String query(String name) {
        return request.getHttpURI().getQuery() == null ? null : Request.extractQueryParameters(request).getValue(name);
    }

    void requireSignedIn(String what) {
        if (caller.anonymous()) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, what + " needs a signed-in user");
        }
    }

    void requireAdmin() {
        requireSignedIn("this");
        if (!caller.admin()) {
            throw new RegistryException(ErrorCode.DENIED, "this needs a site admin; " + caller.name() + " is not one");
        }
    }

    void ok(int status, JsonNode body) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.setStatus(status);
        write(response, callback, JSON, json(body));
    }

    void noContent() {
        response.setStatus(204);
        write(response, callback, null, null);
    }
}
