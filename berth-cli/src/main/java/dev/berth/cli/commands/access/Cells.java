package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The API's JSON as the cells of berth's tables, and as --json prints it. */
final class Cells {
    private Cells() {
    }

    /** A field as text: "-" when absent or null, a list joined with commas. */
    static String of(JsonNode object, String field) {
        JsonNode value = object.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return "-";
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(item.asText()));
            return items.isEmpty() ? "-" : String.join(",", items);
        }
        return value.asText();
    }

    /** A user or a group, as members are either. */
    static String kind(JsonNode member) {
        return member.path("group").asBoolean() ? "group" : "user";
    }

    static void printJson(PrintWriter out, JsonNode answer) {
        out.println(Json.writePretty(answer));
    }

    /** A comma-separated flag value as the list the API takes; empty clears it. */
    static List<String> list(String commaSeparated) {
        List<String> items = new ArrayList<>();
        for (String item : commaSeparated.split(",")) {
            if (!item.isBlank()) {
                items.add(item.strip());
            }
        }
        return items;
    }
}
