package dev.berth.registry.access;

import com.nimbusds.jose.jwk.OctetSequenceKey;
import dev.berth.registry.meta.Accounts;
import dev.berth.registry.meta.AuditLog;
import dev.berth.registry.meta.ImmutableTags;
import dev.berth.registry.meta.LicenceAcceptances;
import dev.berth.registry.meta.MetaStore;
import dev.berth.registry.meta.ProjectKeys;
import dev.berth.registry.meta.Projects;
import dev.berth.registry.meta.RepositorySettings;
import dev.berth.registry.meta.TagHistory;
import dev.berth.registry.meta.Tokens;
import dev.berth.registry.trust.AttestationKey;
import dev.berth.trust.SigningKey;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything authentication and authorisation need, opened once when a registry starts with an
 * {@code [auth]} table: the metadata store, sign-in, the policy and the token service's keys.
 */
public final class Access implements AutoCloseable {
    public static final String FIRST_ADMIN = "admin";

    private final AccessConfig config;
    private final MetaStore store;
    private final Accounts accounts;
    private final Projects projects;
    private final Tokens tokens;
    private final RepositorySettings repositorySettings;
    private final LicenceAcceptances licences;
    private final AuditLog audit;
    private final TagHistory tagHistory;
    private final ImmutableTags immutableTags;
    private final ProjectKeys projectKeys;
    private final SigningKey attestationKey;
    private final PasswordHasher hasher;
    private final Principals principals;
    private final SignIn signIn;
    private final AccessPolicy policy;
    private final TokenIssuer issuer;
    private final TokenVerifier verifier;

    private Access(AccessConfig config, MetaStore store, OctetSequenceKey key, SigningKey attestationKey) {
        this.attestationKey = attestationKey;
        this.store = store;
        this.config = config;
        this.accounts = new Accounts(store);
        this.projects = new Projects(store);
        this.tokens = new Tokens(store);
        this.audit = new AuditLog(store);
        this.tagHistory = new TagHistory(store);
        this.immutableTags = new ImmutableTags(store);
        this.projectKeys = new ProjectKeys(store);
        this.hasher = new PasswordHasher();
        this.principals = new Principals(accounts);
        this.signIn = new SignIn(accounts, tokens, hasher, audit, principals, directories(config));
        this.repositorySettings = new RepositorySettings(store);
        this.licences = new LicenceAcceptances(store);
        this.policy = new AccessPolicy(projects, repositorySettings, licences);
        this.issuer = new TokenIssuer(key, policy, config.service(), config.tokenLifetime());
        this.verifier = new TokenVerifier(key, config.service());
    }

    /** The password directories the config names, in the order they are asked. */
    private static List<PasswordDirectory> directories(AccessConfig config) {
        return config.ldap() == null ? List.of() : List.of(new LdapDirectory(config.ldap()));
    }

    /**
     * Opens the metadata store under {@code root} (or the configured database). On the very first
     * start it creates the {@code admin} account and prints its one-time password on {@code console}.
     */
    public static Access open(AccessConfig config, Path root, PrintStream console) throws IOException {
        MetaStore store = config.databaseUrl() == null ? MetaStore.sqlite(root)
                : MetaStore.open(config.databaseUrl(), config.databaseUser(), config.databasePassword());
        Access access = new Access(config, store, TokenKey.loadOrCreate(root.resolve(TokenKey.FILE_NAME)),
                AttestationKey.loadOrCreate(root));
        if (!access.accounts.any()) {
            String password = Secrets.generate("");
            access.accounts.create(FIRST_ADMIN, access.hasher.hash(password), true);
            access.audit.append("berth", null, "account-created", FIRST_ADMIN, true);
            console.println("admin password: " + password);
            console.flush();
        }
        return access;
    }

    public AccessConfig config() {
        return config;
    }

    public Accounts accounts() {
        return accounts;
    }

    public Projects projects() {
        return projects;
    }

    public RepositorySettings repositorySettings() {
        return repositorySettings;
    }

    public LicenceAcceptances licences() {
        return licences;
    }

    public Tokens tokens() {
        return tokens;
    }

    public AuditLog audit() {
        return audit;
    }

    public TagHistory tagHistory() {
        return tagHistory;
    }

    public ImmutableTags immutableTags() {
        return immutableTags;
    }

    public ProjectKeys projectKeys() {
        return projectKeys;
    }

    /** The key the registry signs its push attestations with. */
    public SigningKey attestationKey() {
        return attestationKey;
    }

    public PasswordHasher hasher() {
        return hasher;
    }

    public Principals principals() {
        return principals;
    }

    public SignIn signIn() {
        return signIn;
    }

    public AccessPolicy policy() {
        return policy;
    }

    public TokenIssuer issuer() {
        return issuer;
    }

    public TokenVerifier verifier() {
        return verifier;
    }

    /** The principal a token's subject names now (its admin flag as stored), or anonymous. */
    public Principal principalOf(TokenGrant grant) {
        if (grant.subject() == null) {
            return Principal.ANONYMOUS;
        }
        Optional<Accounts.Account> account = accounts.byName(grant.subject()).filter(a -> a.usableAt(Instant.now()));
        return account.map(a -> principals.of(a, grant.limits())).orElse(Principal.ANONYMOUS);
    }

    /** Writes the audit events still queued, then closes the metadata database's connections. */
    @Override
    public void close() {
        audit.close();
        store.close();
    }
}
