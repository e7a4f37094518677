package dev.berth.registry.meta;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Long-lived secrets a client keeps: personal access tokens and refresh (Docker identity) tokens.
 * Only a hash of each secret is stored, so the table cannot be replayed if it leaks.
 */
public final class Tokens {
    public enum Kind { PERSONAL, REFRESH }

    /** {@code expires} and {@code revoked} are null when not set. */
    public record Token(String id, String accountId, Kind kind, String name, String scopes, Instant created,
                        Instant expires, Instant revoked) {
        public boolean usableAt(Instant now) {
            return revoked == null && (expires == null || now.isBefore(expires));
        }
    }

    private final MetaStore store;

    public Tokens(MetaStore store) {
        this.store = store;
    }

    public Token create(String accountId, Kind kind, String name, String secretHash, String scopes, Instant expires) {
        Token token = new Token(UUID.randomUUID().toString(), accountId, kind, name, scopes,
                Instant.ofEpochSecond(Instant.now().getEpochSecond()), expires, null);
        store.write(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tokens"
                    + " (id, account_id, kind, name, secret_hash, scopes, created, expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, token.id());
                insert.setString(2, accountId);
                insert.setString(3, kind.name());
                insert.setString(4, name);
                insert.setString(5, secretHash);
                insert.setString(6, scopes);
                insert.setLong(7, token.created().getEpochSecond());
                if (expires == null) {
                    insert.setNull(8, java.sql.Types.BIGINT);
                } else {
                    insert.setLong(8, expires.getEpochSecond());
                }
                return insert.executeUpdate();
            }
        });
        return token;
    }

    public Optional<Token> bySecretHash(String secretHash) {
        return store.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT * FROM tokens WHERE secret_hash = ?")) {
                query.setString(1, secretHash);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(token(rows)) : Optional.empty();
                }
            }
        });
    }

    public List<Token> personalTokensOf(String accountId) {
        return store.read(connection -> {
            List<Token> tokens = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT * FROM tokens WHERE account_id = ? AND kind = ? ORDER BY created, name")) {
                query.setString(1, accountId);
                query.setString(2, Kind.PERSONAL.name());
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        tokens.add(token(rows));
                    }
                }
            }
            return tokens;
        });
    }

    /** Revokes one of the account's tokens; false when it has no such token. */
    public boolean revoke(String accountId, String id) {
        return store.write(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE tokens SET revoked = ? WHERE id = ? AND account_id = ? AND revoked IS NULL")) {
                update.setLong(1, Instant.now().getEpochSecond());
                update.setString(2, id);
                update.setString(3, accountId);
                return update.executeUpdate() == 1;
            }
        });
    }

    private static Token token(ResultSet rows) throws SQLException {
        long expires = rows.getLong("expires");
        boolean noExpiry = rows.wasNull();
        long revoked = rows.getLong("revoked");
        boolean notRevoked = rows.wasNull();
        return new Token(rows.getString("id"), rows.getString("account_id"), Kind.valueOf(rows.getString("kind")),
                rows.getString("name"), rows.getString("scopes"), Instant.ofEpochSecond(rows.getLong("created")),
                noExpiry ? null : Instant.ofEpochSecond(expires), notRevoked ? null : Instant.ofEpochSecond(revoked));
    }
}
