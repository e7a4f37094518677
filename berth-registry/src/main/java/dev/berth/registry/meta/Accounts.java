package dev.berth.registry.meta;

import dev.berth.registry.access.ExternalIdentity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Accounts: local ones with an argon2id hash of the password (never the password), and those a
 * directory vouches for ({@code source} ldap or oidc, no password here) with the groups it reported.
 */
public final class Accounts {
    public static final String LOCAL = "local";

    public record Account(String id, String name, String passwordHash, boolean admin, boolean disabled, String source) {
    }

    private final MetaStore store;

    public Accounts(MetaStore store) {
        this.store = store;
    }

    public Account create(String name, String passwordHash, boolean admin) {
        Account account = new Account(UUID.randomUUID().toString(), name, passwordHash, admin, false, LOCAL);
        store.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO accounts (id, name, password_hash, admin, disabled, created) VALUES (?, ?, ?, ?, 0, ?)")) {
                insert.setString(1, account.id());
                insert.setString(2, name);
                insert.setString(3, passwordHash);
                insert.setInt(4, admin ? 1 : 0);
                insert.setLong(5, Instant.now().getEpochSecond());
                return insert.executeUpdate();
            }
        });
        return account;
    }

    /**
     * The account of a user a directory just vouched for, created on their first sign-in; its groups
     * become those the directory reports now. A local account of the same name is never taken over:
     * the result is then empty.
     */
    public Optional<Account> signedInExternally(ExternalIdentity identity) {
        return store.inTransaction(connection -> {
            Optional<Account> existing = one(connection, "SELECT * FROM accounts WHERE name = ?", identity.name());
            if (existing.isPresent() && !existing.get().source().equals(identity.source())) {
                return Optional.<Account>empty();
            }
            Account account = existing.orElse(null);
            if (account == null) {
                account = new Account(UUID.randomUUID().toString(), identity.name(), null, false, false, identity.source());
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO accounts"
                        + " (id, name, password_hash, admin, disabled, created, source) VALUES (?, ?, NULL, 0, 0, ?, ?)")) {
                    insert.setString(1, account.id());
                    insert.setString(2, account.name());
                    insert.setLong(3, Instant.now().getEpochSecond());
                    insert.setString(4, identity.source());
                    insert.executeUpdate();
                }
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM account_groups WHERE account_id = ?")) {
                delete.setString(1, account.id());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO account_groups (account_id, group_name) VALUES (?, ?)")) {
                for (String group : new TreeSet<>(identity.groups())) {
                    insert.setString(1, account.id());
                    insert.setString(2, group);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return Optional.of(account);
        });
    }

    /** The groups the account's directory reported at its last sign-in; none for local accounts. */
    public Set<String> groups(String accountId) {
        return store.inTransaction(connection -> {
            Set<String> groups = new TreeSet<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT group_name FROM account_groups WHERE account_id = ?")) {
                query.setString(1, accountId);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        groups.add(rows.getString(1));
                    }
                }
            }
            return groups;
        });
    }

    public Optional<Account> byName(String name) {
        return store.inTransaction(connection -> one(connection, "SELECT * FROM accounts WHERE name = ?", name));
    }

    public Optional<Account> byId(String id) {
        return store.inTransaction(connection -> one(connection, "SELECT * FROM accounts WHERE id = ?", id));
    }

    public boolean any() {
        return store.inTransaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM accounts");
                 ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        });
    }

    public List<Account> list() {
        return store.inTransaction(connection -> {
            List<Account> accounts = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT * FROM accounts ORDER BY name");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    accounts.add(account(rows));
                }
            }
            return accounts;
        });
    }

    public boolean setDisabled(String name, boolean disabled) {
        return store.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE accounts SET disabled = ? WHERE name = ?")) {
                update.setInt(1, disabled ? 1 : 0);
                update.setString(2, name);
                return update.executeUpdate() == 1;
            }
        });
    }

    private static Optional<Account> one(Connection connection, String sql, String value) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, value);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(account(rows)) : Optional.empty();
            }
        }
    }

    private static Account account(ResultSet rows) throws SQLException {
        return new Account(rows.getString("id"), rows.getString("name"), rows.getString("password_hash"),
                rows.getInt("admin") == 1, rows.getInt("disabled") == 1, rows.getString("source"));
    }
}
