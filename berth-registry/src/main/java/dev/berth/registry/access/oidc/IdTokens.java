package dev.berth.registry.access.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.Names;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.ExternalIdentity;

import java.text.ParseException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Checks ID tokens from the identity provider (issuer, audience, signature by the provider's
 * published keys, expiry, and the nonce when one was sent) and reads the person they name.
 */
public final class IdTokens {
    private static final int MAX_GROUPS = 1000;

    private final IDTokenValidator validator;
    private final String usernameClaim;
    private final String groupsClaim;

    /** {@code algorithms}: the asymmetric ones the provider signs with; a shared-secret MAC never proves the provider. */
    public IdTokens(Issuer issuer, ClientID client, JWKSource<SecurityContext> keys, Set<JWSAlgorithm> algorithms,
                    String usernameClaim, String groupsClaim) {
        this.validator = new IDTokenValidator(issuer, client, new JWSVerificationKeySelector<>(algorithms, keys), null);
        this.usernameClaim = usernameClaim;
        this.groupsClaim = groupsClaim;
    }

    /** The person the token names; {@code nonce} null when the flow sent none (the device grant). */
    public ExternalIdentity check(String idToken, Nonce nonce) {
        IDTokenClaimsSet claims;
        try {
            JWT jwt = JWTParser.parse(idToken);
            claims = validator.validate(jwt, nonce);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "the identity provider's ID token was refused ("
                    + e.getMessage() + "): sign in again; if it keeps failing, the registry's [auth.oidc] issuer or"
                    + " client-id does not match the provider");
        }
        return new ExternalIdentity(name(claims), "oidc", groups(claims.getClaim(groupsClaim)));
    }

    private String name(IDTokenClaimsSet claims) {
        Object value = claims.getClaim(usernameClaim);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new RegistryException(ErrorCode.DENIED, "the identity provider's ID token has no " + usernameClaim
                    + " claim: the registry's admin should set [auth.oidc] username-claim to a claim it sends");
        }
        String name = text.toLowerCase(Locale.ROOT);
        if (!Names.isRepository(name) || name.contains("/")) {
            throw new RegistryException(ErrorCode.DENIED, "the identity provider names you \""
                    + ProviderText.printable(name, 80) + "\" (claim " + usernameClaim + "), which is not a valid berth"
                    + " user name: ask the registry's admin to set [auth.oidc] username-claim to a claim of lower-case"
                    + " letters, digits, '.', '_' and '-'");
        }
        return name;
    }

    /** Providers send a list of names, or a single name when there is one; anything else is no group. */
    private static Set<String> groups(Object value) {
        Set<String> groups = new LinkedHashSet<>();
        if (value instanceof String single) {
            groups.add(single);
        } else if (value instanceof Collection<?> many) {
            for (Object item : many) {
                if (item instanceof String name && !name.isEmpty() && groups.size() < MAX_GROUPS) {
                    groups.add(name);
                }
            }
        }
        return groups;
    }
}
