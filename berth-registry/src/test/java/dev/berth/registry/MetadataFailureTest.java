package dev.berth.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A metadata database that fails under a running registry: requests it cannot decide are a 503
 * with one clear line (not a 400 that blames the client, not a token handed out), no secret is
 * echoed, and once the database is back the same credentials work again.
 */
class MetadataFailureTest {
    @Test
    void aFailingDatabaseIsA503AndNothingIsLost(@TempDir Path root) throws Exception {
        Path registryRoot = root.resolve("registry");
        try (AuthRegistry registry = AuthRegistry.start(registryRoot)) {
            String admin = registry.adminPassword();
            String token = (String) ((Map<?, ?>) registry.expect(201, "admin", admin, "POST", "tokens",
                    Map.of("name", "ci", "scopes", List.of("lab/*:pull")))).get("token");
            assertThat(registry.tokenResponse("admin", token, "repository:lab/app:pull").statusCode()).isEqualTo(200);

            rename(registryRoot, "tokens", "tokens_gone");
            HttpResponse<byte[]> failed = registry.tokenResponse("admin", token, "repository:lab/app:pull");
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(Api.errorCode(failed)).isEqualTo("UNAVAILABLE");
            assertThat(Api.text(failed)).contains("the metadata database failed").contains("try again later")
                    .doesNotContain(token);
            HttpResponse<byte[]> api = registry.call("admin", token, "GET", "projects", null);
            assertThat(api.statusCode()).isEqualTo(503);

            rename(registryRoot, "tokens_gone", "tokens");
            assertThat(registry.tokenResponse("admin", token, "repository:lab/app:pull").statusCode()).isEqualTo(200);
        }
    }

    /** Another process's change under the registry, as a failed migration or a DBA's mistake would make it. */
    private static void rename(Path registryRoot, String from, String to) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + registryRoot.toAbsolutePath().resolve("meta.db"));
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("ALTER TABLE " + from + " RENAME TO " + to);
        }
    }
}
