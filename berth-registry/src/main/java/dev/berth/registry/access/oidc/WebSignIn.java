package dev.berth.registry.access.oidc;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.ExternalIdentity;
import dev.berth.registry.access.Secrets;
import dev.berth.registry.meta.Accounts;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Web sign-in with the authorization code flow and PKCE: the browser is sent to the provider with
 * a one-time state, nonce and code challenge (kept here, bounded in number and age), comes back
 * with a code, which the registry exchanges as the confidential client. The person then holds a
 * short session, good only for making personal access tokens, each form guarded by a CSRF token.
 */
public final class WebSignIn {
    /** A signed-in person in a browser; {@code csrf} must come back with every form. */
    public record Session(String accountName, Set<String> groups, String csrf) {
        public boolean csrfMatches(String sent) {
            return sent != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                    sent.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A session just opened: its cookie value and what it holds. */
    public record Opened(String id, Session session) {
    }

    private record Pending(Nonce nonce, CodeVerifier verifier, URI redirectUri) {
    }

    public static final Duration SESSION_LIFETIME = Duration.ofMinutes(15);
    private static final Duration SIGN_IN_LIFETIME = Duration.ofMinutes(10);
    private static final int MAX_PENDING = 10_000;
    private static final int MAX_SESSIONS = 10_000;

    private final IdentityProvider provider;
    private final ExternalSignIn signIn;
    private final ExpiringStore<Pending> pending = new ExpiringStore<>(MAX_PENDING, SIGN_IN_LIFETIME);
    private final ExpiringStore<Session> sessions = new ExpiringStore<>(MAX_SESSIONS, SESSION_LIFETIME);

    public WebSignIn(IdentityProvider provider, ExternalSignIn signIn) {
        this.provider = provider;
        this.signIn = signIn;
    }

    /** Where to send the browser; {@code redirectUri} is this registry's callback as the browser reaches it. */
    public URI begin(URI redirectUri) {
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        pending.put(state.getValue(), new Pending(nonce, verifier, redirectUri));
        return new AuthenticationRequest.Builder(ResponseType.CODE,
                new Scope(provider.config().scopes().toArray(String[]::new)), provider.client(), redirectUri)
                .endpointURI(provider.metadata().getAuthorizationEndpointURI())
                .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256)
                .build().toURI();
    }

    /**
     * The browser came back with a code, or with the provider's {@code error}; {@code iss} is the
     * provider's RFC 9207 issuer parameter, when it sends one.
     */
    public Opened complete(String state, String code, String error, String iss, String address) {
        Pending started = state == null ? null : pending.take(state).orElse(null);
        if (started == null) {
            throw new RegistryException(ErrorCode.DENIED, 400, "this sign-in is unknown, used or expired: start again"
                    + " at /auth/oidc/login");
        }
        if (iss != null && !iss.equals(provider.config().issuer().toString())) {
            throw new RegistryException(ErrorCode.DENIED, 400, "the sign-in came back from "
                    + ProviderText.printable(iss, 200) + ", not from the registry's identity provider "
                    + provider.config().issuer() + ": start again at /auth/oidc/login");
        }
        if (error != null) {
            throw new RegistryException(ErrorCode.DENIED, 403, "the identity provider ended the sign-in ("
                    + ProviderText.printable(error, 100) + "): start again at /auth/oidc/login");
        }
        if (code == null || code.isEmpty()) {
            throw new RegistryException(ErrorCode.DENIED, 400, "the identity provider sent no code: start again"
                    + " at /auth/oidc/login");
        }
        TokenResponse response = provider.exchange(new AuthorizationCodeGrant(new AuthorizationCode(code),
                started.redirectUri(), started.verifier()), "the web sign-in");
        if (!response.indicatesSuccess()) {
            throw new RegistryException(ErrorCode.DENIED, 400, "the identity provider refused the sign-in ("
                    + ((TokenErrorResponse) response).getErrorObject().getCode() + "): start again at /auth/oidc/login");
        }
        ExternalIdentity identity = provider.idTokens().check(provider.idTokenIn(response), started.nonce());
        Accounts.Account account = signIn.admit(identity, address);
        String id = Secrets.generate("");
        Session session = new Session(account.name(), identity.groups(), Secrets.generate(""));
        sessions.put(id, session);
        return new Opened(id, session);
    }

    public Optional<Session> session(String id) {
        return id == null ? Optional.empty() : sessions.get(id);
    }
}
