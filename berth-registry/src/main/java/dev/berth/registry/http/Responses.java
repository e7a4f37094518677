package dev.berth.registry.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/** How every route answers: whole bodies with their length, errors in the spec's JSON shape. */
public final class Responses {
    public static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");

    private Responses() {
    }

    static Digest digest(String text) {
        try {
            return Digest.parse(text);
        } catch (BerthException e) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, e.getMessage());
        }
    }

    static void requireMethod(String method, String... allowed) {
        for (String candidate : allowed) {
            if (candidate.equals(method)) {
                return;
            }
        }
        throw methodNotAllowed(method);
    }

    public static RegistryException methodNotAllowed(String method) {
        return new RegistryException(ErrorCode.UNSUPPORTED, 405, "method " + method + " is not supported here");
    }

    static void accepted(Response response, Callback callback) {
        response.setStatus(202);
        write(response, callback, null, null);
    }

    public static void write(Response response, Callback callback, HttpField contentType, byte[] body) {
        if (contentType != null) {
            response.getHeaders().put(contentType);
        }
        int length = body == null ? 0 : body.length;
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        if (body == null) {
            response.write(true, null, callback);
        } else {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    static ObjectNode errorBody(String code, String message) {
        ObjectNode body = Json.mapper().createObjectNode();
        ObjectNode error = body.putArray("errors").addObject();
        error.put("code", code);
        error.put("message", message);
        error.putObject("detail");
        return body;
    }

    public static byte[] json(Object value) {
        return Json.write(value);
    }
}
