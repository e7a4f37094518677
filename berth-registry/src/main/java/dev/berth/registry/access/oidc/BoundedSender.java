package dev.berth.registry.access.oidc;

import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Sends the OIDC SDK's requests to the identity provider and reads at most {@link #MAX_ANSWER_BYTES}
 * of each answer: the provider's answers are untrusted input like any other, and the SDK's own
 * sender reads whole bodies, however large.
 */
final class BoundedSender implements HTTPRequestSender {
    static final int MAX_ANSWER_BYTES = 1 << 20;
    /** Headers the JDK client sets itself and refuses to be given. */
    private static final Set<String> CLIENT_HEADERS = Set.of("content-length", "host", "connection", "expect", "upgrade");

    private final HttpClient http;
    private final Duration readTimeout;

    BoundedSender(Duration connectTimeout, Duration readTimeout) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.readTimeout = readTimeout;
    }

    @Override
    public ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request) throws IOException {
        String body = request.getBody();
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.getURI()).timeout(readTimeout)
                .method(request.getMethod().name(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (Map.Entry<String, List<String>> header : request.getHeaderMap().entrySet()) {
            if (!CLIENT_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                header.getValue().forEach(value -> builder.header(header.getKey(), value));
            }
        }
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while asking " + request.getURI().getHost());
        }
        byte[] bytes;
        try (InputStream in = answer.body()) {
            bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
        }
        if (bytes.length > MAX_ANSWER_BYTES) {
            throw new IOException("its answer is larger than " + MAX_ANSWER_BYTES + " bytes");
        }
        HTTPResponse response = new HTTPResponse(answer.statusCode());
        answer.headers().map().forEach((name, values) -> response.setHeader(name, values.toArray(String[]::new)));
        response.setBody(new String(bytes, StandardCharsets.UTF_8));
        return response;
    }
}
