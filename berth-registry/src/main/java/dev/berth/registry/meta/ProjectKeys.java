package dev.berth.registry.meta;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The staff public keys of trusted projects: a signature by one of them makes an image trusted. */
public final class ProjectKeys {
    /** {@code publicKey} is the PEM text; {@code fingerprint} the sha256 digest of its DER bytes. */
    public record StaffKey(String name, String publicKey, String fingerprint, String addedBy, Instant added) {
    }

    private final MetaStore store;

    public ProjectKeys(MetaStore store) {
        this.store = store;
    }

    public List<StaffKey> of(Projects.Project project) {
        return store.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT * FROM project_keys WHERE project_id = ? ORDER BY name")) {
                query.setString(1, project.id());
                List<StaffKey> keys = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        keys.add(new StaffKey(rows.getString("name"), rows.getString("public_key"), rows.getString("fingerprint"),
                                rows.getString("added_by"), Instant.ofEpochSecond(rows.getLong("added"))));
                    }
                }
                return keys;
            }
        });
    }

    /** False when the project already has a key of that name. */
    public boolean add(Projects.Project project, StaffKey key) {
        return store.write(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO project_keys (project_id, name,"
                    + " public_key, fingerprint, added_by, added) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, project.id());
                insert.setString(2, key.name());
                insert.setString(3, key.publicKey());
                insert.setString(4, key.fingerprint());
                insert.setString(5, key.addedBy());
                insert.setLong(6, key.added().getEpochSecond());
                return insert.executeUpdate() == 1;
            }
        });
    }

    /** False when the project has no key of that name. */
    public boolean remove(Projects.Project project, String name) {
        return store.write(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM project_keys WHERE project_id = ? AND name = ?")) {
                delete.setString(1, project.id());
                delete.setString(2, name);
                return delete.executeUpdate() == 1;
            }
        });
    }
}
