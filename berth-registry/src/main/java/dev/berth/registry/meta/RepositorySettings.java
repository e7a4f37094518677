package dev.berth.registry.meta;

import dev.berth.registry.access.Conditions;
import dev.berth.registry.access.SharingClass;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a repository sets for itself: a class that overrides its project's (with that class's
 * conditions), and the licence it carries.
 */
public final class RepositorySettings {
    /**
     * An SPDX expression, and optionally a text that pullers must accept; {@code digest} (sha256 of
     * the text) names the version accepted. Without a text the licence is information only.
     */
    public record Licence(String spdx, String text, String digest) {
        public boolean mustBeAccepted() {
            return text != null;
        }
    }

    /** {@code sharing} is null when the repository takes its project's class; {@code licence} null when none. */
    public record Settings(String repository, SharingClass sharing, Conditions conditions, Licence licence) {
        public static Settings none(String repository) {
            return new Settings(repository, null, Conditions.NONE, null);
        }
    }

    private final MetaStore store;

    public RepositorySettings(MetaStore store) {
        this.store = store;
    }

    public Optional<Settings> of(String repository) {
        return store.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT * FROM repositories WHERE name = ?")) {
                query.setString(1, repository);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(settings(rows)) : Optional.empty();
                }
            }
        });
    }

    /** Every repository's own settings, by repository name. */
    public Map<String, Settings> all() {
        return store.read(connection -> {
            Map<String, Settings> all = new HashMap<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT * FROM repositories");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Settings settings = settings(rows);
                    all.put(settings.repository(), settings);
                }
            }
            return all;
        });
    }

    public void put(Settings settings) {
        store.write(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO repositories"
                    + " (name, sharing_class, allowed_groups, allowed_networks, licence_spdx, licence_text, licence_digest)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET sharing_class = excluded.sharing_class,"
                    + " allowed_groups = excluded.allowed_groups, allowed_networks = excluded.allowed_networks,"
                    + " licence_spdx = excluded.licence_spdx, licence_text = excluded.licence_text,"
                    + " licence_digest = excluded.licence_digest")) {
                Licence licence = settings.licence();
                upsert.setString(1, settings.repository());
                setNullable(upsert, 2, settings.sharing() == null ? null : settings.sharing().label());
                upsert.setString(3, settings.conditions().groupsText());
                upsert.setString(4, settings.conditions().networksText());
                setNullable(upsert, 5, licence == null ? null : licence.spdx());
                setNullable(upsert, 6, licence == null ? null : licence.text());
                setNullable(upsert, 7, licence == null ? null : licence.digest());
                return upsert.executeUpdate();
            }
        });
    }

    private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    private static Settings settings(ResultSet rows) throws SQLException {
        String sharing = rows.getString("sharing_class");
        String spdx = rows.getString("licence_spdx");
        return new Settings(rows.getString("name"), sharing == null ? null : SharingClass.parse(sharing),
                Conditions.parse(rows.getString("allowed_groups"), rows.getString("allowed_networks")),
                spdx == null ? null : new Licence(spdx, rows.getString("licence_text"), rows.getString("licence_digest")));
    }
}
