package dev.berth.registry.meta;

import dev.berth.oci.Digest;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Every move of every tag, kept in the metadata store so that restarts and other registry nodes see it. */
public final class TagHistory {
    /** {@code from} is null for a new tag, {@code to} for a removed one. */
    public record Move(String repository, String tag, Instant at, Digest from, Digest to, String actor, String address,
                       String client) {
    }

    private final MetaStore store;

    public TagHistory(MetaStore store) {
        this.store = store;
    }

    public void record(Move move) {
        store.write(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tag_history (id, repository, tag,"
                    + " at_micros, old_digest, new_digest, actor, address, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, UUID.randomUUID().toString());
                insert.setString(2, move.repository());
                insert.setString(3, move.tag());
                insert.setLong(4, ChronoUnit.MICROS.between(Instant.EPOCH, move.at()));
                setDigest(insert, 5, move.from());
                setDigest(insert, 6, move.to());
                insert.setString(7, move.actor());
                insert.setString(8, move.address());
                insert.setString(9, move.client());
                return insert.executeUpdate();
            }
        });
    }

    /** The repository's moves (of {@code tag} only, unless null), newest first, at most {@code limit}. */
    public List<Move> of(String repository, String tag, int limit) {
        return store.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT * FROM tag_history WHERE repository = ?"
                    + (tag == null ? "" : " AND tag = ?") + " ORDER BY at_micros DESC, id LIMIT ?")) {
                int next = 1;
                query.setString(next++, repository);
                if (tag != null) {
                    query.setString(next++, tag);
                }
                query.setInt(next, limit);
                return moves(query);
            }
        });
    }

    /** Where {@code tag} pointed at {@code when}: the target of its last move at or before then, if it existed. */
    public Optional<Digest> pointedAt(String repository, String tag, Instant when) {
        return store.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT * FROM tag_history WHERE repository = ?"
                    + " AND tag = ? AND at_micros <= ? ORDER BY at_micros DESC, id LIMIT 1")) {
                query.setString(1, repository);
                query.setString(2, tag);
                query.setLong(3, ChronoUnit.MICROS.between(Instant.EPOCH, when));
                List<Move> last = moves(query);
                return last.isEmpty() ? Optional.empty() : Optional.ofNullable(last.getFirst().to());
            }
        });
    }

    /** Moves of {@code repository}'s tags at or after {@code since}, oldest first: what the untagged retention protects. */
    public List<Move> since(String repository, Instant since) {
        return store.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT * FROM tag_history WHERE repository = ? AND at_micros >= ? ORDER BY at_micros, id")) {
                query.setString(1, repository);
                query.setLong(2, ChronoUnit.MICROS.between(Instant.EPOCH, since));
                return moves(query);
            }
        });
    }

    private static List<Move> moves(PreparedStatement query) throws SQLException {
        List<Move> moves = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                moves.add(new Move(rows.getString("repository"), rows.getString("tag"),
                        Instant.EPOCH.plus(rows.getLong("at_micros"), ChronoUnit.MICROS), digest(rows.getString("old_digest")),
                        digest(rows.getString("new_digest")), rows.getString("actor"), rows.getString("address"),
                        rows.getString("client")));
            }
        }
        return moves;
    }

    private static void setDigest(PreparedStatement statement, int index, Digest digest) throws SQLException {
        if (digest == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, digest.toString());
        }
    }

    private static Digest digest(String text) {
        return text == null ? null : Digest.parse(text);
    }
}
