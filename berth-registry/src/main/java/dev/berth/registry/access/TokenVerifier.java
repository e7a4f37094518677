package dev.berth.registry.access;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks registry tokens: HS256 only (so {@code alg: none} and tokens signed with any key pair
 * fail), signed with this registry's secret, for this service, not expired. A token is verified
 * once; later requests with it find the result in a small cache keyed by the token's hash, which
 * keeps manifest GETs fast.
 */
public final class TokenVerifier {
    private static final int CACHE_LIMIT = 10_000;
    /** Beyond this a bearer header is not a token of ours; nothing longer is parsed. */
    private static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final ConcurrentHashMap<String, TokenGrant> verified = new ConcurrentHashMap<>();

    public TokenVerifier(OctetSequenceKey key, String service) {
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
                new ImmutableJWKSet<>(new JWKSet(key))));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(service,
                new JWTClaimsSet.Builder().issuer(TokenIssuer.ISSUER).build(),
                Set.of("sub", "exp", "iat", "access")));
    }

    /** What the token grants, or empty when it is not a valid token of this registry. */
    public Optional<TokenGrant> verify(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        String key = Secrets.hash(token);
        TokenGrant cached = verified.get(key);
        Instant now = Instant.now();
        if (cached != null) {
            if (now.isBefore(cached.expires())) {
                return Optional.of(cached);
            }
            verified.remove(key);
            return Optional.empty();
        }
        TokenGrant grant;
        try {
            grant = grant(processor.process(token, null));
        } catch (Exception e) {
            // Any parse, signature or claim failure means the same to the client: not a valid token.
            return Optional.empty();
        }
        if (verified.size() >= CACHE_LIMIT) {
            verified.clear();
        }
        verified.put(key, grant);
        return Optional.of(grant);
    }

    private static TokenGrant grant(JWTClaimsSet claims) throws java.text.ParseException {
        Map<String, Set<Action>> repositories = new HashMap<>();
        boolean catalog = false;
        List<Object> access = claims.getListClaim("access");
        for (Object item : access) {
            if (!(item instanceof Map<?, ?> entry) || !(entry.get("actions") instanceof List<?> actions)) {
                throw new java.text.ParseException("malformed access entry", 0);
            }
            Object type = entry.get("type");
            Object name = entry.get("name");
            if ("registry".equals(type) && "catalog".equals(name) && actions.contains("*")) {
                catalog = true;
            } else if ("repository".equals(type) && name instanceof String repository) {
                Set<Action> granted = repositories.computeIfAbsent(repository, r -> EnumSet.noneOf(Action.class));
                for (Object action : actions) {
                    Action parsed = action instanceof String word ? Action.ofLabel(word) : null;
                    if (parsed != null && parsed != Action.ADMINISTER) {
                        granted.add(parsed);
                    }
                }
            }
        }
        String subject = claims.getSubject();
        String limits = claims.getStringClaim(TokenIssuer.LIMITS_CLAIM);
        return new TokenGrant(subject.isEmpty() ? null : subject, repositories, catalog,
                claims.getExpirationTime().toInstant(), limits == null ? List.of() : TokenScope.parseAll(limits));
    }
}
