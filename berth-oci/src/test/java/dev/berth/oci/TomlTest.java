package dev.berth.oci;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TomlTest {
    @Test
    void tablesAreKeyedByTheirPathWithQuotedSegmentsAsWritten() {
        Map<String, Map<String, Object>> tables = Toml.tables("""
                default = "reject"   # a comment
                [auth]
                [scope."registry.example.org:5000/lab"]
                rule = "signed-by"
                keys = ["/etc/berth/keys/staff.pub",
                        "/etc/berth/keys/other.pub"]
                jobs = 8
                strict = true
                """, "policy.toml");

        assertThat(tables).containsOnlyKeys("", "auth", "scope.registry.example.org:5000/lab");
        assertThat(tables.get("")).containsEntry("default", "reject");
        assertThat(tables.get("auth")).isEmpty();
        assertThat(tables.get("scope.registry.example.org:5000/lab"))
                .containsEntry("rule", "signed-by")
                .containsEntry("keys", List.of("/etc/berth/keys/staff.pub", "/etc/berth/keys/other.pub"))
                .containsEntry("jobs", 8L)
                .containsEntry("strict", true);
    }

    @Test
    void brokenTomlAndValuesBerthHasNoUseForAreRefusedNamingTheFile() {
        assertThatThrownBy(() -> Toml.tables("a = 1\nb = unquoted\n", "x.toml"))
                .isInstanceOf(BerthException.class).hasMessageStartingWith("x.toml line 2");
        assertThatThrownBy(() -> Toml.tables("[t]\nratio = 1.5\n", "x.toml"))
                .hasMessage("x.toml: t.ratio is not a string, boolean, integer or list of strings");
        assertThatThrownBy(() -> Toml.tables("ports = [1, 2]\n", "x.toml"))
                .hasMessage("x.toml: ports may hold only \"strings\"");
    }
}
