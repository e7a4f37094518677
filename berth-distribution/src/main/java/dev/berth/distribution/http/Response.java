package dev.berth.distribution.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A response whose headers are in and whose body is still on the wire. It must be closed: a body
 * read to its end hands its connection back for the next request, one closed earlier drops it.
 */
public final class Response implements AutoCloseable {
    private final URI uri;
    private final int status;
    private final Map<String, List<String>> headers;
    private final InputStream body;

    Response(URI uri, int status, Map<String, List<String>> headers, InputStream body) {
        this.uri = uri;
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** The URI that was asked for; redirects are the caller's to follow. */
    public URI uri() {
        return uri;
    }

    public int status() {
        return status;
    }

    /** The first value of a header; names are matched without regard to case. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public InputStream body() {
        return body;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
