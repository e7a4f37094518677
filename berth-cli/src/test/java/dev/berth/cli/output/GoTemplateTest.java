package dev.berth.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.args.UsageException;
import dev.berth.oci.Json;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The formats Docker's documentation shows for docker images and docker inspect, against berth's template reader. */
class GoTemplateTest {
    private static final JsonNode IMAGE = Json.tree(("""
            {"ID": "0123456789ab", "Repository": "lab/tool", "Tag": "v1",
             "Config": {"Env": ["PATH=/bin", "A=1"], "Cmd": ["/bin/sh", "-c", "echo hi"],
                        "Labels": {"org.opencontainers.image.licenses": "GPL-2.0", "b": "2"}},
             "Size": 42, "Empty": null}""").getBytes(StandardCharsets.UTF_8), "test");

    private static String render(String format) {
        return GoTemplate.parse(format).render(IMAGE);
    }

    @Test
    void fieldsFunctionsAndPipesPrintAsGoPrintsThem() {
        assertThat(render("{{.ID}}: {{.Repository}}")).isEqualTo("0123456789ab: lab/tool");
        assertThat(render("{{.Config.Env}}")).isEqualTo("[PATH=/bin A=1]");
        assertThat(render("{{.Config.Labels}}")).isEqualTo("map[b:2 org.opencontainers.image.licenses:GPL-2.0]");
        assertThat(render("{{json .Config.Cmd}}")).isEqualTo("[\"/bin/sh\",\"-c\",\"echo hi\"]");
        assertThat(render("{{index .Config.Labels \"org.opencontainers.image.licenses\"}}")).isEqualTo("GPL-2.0");
        assertThat(render("{{join .Config.Cmd \" \"}}")).isEqualTo("/bin/sh -c echo hi");
        assertThat(render("{{.Repository | upper}} {{len .Config.Env}} {{.Size}}")).isEqualTo("LAB/TOOL 2 42");
        assertThat(render("{{.Missing}}|{{.Empty}}|{{.repository}}")).isEqualTo("<no value>|<no value>|lab/tool");
        assertThat(render("a\\tb\\n{{- \" c\" -}}  d")).isEqualTo("a\tb cd");
    }

    @Test
    void tableAddsHeadersAndAlignsColumns() {
        StringWriter text = new StringWriter();
        JsonNode other = Json.tree("{\"ID\": \"ffff\", \"Repository\": \"x\", \"Tag\": \"latest\"}".getBytes(StandardCharsets.UTF_8), "t");
        GoTemplate.parse("table {{.ID}}\\t{{.Repository}}\\t{{.Tag}}")
                .print(List.of(IMAGE, other), name -> name.equals("ID") ? "IMAGE ID" : null, new PrintWriter(text, true));
        assertThat(text.toString().lines()).containsExactly(
                "IMAGE ID       REPOSITORY   TAG",
                "0123456789ab   lab/tool     v1",
                "ffff           x            latest");
    }

    @Test
    void whatBerthCannotReadIsRefusedByName() {
        assertThatThrownBy(() -> GoTemplate.parse("{{range .Config.Env}}{{.}}{{end}}")).isInstanceOf(UsageException.class)
                .hasMessageContaining("does not know \"range\"");
        assertThatThrownBy(() -> GoTemplate.parse("{{.ID")).isInstanceOf(UsageException.class).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> render("{{join .Config.Cmd}}")).isInstanceOf(UsageException.class)
                .hasMessageContaining("join takes a list and a separator");
    }
}
