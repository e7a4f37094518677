package dev.berth.registry.access.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.ExternalIdentity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ID tokens that do not come from the provider, for this registry, now, are refused. */
class IdTokensTest {
    private static final String ISSUER = "https://idp.example.org/realms/uni";
    private static final RSAKey PROVIDER_KEY = key("provider");
    private static final RSAKey OTHER_KEY = key("provider");

    private final IdTokens idTokens = new IdTokens(new Issuer(ISSUER), new ClientID("berth"),
            new ImmutableJWKSet<SecurityContext>(new JWKSet(PROVIDER_KEY.toPublicJWK())), Set.of(JWSAlgorithm.RS256),
            "preferred_username", "groups");

    @Test
    void aTokenFromTheProviderNamesThePersonAndTheirGroups() {
        ExternalIdentity identity = idTokens.check(signed(PROVIDER_KEY, claims -> claims), null);
        assertThat(identity.name()).isEqualTo("alice");
        assertThat(identity.source()).isEqualTo("oidc");
        assertThat(identity.groups()).containsExactlyInAnyOrder("lab-staff", "physics");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        assertRefused(signed(PROVIDER_KEY, claims -> claims.audience("another-app")));
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() {
        assertRefused(signed(OTHER_KEY, claims -> claims));
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        assertRefused(signed(PROVIDER_KEY, claims -> claims.issuer("https://evil.example.org")));
    }

    @Test
    void anExpiredTokenIsRefused() {
        assertRefused(signed(PROVIDER_KEY, claims -> claims.expirationTime(Date.from(Instant.now().minusSeconds(3600)))));
    }

    @Test
    void anUnsignedTokenIsRefused() {
        assertRefused(new PlainJWT(claims().build()).serialize());
    }

    @Test
    void aTokenMacedWithTheClientIdIsRefused() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        jwt.sign(new MACSigner("berth-berth-berth-berth-berth-berth-berth"));
        assertRefused(jwt.serialize());
    }

    @Test
    void aTokenWithoutTheNonceTheRegistrySentIsRefused() {
        String token = signed(PROVIDER_KEY, claims -> claims);
        assertThatThrownBy(() -> idTokens.check(token, new Nonce("the-one-sent"))).isInstanceOf(RegistryException.class);
    }

    @Test
    void aUsernameThatIsNoBerthNameIsRefusedWithTheClaimNamed() {
        String token = signed(PROVIDER_KEY, claims -> claims.claim("preferred_username", "Alice Smith"));
        assertThatThrownBy(() -> idTokens.check(token, null)).isInstanceOf(RegistryException.class)
                .hasMessageContaining("\"alice smith\" (claim preferred_username)")
                .hasMessageContaining("username-claim");
    }

    @Test
    void aUsernameIsLowerCased() {
        String token = signed(PROVIDER_KEY, claims -> claims.claim("preferred_username", "Alice"));
        assertThat(idTokens.check(token, null).name()).isEqualTo("alice");
    }

    private void assertRefused(String token) {
        assertThatThrownBy(() -> idTokens.check(token, null)).isInstanceOf(RegistryException.class)
                .hasMessageContaining("ID token was refused");
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("f3b1-alice").audience("berth")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("preferred_username", "alice").claim("groups", List.of("lab-staff", "physics"));
    }

    private static String signed(RSAKey key, UnaryOperator<JWTClaimsSet.Builder> change) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    change.apply(claims()).build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey key(String id) {
        try {
            return new RSAKeyGenerator(2048).keyID(id).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
