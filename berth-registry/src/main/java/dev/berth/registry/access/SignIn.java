package dev.berth.registry.access;

import dev.berth.registry.meta.Accounts;
import dev.berth.registry.meta.AuditLog;
import dev.berth.registry.meta.Tokens;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Checks a name and a secret: a local account's password, a directory's (LDAP) password, or one of
 * the account's personal access tokens (which clients send as the password). A local account is
 * never checked against a directory, so a directory cannot take over its name. Every outcome is
 * audited; a failure says nothing about which half was wrong, and repeated failures are slowed.
 */
public final class SignIn {
    private final Accounts accounts;
    private final Tokens tokens;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final List<PasswordDirectory> directories;
    private final Principals principals;
    private final SignInThrottle throttle = new SignInThrottle();

    public SignIn(Accounts accounts, Tokens tokens, PasswordHasher hasher, AuditLog audit,
                  Principals principals, List<PasswordDirectory> directories) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.hasher = hasher;
        this.audit = audit;
        this.directories = List.copyOf(directories);
        this.principals = principals;
    }

    /** The principal the credentials prove, or empty. */
    public Optional<Principal> withPassword(String name, String secret, String address) throws InterruptedException {
        Duration wait = throttle.delay(name, address);
        if (!wait.isZero()) {
            Thread.sleep(wait);
        }
        Optional<Principal> principal = secret.startsWith(Secrets.PERSONAL_TOKEN_PREFIX)
                ? byToken(name, secret, Tokens.Kind.PERSONAL)
                : byPassword(name, secret);
        record(name, address, principal.isPresent());
        return principal;
    }

    /** The principal a refresh (identity) token stands for, or empty. */
    public Optional<Principal> withRefreshToken(String secret, String address) throws InterruptedException {
        Optional<Tokens.Token> token = tokens.bySecretHash(Secrets.hash(secret))
                .filter(t -> t.kind() == Tokens.Kind.REFRESH && t.usableAt(Instant.now()));
        Optional<Accounts.Account> account = token.flatMap(t -> accounts.byId(t.accountId())).filter(a -> a.usableAt(Instant.now()));
        String name = account.map(Accounts.Account::name).orElse("(refresh token)");
        Duration wait = throttle.delay(name, address);
        if (!wait.isZero()) {
            Thread.sleep(wait);
        }
        Optional<Principal> principal = account.map(a -> principals.of(a, TokenScope.parseAll(token.get().scopes())));
        record(name, address, principal.isPresent());
        return principal;
    }

    private Optional<Principal> byPassword(String name, String password) {
        Optional<Accounts.Account> account = accounts.byName(name);
        if (account.isEmpty() || !account.get().source().equals(Accounts.LOCAL)) {
            return byDirectory(name, password);
        }
        boolean matches = hasher.verify(password, account.get().passwordHash());
        return account.filter(a -> matches && !a.disabled()).map(a -> principals.of(a, List.of()));
    }

    private Optional<Principal> byDirectory(String name, String password) {
        for (PasswordDirectory directory : directories) {
            Optional<ExternalIdentity> identity;
            try {
                identity = directory.authenticate(name, password);
            } catch (PasswordDirectory.DirectoryUnavailableException e) {
                System.err.println("berth: sign-in of " + name + ": " + e.getMessage());
                continue;
            }
            if (identity.isPresent()) {
                return accounts.signedInExternally(identity.get()).filter(a -> a.usableAt(Instant.now()))
                        .map(a -> principals.of(a, List.of()));
            }
        }
        return Optional.empty();
    }

    private Optional<Principal> byToken(String name, String secret, Tokens.Kind kind) {
        Optional<Tokens.Token> token = tokens.bySecretHash(Secrets.hash(secret))
                .filter(t -> t.kind() == kind && t.usableAt(Instant.now()));
        if (token.isEmpty()) {
            return Optional.empty();
        }
        return accounts.byId(token.get().accountId())
                .filter(a -> a.name().equals(name) && a.usableAt(Instant.now()))
                .map(a -> principals.of(a, TokenScope.parseAll(token.get().scopes())));
    }

    private void record(String name, String address, boolean success) {
        if (success) {
            throttle.succeeded(name);
        } else {
            throttle.failed(name, address);
        }
        audit.append(name, address, "sign-in", null, success);
    }
}
