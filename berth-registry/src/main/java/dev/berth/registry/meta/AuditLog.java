package dev.berth.registry.meta;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Append-only record of who did what, when, from where: rows in the metadata database and the
 * same event as one JSON line on the {@code dev.berth.registry.audit} logger for a site's collector.
 * Never holds a secret: targets are names and ids.
 */
public final class AuditLog {
    private static final Logger LINES = LoggerFactory.getLogger("dev.berth.registry.audit");

    public record Event(Instant at, String actor, String address, String event, String target, String outcome) {
    }

    private final MetaStore store;

    public AuditLog(MetaStore store) {
        this.store = store;
    }

    public void append(String actor, String address, String event, String target, boolean success) {
        Event entry = new Event(Instant.now(), actor, address, event, target, success ? "success" : "failure");
        store.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit"
                    + " (id, at_millis, actor, address, event, target, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, UUID.randomUUID().toString());
                insert.setLong(2, entry.at().toEpochMilli());
                insert.setString(3, actor);
                insert.setString(4, address);
                insert.setString(5, event);
                insert.setString(6, target);
                insert.setString(7, entry.outcome());
                return insert.executeUpdate();
            }
        });
        if (LINES.isInfoEnabled()) {
            ObjectNode line = Json.mapper().createObjectNode();
            line.put("at", entry.at().toString());
            line.put("actor", actor);
            line.put("address", address);
            line.put("event", event);
            line.put("target", target);
            line.put("outcome", entry.outcome());
            LINES.info(new String(Json.write(line), StandardCharsets.UTF_8));
        }
    }

    /** Events at or after {@code since}, oldest first, at most {@code limit}. */
    public List<Event> since(Instant since, int limit) {
        return store.inTransaction(connection -> {
            List<Event> events = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT * FROM audit WHERE at_millis >= ? ORDER BY at_millis, id LIMIT ?")) {
                query.setLong(1, since.toEpochMilli());
                query.setInt(2, limit);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        events.add(new Event(Instant.ofEpochMilli(rows.getLong("at_millis")), rows.getString("actor"),
                                rows.getString("address"), rows.getString("event"), rows.getString("target"),
                                rows.getString("outcome")));
                    }
                }
            }
            return events;
        });
    }
}
