package dev.berth.registry.access.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.OidcConfig;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The identity provider as the registry sees it: its metadata from discovery, fetched on first use
 * and again after a failure, so a provider that is down delays sign-ins but never the registry's
 * start; the registry's client credentials there; and the checker of its ID tokens.
 */
public final class IdentityProvider {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_KEYS_BYTES = 512 * 1024;

    private record Discovered(OIDCProviderMetadata metadata, IdTokens idTokens) {
    }

    private final OidcConfig config;
    private final ClientID client;
    private final BoundedSender sender = new BoundedSender(CONNECT_TIMEOUT, READ_TIMEOUT);
    private volatile Discovered discovered;

    public IdentityProvider(OidcConfig config) {
        this.config = config;
        this.client = new ClientID(config.clientId());
    }

    public OidcConfig config() {
        return config;
    }

    public ClientID client() {
        return client;
    }

    /** How the registry proves itself to the provider: Basic with its secret, or only its id as a public client. */
    public ClientAuthentication authentication() {
        return config.clientSecret() == null ? null : new ClientSecretBasic(client, new Secret(config.clientSecret()));
    }

    public OIDCProviderMetadata metadata() {
        return discover().metadata();
    }

    public IdTokens idTokens() {
        return discover().idTokens();
    }

    /** Sends the grant to the token endpoint as the registry's client: the provider's answer, success or OAuth error. */
    public TokenResponse exchange(AuthorizationGrant grant, String what) {
        URI endpoint = metadata().getTokenEndpointURI();
        TokenRequest request = authentication() == null ? new TokenRequest(endpoint, client, grant)
                : new TokenRequest(endpoint, authentication(), grant);
        try {
            return OIDCTokenResponseParser.parse(send(request.toHTTPRequest(), what));
        } catch (ParseException e) {
            throw unavailable(what, e);
        }
    }

    /** The ID token of a successful answer of {@link #exchange}. */
    public String idTokenIn(TokenResponse success) {
        if (!(success instanceof OIDCTokenResponse answer) || answer.getOIDCTokens().getIDToken() == null) {
            throw new RegistryException(ErrorCode.DENIED, 502, "the identity provider " + config.issuer()
                    + " sent no ID token: [auth.oidc] scopes must include openid");
        }
        return answer.getOIDCTokens().getIDTokenString();
    }

    /** Sends a request to the provider, time and size bounded; a network failure is a 502 the user can retry. */
    public HTTPResponse send(HTTPRequest request, String what) {
        try {
            return request.send(sender);
        } catch (IOException e) {
            throw unavailable(what, e);
        }
    }

    public RegistryException unavailable(String what, Exception cause) {
        return new RegistryException(ErrorCode.DENIED, 502, what + " at the identity provider " + config.issuer()
                + " failed (" + cause.getMessage() + "): try again later, or tell the registry's admin");
    }

    private Discovered discover() {
        Discovered known = discovered;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (discovered == null) {
                discovered = fetch();
            }
            return discovered;
        }
    }

    private Discovered fetch() {
        Issuer issuer = new Issuer(config.issuer());
        OIDCProviderMetadata metadata;
        JWKSource<SecurityContext> keys;
        String what = "discovery (" + issuer + "/.well-known/openid-configuration)";
        try {
            HTTPResponse answer = send(new HTTPRequest(HTTPRequest.Method.GET,
                    OIDCProviderMetadata.resolveURL(issuer)), what);
            answer.ensureStatusCode(200);
            metadata = OIDCProviderMetadata.parse(answer.getBodyAsJSONObject());
            // A document that names another issuer would let that issuer's tokens in.
            if (!issuer.equals(metadata.getIssuer())) {
                throw new GeneralException("it names the issuer " + metadata.getIssuer());
            }
            keys = JWKSourceBuilder.<SecurityContext>create(metadata.getJWKSetURI().toURL(),
                    new DefaultResourceRetriever((int) CONNECT_TIMEOUT.toMillis(), (int) READ_TIMEOUT.toMillis(),
                            MAX_KEYS_BYTES)).build();
        } catch (GeneralException | IOException | IllegalArgumentException e) {
            throw unavailable(what, e);
        }
        IdTokens idTokens = new IdTokens(issuer, client, keys, signingAlgorithms(metadata.getIDTokenJWSAlgs()),
                config.usernameClaim(), config.groupsClaim());
        return new Discovered(metadata, idTokens);
    }

    private static Set<JWSAlgorithm> signingAlgorithms(List<JWSAlgorithm> advertised) {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (JWSAlgorithm algorithm : advertised == null ? List.<JWSAlgorithm>of() : advertised) {
            if (JWSAlgorithm.Family.RSA.contains(algorithm) || JWSAlgorithm.Family.EC.contains(algorithm)
                    || JWSAlgorithm.Family.ED.contains(algorithm)) {
                algorithms.add(algorithm);
            }
        }
        // OpenID Connect Discovery makes RS256 the algorithm every provider supports.
        if (algorithms.isEmpty()) {
            algorithms.add(JWSAlgorithm.RS256);
        }
        return algorithms;
    }
}
