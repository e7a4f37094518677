package dev.berth.registry.http.api;

import static dev.berth.registry.http.Responses.methodNotAllowed;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.oci.Json;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryConfigFile;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.Access;
import dev.berth.registry.meta.AuditLog;

import java.time.Instant;

/**
 * {@code GET /berth/v1/audit?since=..&project=..}: the audit log, oldest first. Site admins read
 * all of it; a project's owners read the events about their project.
 */
final class AuditResource {
    private static final int MAX_EVENTS = 10_000;

    private final Access access;

    AuditResource(Access access) {
        this.access = access;
    }

    void handle(ApiCall call) {
        if (!call.method().equals("GET")) {
            throw methodNotAllowed(call.method());
        }
        String project = call.query("project");
        if (project == null || !access.policy().administers(call.caller(), project)) {
            call.requireAdmin();
        }
        Instant from = since(call.query("since"));
        ArrayNode list = Json.mapper().createArrayNode();
        for (AuditLog.Event event : access.audit().since(from, MAX_EVENTS)) {
            if (project == null || about(event, project)) {
                list.addObject().put("at", event.at().toString()).put("actor", event.actor()).put("address", event.address())
                        .put("event", event.event()).put("target", event.target()).put("outcome", event.outcome());
            }
        }
        call.ok(200, list);
    }

    /** {@code since} as a time ({@code 2026-12-01T00:00:00Z}) or an age ({@code 24h}, {@code 7d}); absent: everything. */
    private static Instant since(String since) {
        if (since == null || since.isEmpty()) {
            return Instant.EPOCH;
        }
        if (since.contains("T")) {
            return ApiCall.parse(() -> Instant.parse(since));
        }
        return Instant.now().minus(ApiCall.parse(() -> RegistryConfigFile.duration(since)));
    }

    /** Events name their project or repository first in the target, or a robot {@code project+name}. */
    private static boolean about(AuditLog.Event event, String project) {
        String target = event.target() == null ? "" : event.target();
        return target.equals(project) || target.startsWith(project + " ") || target.startsWith(project + "/")
                || target.startsWith(project + "+") || target.startsWith(project + ":");
    }
}
