package dev.berth.trust.policy;

import dev.berth.oci.BerthException;
import dev.berth.trust.policy.ExecutionPolicy.Rule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which rule an image meets: the most specific scope on path-component boundaries, else the default. */
class ExecutionPolicyTest {
    private static final String SOURCE = "/etc/berth/policy.toml";

    private static ExecutionPolicy policy() {
        Map<String, Map<String, Object>> tables = new LinkedHashMap<>();
        tables.put("", Map.of("default", "reject"));
        tables.put("files", Map.of("rule", "accept"));
        tables.put("scope.registry.example.org", Map.of("rule", "trusted"));
        tables.put("scope.registry.example.org/lab", Map.of("rule", "signed-by", "keys", List.of("/etc/berth/keys/staff.pub")));
        tables.put("scope.registry.example.org/lab/sandbox", Map.of("rule", "accept"));
        tables.put("scope.registry.example.org/lab/banned", Map.of("rule", "reject"));
        return ExecutionPolicy.fromTables(tables, SOURCE);
    }

    @ParameterizedTest(name = "{0}/{1} -> {2} ({3})")
    @CsvSource({
            "registry.example.org, lab/tool, SIGNED_BY, registry.example.org/lab",
            "registry.example.org, lab, SIGNED_BY, registry.example.org/lab",
            "registry.example.org, lab/sandbox/x, ACCEPT, registry.example.org/lab/sandbox",
            "registry.example.org, lab/sandboxed, SIGNED_BY, registry.example.org/lab",
            "registry.example.org, lab/banned, REJECT, registry.example.org/lab/banned",
            "registry.example.org, labs/tool, TRUSTED, registry.example.org",
            "registry.example.org:5000, lab/tool, REJECT, ''",
            "docker.io, library/busybox, REJECT, ''",
            "registry.example.org.evil, lab/tool, REJECT, ''",
    })
    void theMostSpecificScopeWins(String registry, String repository, Rule rule, String match) {
        ExecutionPolicy.Scope scope = policy().forImage(registry, repository);
        assertThat(scope.rule()).isEqualTo(rule);
        assertThat(scope.match()).isEqualTo(match);
    }

    @Test
    void refusalsNameTheRuleTheScopeAndTheFile() {
        assertThat(policy().forImage("registry.example.org", "lab/x").describe())
                .isEqualTo("rule \"signed-by\" of scope \"registry.example.org/lab\" (/etc/berth/policy.toml)");
        assertThat(policy().forImage("docker.io", "x").describe()).isEqualTo("rule \"reject\" of the default (/etc/berth/policy.toml)");
        assertThat(policy().forImage("registry.example.org", "lab/x").keys()).containsExactly(Path.of("/etc/berth/keys/staff.pub"));
        assertThat(policy().forFiles().rule()).isEqualTo(Rule.ACCEPT);
    }

    @Test
    void withoutAPolicyEverythingRuns() {
        assertThat(ExecutionPolicy.ACCEPT_ALL.forImage("docker.io", "library/busybox").rule()).isEqualTo(Rule.ACCEPT);
        assertThat(ExecutionPolicy.fromTables(Map.of(), SOURCE).forFiles().rule()).isEqualTo(Rule.ACCEPT);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "scope.r/x|rule=signed-by|rule signed-by needs keys",
            "scope.r/x|rule=accept,keys=/k.pub|keys are for rule signed-by only",
            "scope.r/x|rule=signed-by,keys=k.pub|must be an absolute path",
            "scope.r/x|rule=maybe|is not one of accept, reject, signed-by, trusted",
            "scope.r/x|rules=accept|unknown key \"rules\"",
            "scope.r/x||has no rule",
            "files|rule=trusted|[files] rule must be accept, reject or signed-by",
            "|default=trusted|default must be accept or reject",
            "registries|rule=accept|unknown table [registries]",
    })
    void mistakesAreErrorsThatNameTheFile(String table, String settings, String message) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (settings != null) {
            for (String setting : settings.split(",")) {
                String[] pair = setting.split("=");
                values.put(pair[0], pair[0].equals("keys") ? List.of(pair[1]) : pair[1]);
            }
        }
        Map<String, Map<String, Object>> tables = Map.of(table == null ? "" : table, values);
        assertThatThrownBy(() -> ExecutionPolicy.fromTables(tables, SOURCE)).isInstanceOf(BerthException.class)
                .hasMessageStartingWith(SOURCE).hasMessageContaining(message);
    }
}
