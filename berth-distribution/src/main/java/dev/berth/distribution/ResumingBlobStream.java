package dev.berth.distribution;

import dev.berth.distribution.auth.Scope;
import dev.berth.distribution.http.Response;
import dev.berth.oci.Descriptor;
import dev.berth.oci.NotFoundException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * A blob download that survives cut connections: when the stream breaks or ends early it asks
 * again with {@code Range: bytes=N-} and carries on where it stopped. It reads no more than the
 * descriptor's size, connects only on the first read (so a blob the sink can mount is never
 * fetched), and gives up after the retry policy's attempts in a row bring no new byte. The
 * digest is checked by whoever consumes the stream.
 */
final class ResumingBlobStream extends InputStream {
    private final RegistryClient client;
    private final URI uri;
    private final Scope scope;
    private final Descriptor blob;
    private InputStream current;
    private long position;
    private int failuresWithoutProgress;

    /** Starts at byte {@code from}: 0, or what a sink kept of an earlier download. */
    ResumingBlobStream(RegistryClient client, URI uri, Scope scope, Descriptor blob, long from) {
        this.client = client;
        this.uri = uri;
        this.scope = scope;
        this.blob = blob;
        this.position = from;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position < blob.size()) {
            try {
                if (current == null) {
                    current = open();
                }
                int n = current.read(buffer, offset, (int) Math.min(length, blob.size() - position));
                if (n > 0) {
                    position += n;
                    failuresWithoutProgress = 0;
                    return n;
                }
                throw new java.io.EOFException("the registry ended the download after " + position + " of "
                        + blob.size() + " bytes");
            } catch (java.io.InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                closeCurrent();
                if (++failuresWithoutProgress >= client.retryPolicy().attempts()) {
                    throw new RegistryException("REGISTRY_UNAVAILABLE", "download of blob " + blob.digest() + " from "
                            + client.registry() + " kept failing at byte " + position + " of " + blob.size() + ": "
                            + e.getMessage() + " (gave up after " + failuresWithoutProgress + " attempts)", e);
                }
                RetryPolicy.sleep(client.retryPolicy().delayAfter(failuresWithoutProgress, null));
            }
        }
        return -1;
    }

    private InputStream open() throws IOException {
        RegistryClient.Call call = position == 0
                ? new RegistryClient.Call("GET", uri, scope)
                : new RegistryClient.Call("GET", uri, scope, null,
                        "Range", "bytes=" + position + "-");
        Response response = client.send(call);
        switch (response.status()) {
            case 200 -> {
                // The server ignored Range: skip what we already have.
                InputStream body = response.body();
                body.skipNBytes(position);
                return body;
            }
            case 206 -> {
                String range = response.header("Content-Range").orElse("");
                if (!range.startsWith("bytes " + position + "-")) {
                    response.close();
                    throw new IOException("the registry resumed at the wrong offset (" + range + ")");
                }
                return response.body();
            }
            case 404 -> {
                response.close();
                throw new NotFoundException("blob " + blob.digest() + " is not in " + client.registry() + " ("
                        + uri.getPath() + ")");
            }
            default -> throw client.failure(response, "download of blob " + blob.digest());
        }
    }

    private void closeCurrent() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // The connection is already broken; nothing more to release.
            }
            current = null;
        }
    }

    @Override
    public void close() {
        closeCurrent();
    }
}
