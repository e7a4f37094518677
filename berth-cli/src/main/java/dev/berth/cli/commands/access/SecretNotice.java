package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;

/** How a new token is shown: once, on a line of its own (for scripts), with what to do with it. */
record SecretNotice(String registry, String user) {
    void print(PrintWriter out, String what, JsonNode created) {
        String scopes = Cells.of(created, "scopes");
        out.println("Token for " + what + " (scopes " + (scopes.isEmpty() ? "all" : scopes) + ", expires "
                + (created.path("expires").isNull() ? "never" : Cells.of(created, "expires")) + "):");
        out.println(created.path("token").asText());
        out.println("It is shown only now. Use it as the password of " + user + ", e.g. "
                + "berth login " + registry + " -u " + user + " --password-stdin (docker, podman and skopeo alike).");
    }
}
