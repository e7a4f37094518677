package dev.berth.registry.access.oidc;

import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.Access;
import dev.berth.registry.access.ExternalIdentity;
import dev.berth.registry.access.Secrets;
import dev.berth.registry.meta.Accounts;
import dev.berth.registry.meta.Tokens;

import java.time.Duration;
import java.time.Instant;

/**
 * What follows a person the identity provider vouched for: their account (made on first sign-in,
 * groups as the provider reports them now), the audit record, and personal access tokens for them.
 * A local account of the same name is never taken over.
 */
public final class ExternalSignIn {
    /** A personal access token just made, shown once. */
    public record NewToken(String id, String secret) {
    }

    private final Access access;

    public ExternalSignIn(Access access) {
        this.access = access;
    }

    public Accounts.Account admit(ExternalIdentity identity, String address) {
        Accounts.Account account = access.accounts().signedInExternally(identity).orElse(null);
        if (account == null || account.disabled()) {
            access.audit().append(identity.name(), address, "sign-in", "oidc", false);
            throw new RegistryException(ErrorCode.DENIED, account == null
                    ? "user " + identity.name() + " is a local account of this registry: sign in with its password"
                    : "user " + identity.name() + " is disabled on this registry: ask its admin");
        }
        access.audit().append(account.name(), address, "sign-in", "oidc", true);
        return account;
    }

    /** A token with every right of the account; {@code lifetime} zero: it does not expire. */
    public NewToken personalToken(Accounts.Account account, String name, String scopes, Duration lifetime, String address) {
        String secret = Secrets.generate(Secrets.PERSONAL_TOKEN_PREFIX);
        Instant expires = lifetime.isZero() ? null : Instant.now().plus(lifetime);
        Tokens.Token token = access.tokens().create(account.id(), Tokens.Kind.PERSONAL, name, Secrets.hash(secret),
                scopes, expires);
        access.audit().append(account.name(), address, "token-created", token.id() + " " + name, true);
        return new NewToken(token.id(), secret);
    }
}
