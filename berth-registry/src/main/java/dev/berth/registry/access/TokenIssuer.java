package dev.berth.registry.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.berth.registry.Names;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Signs short-lived registry tokens (the Docker token spec's JWTs, HS256 with a {@code kid}). A
 * token's {@code access} claim is the intersection of what the client asked for and what the
 * policy allows its principal; asking for more is not an error, the token just does not carry it.
 */
public final class TokenIssuer {
    public static final String ISSUER = "berth";
    /** The scopes of the personal or robot token the client signed in with, so the catalog can honour them too. */
    public static final String LIMITS_CLAIM = "berth_limits";

    /** A signed token, and when it was made and for how long it is good. */
    public record IssuedToken(String token, Instant issuedAt, Duration lifetime) {
    }

    private final OctetSequenceKey key;
    private final MACSigner signer;
    private final AccessPolicy policy;
    private final String service;
    private final Duration lifetime;

    public TokenIssuer(OctetSequenceKey key, AccessPolicy policy, String service, Duration lifetime) {
        this.key = key;
        this.policy = policy;
        this.service = service;
        this.lifetime = lifetime;
        try {
            this.signer = new MACSigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("the token key cannot sign", e);
        }
    }

    public String service() {
        return service;
    }

    /** A token for the scopes asked, as far as the principal calling from {@code address} may have them. */
    public IssuedToken issue(Principal principal, List<String> scopes, String address) {
        List<Map<String, Object>> access = new ArrayList<>();
        for (String scope : scopes) {
            Map<String, Object> granted = grant(principal, scope, address);
            if (granted != null) {
                access.add(granted);
            }
        }
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(principal.anonymous() ? "" : principal.name())
                .audience(service)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim("access", access)
                .claim(LIMITS_CLAIM, principal.limits().isEmpty() ? null : TokenScope.format(principal.limits()))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a token failed", e);
        }
        return new IssuedToken(jwt.serialize(), now, lifetime);
    }

    /** The claim entry for one asked scope, or null when nothing of it is granted or it is malformed. */
    private Map<String, Object> grant(Principal principal, String scope, String address) {
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first <= 0 || last == first) {
            return null;
        }
        String type = scope.substring(0, first);
        String name = scope.substring(first + 1, last);
        List<String> asked = List.of(scope.substring(last + 1).split(","));
        List<String> granted = new ArrayList<>();
        if (type.equals("registry") && name.equals("catalog") && asked.contains("*")) {
            granted.add("*");
        } else if (type.equals("repository") && Names.isRepository(name)) {
            Set<Action> allowed = policy.allowed(principal, name, address);
            for (String word : asked) {
                Action action = Action.ofLabel(word);
                if (action != null && action != Action.ADMINISTER && allowed.contains(action) && !granted.contains(word)) {
                    granted.add(word);
                }
            }
        }
        if (granted.isEmpty()) {
            return null;
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("type", type);
        entry.put("name", name);
        entry.put("actions", granted);
        return entry;
    }
}
