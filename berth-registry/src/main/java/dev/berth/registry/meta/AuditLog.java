package dev.berth.registry.meta;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.BerthException;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Append-only record of who did what, when, from where: rows in the metadata database and the
 * same event as one JSON line on the {@code dev.berth.registry.audit} logger for a site's collector.
 * Never holds a secret: targets are names and ids.
 *
 * <p>Every sign-in is an event, and a registry signs clients in hundreds of times a second, so
 * rows are not written by the request that caused them: one writer thread commits whatever has
 * queued up in one transaction (group commit). The JSON line is written at once; a row follows
 * within milliseconds, and {@link #since} first waits for the rows of every event appended
 * before it. A full queue makes appenders wait rather than drop events.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LINES = LoggerFactory.getLogger("dev.berth.registry.audit");
    private static final int QUEUE_CAPACITY = 10_000;
    private static final int BATCH_SIZE = 500;
    private static final long RETRY_MILLIS = 1_000;

    public record Event(Instant at, String actor, String address, String event, String target, String outcome) {
    }

    private record Row(String id, Event event) {
    }

    private final MetaStore store;
    private final BlockingQueue<Row> queued = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread writer;
    private volatile boolean closing;
    /** Events appended and events written so far; guarded by {@code this}. */
    private long appended;
    private long written;

    public AuditLog(MetaStore store) {
        this.store = store;
        this.writer = Thread.ofPlatform().name("berth-audit-writer").daemon().start(this::writeQueued);
    }

    public void append(String actor, String address, String event, String target, boolean success) {
        Event entry = new Event(Instant.now(), actor, address, event, target, success ? "success" : "failure");
        if (LINES.isInfoEnabled()) {
            LINES.info(jsonLine(entry));
        }
        synchronized (this) {
            appended++;
        }
        try {
            queued.put(new Row(UUID.randomUUID().toString(), entry));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException("INTERRUPTED", "interrupted while recording an audit event");
        }
    }

    /** Events at or after {@code since}, oldest first, at most {@code limit}. */
    public List<Event> since(Instant since, int limit) {
        awaitWritten();
        return store.read(connection -> {
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

    /** Writes what is still queued, then stops the writer. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void awaitWritten() {
        long target = appended;
        try {
            while (written < target && writer.isAlive()) {
                wait(RETRY_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException("INTERRUPTED", "interrupted while waiting for the audit log");
        }
    }

    private void writeQueued() {
        List<Row> batch = new ArrayList<>(BATCH_SIZE);
        while (!closing || !queued.isEmpty()) {
            try {
                Row first = queued.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queued.drainTo(batch, BATCH_SIZE - 1);
                insertRetrying(batch);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                written += batch.size();
                notifyAll();
            }
            batch.clear();
        }
    }

    /** Keeps trying while the database is unreachable; only a closing registry gives up, saying so. */
    private void insertRetrying(List<Row> batch) throws InterruptedException {
        boolean reported = false;
        while (true) {
            try {
                insert(batch);
                return;
            } catch (RuntimeException e) {
                if (closing) {
                    System.err.println("berth: " + batch.size() + " audit events are only in the audit log lines: " + e.getMessage());
                    return;
                }
                if (!reported) {
                    System.err.println("berth: cannot write audit events yet, retrying: " + e.getMessage());
                    reported = true;
                }
                Thread.sleep(RETRY_MILLIS);
            }
        }
    }

    private void insert(List<Row> batch) {
        store.write(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit"
                    + " (id, at_millis, actor, address, event, target, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (Row row : batch) {
                    Event entry = row.event();
                    insert.setString(1, row.id());
                    insert.setLong(2, entry.at().toEpochMilli());
                    insert.setString(3, entry.actor());
                    insert.setString(4, entry.address());
                    insert.setString(5, entry.event());
                    insert.setString(6, entry.target());
                    insert.setString(7, entry.outcome());
                    insert.addBatch();
                }
                return insert.executeBatch().length;
            }
        });
    }

    private static String jsonLine(Event entry) {
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("at", entry.at().toString());
        line.put("actor", entry.actor());
        line.put("address", entry.address());
        line.put("event", entry.event());
        line.put("target", entry.target());
        line.put("outcome", entry.outcome());
        return new String(Json.write(line), StandardCharsets.UTF_8);
    }
}
