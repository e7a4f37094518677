package dev.berth.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jackson's streaming parser and generator, for the JSON on a pull's critical path: manifests
 * and the store's name list. {@link Json}'s data binder builds its record deserialisers by
 * reflection on first use, which cost a short-lived command 0.1-0.2 s of CPU before its first
 * layer request (bench/pull); these read and write field by field instead, with the same
 * duplicate-key strictness.
 */
public final class JsonStreams {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonStreams() {
    }

    /** Reads one field's value; the parser is on the value's first token and must be left on its last. */
    @FunctionalInterface
    public interface FieldReader {
        void read(String name, JsonParser parser) throws IOException;
    }

    /** Reads one value; the parser is on its first token and must be left on its last. */
    @FunctionalInterface
    public interface ValueReader<T> {
        T read(JsonParser parser) throws IOException;
    }

    /** Parses a whole document whose top level is an object; {@code what} names it in errors. */
    public static void readDocument(byte[] bytes, String what, FieldReader fields) {
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidImageException(what + " is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidImageException(what + " is not a JSON object");
            }
            readObject(parser, what, fields);
            if (parser.nextToken() != null) {
                throw new InvalidImageException(what + " is not valid JSON: content after the top-level object");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidImageException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidImageException(what + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** Reads the object the parser is on, handing each field to {@code fields}. */
    public static void readObject(JsonParser parser, String what, FieldReader fields) throws IOException {
        expect(parser, JsonToken.START_OBJECT, what, "an object");
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            fields.read(name, parser);
        }
    }

    /** An array of values, or null for JSON null. */
    public static <T> List<T> array(JsonParser parser, String what, ValueReader<T> element) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(parser, JsonToken.START_ARRAY, what, "an array");
        List<T> values = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            values.add(element.read(parser));
        }
        return values;
    }

    /** An object of string values, or null for JSON null. */
    public static Map<String, String> stringMap(JsonParser parser, String what) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        readObject(parser, what, (name, value) -> values.put(name, string(value, what + "." + name)));
        return values;
    }

    public static List<String> strings(JsonParser parser, String what) throws IOException {
        return array(parser, what, element -> string(element, what + "[]"));
    }

    /** A string, or null for JSON null. */
    public static String string(JsonParser parser, String what) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(parser, JsonToken.VALUE_STRING, what, "a string");
        return parser.getText();
    }

    public static long integer(JsonParser parser, String what) throws IOException {
        expect(parser, JsonToken.VALUE_NUMBER_INT, what, "an integer");
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw shapeError(what, "a 64-bit integer");
        }
        return parser.getLongValue();
    }

    private static void expect(JsonParser parser, JsonToken token, String what, String expected) {
        if (parser.currentToken() != token) {
            throw shapeError(what, expected);
        }
    }

    private static InvalidImageException shapeError(String what, String expected) {
        return new InvalidImageException(what + " is not valid JSON of the expected shape: it must be " + expected);
    }

    /** A compact generator writing to {@code out}; closing it does not close {@code out}. */
    public static JsonGenerator generator(OutputStream out) throws IOException {
        return FACTORY.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    /** Writes a string field only when it has a value, as the data binder's NON_EMPTY does. */
    public static void writeIfPresent(JsonGenerator generator, String name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            generator.writeStringField(name, value);
        }
    }

    public static void writeIfPresent(JsonGenerator generator, String name, List<String> values) throws IOException {
        if (values != null && !values.isEmpty()) {
            generator.writeArrayFieldStart(name);
            for (String value : values) {
                generator.writeString(value);
            }
            generator.writeEndArray();
        }
    }

    public static void writeIfPresent(JsonGenerator generator, String name, Map<String, String> values) throws IOException {
        if (values != null && !values.isEmpty()) {
            generator.writeObjectFieldStart(name);
            for (Map.Entry<String, String> entry : values.entrySet()) {
                generator.writeStringField(entry.getKey(), entry.getValue());
            }
            generator.writeEndObject();
        }
    }
}
