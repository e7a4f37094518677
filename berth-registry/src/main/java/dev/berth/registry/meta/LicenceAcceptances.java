package dev.berth.registry.meta;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** Who accepted which version (text digest) of a repository's licence, and when. */
public final class LicenceAcceptances {
    private final MetaStore store;

    public LicenceAcceptances(MetaStore store) {
        this.store = store;
    }

    /** Records the acceptance; accepting the same text again keeps the first time. */
    public void accept(String accountId, String repository, String textDigest) {
        store.write(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO licence_acceptances"
                    + " (account_id, repository, text_digest, accepted) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (account_id, repository, text_digest) DO NOTHING")) {
                insert.setString(1, accountId);
                insert.setString(2, repository);
                insert.setString(3, textDigest);
                insert.setLong(4, Instant.now().getEpochSecond());
                return insert.executeUpdate();
            }
        });
    }

    /** When the named account accepted this text of the repository's licence, if it did. */
    public Optional<Instant> acceptedAt(String accountName, String repository, String textDigest) {
        return store.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT l.accepted FROM licence_acceptances l"
                    + " JOIN accounts a ON a.id = l.account_id WHERE a.name = ? AND l.repository = ? AND l.text_digest = ?")) {
                query.setString(1, accountName);
                query.setString(2, repository);
                query.setString(3, textDigest);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(Instant.ofEpochSecond(rows.getLong(1))) : Optional.empty();
                }
            }
        });
    }
}
