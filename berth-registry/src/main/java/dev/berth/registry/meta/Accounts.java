package dev.berth.registry.meta;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Local accounts: a name, an argon2id hash of the password (never the password), admin and disabled flags. */
public final class Accounts {
    public record Account(String id, String name, String passwordHash, boolean admin, boolean disabled) {
    }

    private final MetaStore store;

    public Accounts(MetaStore store) {
        this.store = store;
    }

    public Account create(String name, String passwordHash, boolean admin) {
        Account account = new Account(UUID.randomUUID().toString(), name, passwordHash, admin, false);
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
                rows.getInt("admin") == 1, rows.getInt("disabled") == 1);
    }
}
