package dev.berth.registry.access;

import java.util.Optional;

/**
 * The one gate every registry API request passes before anything touches storage: it turns the
 * request's bearer token into a grant and checks the action the route needs. Without an
 * {@code [auth]} table the gate is open and grants everything, as a loopback registry always did.
 */
public final class AuthorizationSeam {
    /** What a route needs: the API base, the catalog, or one action on one repository. */
    public sealed interface Need {
        record Base() implements Need {
        }

        record Catalog() implements Need {
        }

        record OnRepository(String repository, Action action) implements Need {
        }

        Need BASE = new Base();
        Need CATALOG = new Catalog();
    }

    /** The outcome: a grant to act with, or the scope a new token would need (for the 401 challenge). */
    public sealed interface Decision {
        record Allowed(Grant grant) implements Decision {
        }

        /**
         * {@code scope} is null when the challenge names none (the API base); {@code grant} is the
         * token that was not enough, or null when there was none.
         */
        record Challenge(String scope, boolean insufficientScope, TokenGrant grant) implements Decision {
        }
    }

    /** What an allowed request may do beyond the action it was checked for. */
    public interface Grant {
        /** Whether it may read {@code repository} too (a cross-repository mount's source). */
        boolean mayPull(String repository);

        /** Whether it may take a blob from any repository (a mount without {@code from}). */
        boolean unrestricted();

        /** The token it came with; null on an open registry. */
        TokenGrant token();
    }

    private static final Grant EVERYTHING = new Grant() {
        @Override
        public boolean mayPull(String repository) {
            return true;
        }

        @Override
        public boolean unrestricted() {
            return true;
        }

        @Override
        public TokenGrant token() {
            return null;
        }
    };

    private final TokenVerifier verifier;

    private AuthorizationSeam(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    public static AuthorizationSeam open() {
        return new AuthorizationSeam(null);
    }

    public static AuthorizationSeam enforcing(TokenVerifier verifier) {
        return new AuthorizationSeam(verifier);
    }

    public boolean enforcing() {
        return verifier != null;
    }

    /** Decides a request from its {@code Authorization} header (null when absent). Needs no I/O. */
    public Decision decide(String authorization, Need need) {
        if (verifier == null) {
            return new Decision.Allowed(EVERYTHING);
        }
        Optional<TokenGrant> token = bearer(authorization).flatMap(verifier::verify);
        if (token.isEmpty()) {
            return new Decision.Challenge(scope(need), false, null);
        }
        TokenGrant grant = token.get();
        boolean allowed = switch (need) {
            case Need.Base ignored -> true;
            case Need.Catalog ignored -> grant.catalog();
            case Need.OnRepository on -> grant.allows(on.repository(), on.action());
        };
        return allowed ? new Decision.Allowed(tokenGrant(grant)) : new Decision.Challenge(scope(need), true, grant);
    }

    /** The scope a challenge asks for: made only for a refused request, not on the path of every allowed one. */
    private static String scope(Need need) {
        return switch (need) {
            case Need.Base ignored -> null;
            case Need.Catalog ignored -> "registry:catalog:*";
            case Need.OnRepository on -> "repository:" + on.repository() + ":" + scopeActions(on.action());
        };
    }

    /** Pushing clients are asked for pull too: they check for blobs before uploading them. */
    private static String scopeActions(Action action) {
        return action == Action.PUSH ? "pull,push" : action.label();
    }

    private static Grant tokenGrant(TokenGrant token) {
        return new Grant() {
            @Override
            public boolean mayPull(String repository) {
                return token.allows(repository, Action.PULL);
            }

            @Override
            public boolean unrestricted() {
                return false;
            }

            @Override
            public TokenGrant token() {
                return token;
            }
        };
    }

    private static Optional<String> bearer(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(7).strip());
    }
}
