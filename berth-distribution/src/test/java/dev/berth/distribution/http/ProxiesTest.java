package dev.berth.distribution.http;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which requests go through which proxy, from the variables Docker and Podman users already set. */
class ProxiesTest {
    private static final Proxies SITE = Proxies.fromEnvironment(Map.of(
            "HTTPS_PROXY", "http://proxy.site:3128",
            "http_proxy", "http://plain-proxy.site:8080",
            "NO_PROXY", "internal.site, .campus.example, 10.0.0.0/8, 192.168.1.7, fd00::/8, registry.other:5000"));

    @Test
    void httpsAndPlainHttpEachUseTheirOwnVariable() {
        assertThat(proxyFor("https://ghcr.io/v2/")).isEqualTo("proxy.site:3128");
        assertThat(proxyFor("http://registry.site:5000/v2/")).isEqualTo("plain-proxy.site:8080");
    }

    @Test
    void noProxyNamesHostsTheirSubdomainsAddressesRangesAndPorts() {
        assertThat(proxyFor("https://internal.site/v2/")).isNull();
        assertThat(proxyFor("https://registry.internal.site/v2/")).isNull();
        assertThat(proxyFor("https://notinternal.site/v2/")).isEqualTo("proxy.site:3128");
        assertThat(proxyFor("https://git.campus.example/v2/")).isNull();
        assertThat(proxyFor("https://10.20.30.40/v2/")).isNull();
        assertThat(proxyFor("https://11.0.0.1/v2/")).isEqualTo("proxy.site:3128");
        assertThat(proxyFor("https://192.168.1.7/v2/")).isNull();
        assertThat(proxyFor("https://[fd12::1]/v2/")).isNull();
        assertThat(proxyFor("https://registry.other:5000/v2/")).isNull();
        assertThat(proxyFor("https://registry.other/v2/")).isEqualTo("proxy.site:3128");
    }

    @Test
    void loopbackIsNeverProxiedAndAStarProxiesNothing() {
        assertThat(proxyFor("https://127.0.0.1:5000/v2/")).isNull();
        assertThat(proxyFor("https://localhost:5000/v2/")).isNull();
        Proxies none = Proxies.fromEnvironment(Map.of("HTTPS_PROXY", "proxy.site:3128", "no_proxy", "*"));
        assertThat(none.forTarget(Http1Client.Origin.of(URI.create("https://ghcr.io/")))).isEmpty();
    }

    @Test
    void credentialsInTheUrlBecomeABasicLogin() {
        Proxies proxies = Proxies.fromEnvironment(Map.of("HTTPS_PROXY", "http://me:p%40ss@proxy.site:3128"));

        assertThat(proxies.forTarget(Http1Client.Origin.of(URI.create("https://ghcr.io/"))).orElseThrow().authorization())
                .isEqualTo("Basic bWU6cEBzcw==");
    }

    @Test
    void aProxyBerthCannotSpeakToIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> Proxies.fromEnvironment(Map.of("HTTPS_PROXY", "socks5://proxy.site:1080")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HTTPS_PROXY");
    }

    private static String proxyFor(String url) {
        return SITE.forTarget(Http1Client.Origin.of(URI.create(url))).map(p -> p.host() + ":" + p.port()).orElse(null);
    }
}
