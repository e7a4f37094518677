package dev.berth.distribution;

import dev.berth.distribution.config.BerthConfig;
import dev.berth.distribution.http.Http1Client;
import dev.berth.distribution.http.Response;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A GET of any http or https URL (a build's {@code ADD URL}) the way berth reaches registries:
 * through the environment's proxies, trusting what the system bundle, the host's certs.d
 * directory and config.toml's {@code ca} vouch for, showing a client certificate where one is
 * configured; redirects are followed.
 */
public final class WebDownload {
    private static final int MAX_REDIRECTS = 5;

    private WebDownload() {
    }

    /** The final response, whatever its status; the caller reads and closes it. */
    public static Response get(BerthConfig config, URI uri) throws IOException {
        URI target = uri;
        for (int redirects = 0; ; redirects++) {
            String host = target.getPort() < 0 ? target.getHost() : target.getHost() + ":" + target.getPort();
            Http1Client http = new Http1Client(new RegistryTls(config.registry(host))::socketFactory, config.proxies(),
                    RegistryClient.CONNECT_TIMEOUT, RegistryClient.READ_TIMEOUT);
            Response response = http.send("GET", target, List.of(), null);
            Optional<String> location = response.header("Location");
            boolean redirect = List.of(301, 302, 303, 307, 308).contains(response.status());
            if (!redirect || location.isEmpty() || redirects == MAX_REDIRECTS) {
                return response;
            }
            response.close();
            http.close();
            target = target.resolve(location.get());
        }
    }
}
