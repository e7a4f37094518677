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
    public static final String ROBOT = "robot";

    /**
     * {@code robotProject}, {@code runner} and {@code expires} are set for robots only: the project
     * the robot serves, whether it pulls exec-only content for nodes, and when it stops working.
     */
    public record Account(String id, String name, String passwordHash, boolean admin, boolean disabled, String source,
                          String robotProject, boolean runner, Instant expires) {
        public boolean robot() {
            return ROBOT.equals(source);
        }

        /** Whether it may act now: not disabled, and a robot not past its expiry. */
        public boolean usableAt(Instant now) {
            return !disabled && (expires == null || now.isBefore(expires));
        }
    }

    private final MetaStore store;

    public Accounts(MetaStore store) {
        this.store = store;
    }

    public Account create(String name, String passwordHash, boolean admin) {
        Account account = new Account(UUID.randomUUID().toString(), name, passwordHash, admin, false, LOCAL, null, false, null);
        store.write(connection -> {
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
        return store.write(connection -> {
            Optional<Account> existing = one(connection, "SELECT * FROM accounts WHERE name = ?", identity.name());
            if (existing.isPresent() && !existing.get().source().equals(identity.source())) {
                return Optional.<Account>empty();
            }
            Account account = existing.orElse(null);
            if (account == null) {
                account = new Account(UUID.randomUUID().toString(), identity.name(), null, false, false, identity.source(),
                        null, false, null);
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
        return store.read(connection -> {
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

    /** Creates project {@code project}'s robot {@code name} ({@code project+name}); false when it exists. */
    public Optional<Account> createRobot(String project, String name, boolean runner, Instant expires) {
        Account robot = new Account(UUID.randomUUID().toString(), project + "+" + name, null, false, false, ROBOT,
                project, runner, expires == null ? null : Instant.ofEpochSecond(expires.getEpochSecond()));
        return store.write(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO accounts (id, name, password_hash,"
                    + " admin, disabled, created, source, robot_project, runner, expires) VALUES (?, ?, NULL, 0, 0, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (name) DO NOTHING")) {
                insert.setString(1, robot.id());
                insert.setString(2, robot.name());
                insert.setLong(3, Instant.now().getEpochSecond());
                insert.setString(4, ROBOT);
                insert.setString(5, project);
                insert.setInt(6, runner ? 1 : 0);
                if (expires == null) {
                    insert.setNull(7, java.sql.Types.BIGINT);
                } else {
                    insert.setLong(7, robot.expires().getEpochSecond());
                }
                return insert.executeUpdate() == 1 ? Optional.of(robot) : Optional.<Account>empty();
            }
        });
    }

    public List<Account> robotsOf(String project) {
        return store.read(connection -> {
            List<Account> robots = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT * FROM accounts WHERE robot_project = ? ORDER BY name")) {
                query.setString(1, project);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        robots.add(account(rows));
                    }
                }
            }
            return robots;
        });
    }

    /** Removes an account with its tokens; false when there is none. */
    public boolean remove(String id) {
        return store.write(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM accounts WHERE id = ?")) {
                delete.setString(1, id);
                return delete.executeUpdate() == 1;
            }
        });
    }

    public Optional<Account> byName(String name) {
        return store.read(connection -> one(connection, "SELECT * FROM accounts WHERE name = ?", name));
    }

    public Optional<Account> byId(String id) {
        return store.read(connection -> one(connection, "SELECT * FROM accounts WHERE id = ?", id));
    }

    public boolean any() {
        return store.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM accounts");
                 ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        });
    }

    public List<Account> list() {
        return store.read(connection -> {
            List<Account> accounts = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT * FROM accounts WHERE source <> 'robot' ORDER BY name");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    accounts.add(account(rows));
                }
            }
            return accounts;
        });
    }

    public boolean setDisabled(String name, boolean disabled) {
        return store.write(connection -> {
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
                rows.getInt("admin") == 1, rows.getInt("disabled") == 1, rows.getString("source"),
                rows.getString("robot_project"), rows.getInt("runner") == 1, expires(rows));
    }

    private static Instant expires(ResultSet rows) throws SQLException {
        long expires = rows.getLong("expires");
        return rows.wasNull() ? null : Instant.ofEpochSecond(expires);
    }
}
