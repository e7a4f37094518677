package dev.berth.registry;

import dev.berth.registry.access.LdapConfig;
import dev.berth.registry.meta.Accounts;
import dev.berth.registry.meta.MetaStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.berth.registry.Slapd.ALICE_PASSWORD;
import static dev.berth.registry.Slapd.BOB_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Sign-in with LDAP passwords against a real slapd: users get registry tokens and their groups
 * (from memberOf and from a group search), names that would widen a filter or a DN, empty
 * passwords, a directory that is down and one whose certificate nobody trusts are refused with
 * the answer a wrong password gets, a local account is never signed in by the directory, and
 * skopeo pushes as an LDAP user whose group is a project's developer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LdapSignInTest {
    private static final String PEOPLE = "ou=people," + Slapd.SUFFIX;
    private static final String LOCAL_PASSWORD = "local-bob-password";

    private Path work;
    private Slapd slapd;
    /** Binds to uid={name},ou=people and reads memberOf. */
    private AuthRegistry binding;
    /** Searches for the user and for their groups; it also takes every refused sign-in, which the throttle slows. */
    private AuthRegistry searching;

    @BeforeAll
    void setUp(@TempDir Path directory) throws Exception {
        work = directory;
        slapd = Slapd.start(Files.createDirectories(work.resolve("slapd")));
        binding = registry("binding", bindingConfig(slapd));
        searching = registry("searching", searchingConfig(slapd));
    }

    @AfterAll
    void tearDown() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {binding, searching, slapd}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    private static Map<String, String> bindingConfig(Slapd directory) {
        Map<String, String> keys = new HashMap<>(Map.of("url", directory.url(), "user-dn", "uid={name}," + PEOPLE, "timeout", "5s"));
        if (directory.hasMemberOf()) {
            keys.put("group-attribute", "memberOf");
        }
        return keys;
    }

    private static Map<String, String> searchingConfig(Slapd directory) {
        return Map.of("url", directory.url(), "user-search-base", PEOPLE,
                "user-filter", "(&(objectClass=inetOrgPerson)(uid={name}))",
                "search-dn", Slapd.ADMIN_DN, "search-password", Slapd.ADMIN_PASSWORD,
                "group-search-base", "ou=groups," + Slapd.SUFFIX);
    }

    private AuthRegistry registry(String name, Map<String, String> ldap) throws Exception {
        return AuthRegistry.start(Files.createDirectories(work.resolve(name)),
                config -> config.withAuth(config.auth().withLdap(LdapConfig.from(ldap))));
    }

    /** The account as the registry stored it: the source and the groups of its last sign-in. */
    private Accounts accounts(String registry) {
        return new Accounts(MetaStore.sqlite(work.resolve(registry)));
    }

    @Test
    void aliceGetsARegistryTokenWithHerLdapPassword() throws Exception {
        String token = binding.token("alice", ALICE_PASSWORD, "repository:alice/tool:pull,push");
        assertThat(token).isNotBlank();
        Accounts.Account alice = accounts("binding").byName("alice").orElseThrow();
        assertThat(alice.source()).isEqualTo("ldap");
        assertThat(alice.passwordHash()).isNull();
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() throws Exception {
        HttpResponse<byte[]> wrong = searching.tokenResponse("bob", "not-" + BOB_PASSWORD, "repository:bob/tool:pull");
        HttpResponse<byte[]> unknown = searching.tokenResponse("mallory", BOB_PASSWORD, "repository:bob/tool:pull");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(new String(unknown.body())).isEqualTo(new String(wrong.body()));
        assertThat(unknown.headers().allValues("WWW-Authenticate")).isEqualTo(wrong.headers().allValues("WWW-Authenticate"));
    }

    @Test
    void groupsComeFromMemberOf() throws Exception {
        assumeTrue(slapd.hasMemberOf(), "slapd's memberof overlay is not installed");
        binding.token("alice", ALICE_PASSWORD);
        binding.token("bob", BOB_PASSWORD);
        Accounts accounts = accounts("binding");
        assertThat(accounts.groups(accounts.byName("alice").orElseThrow().id())).containsExactly("lab-staff");
        assertThat(accounts.groups(accounts.byName("bob").orElseThrow().id())).isEmpty();
    }

    @Test
    void groupsComeFromAGroupSearch() throws Exception {
        searching.token("alice", ALICE_PASSWORD);
        Accounts accounts = accounts("searching");
        assertThat(accounts.groups(accounts.byName("alice").orElseThrow().id())).containsExactly("lab-staff");
    }

    @Test
    void namesThatWouldWidenTheUserFilterAreRefused() throws Exception {
        for (String name : List.of("*", "a*", "*)(uid=*", "alice)(|(uid=*")) {
            HttpResponse<byte[]> response = searching.tokenResponse(name, ALICE_PASSWORD, "repository:lab/tool:pull");
            assertThat(response.statusCode()).as(name + ": " + Api.text(response)).isEqualTo(401);
        }
        assertThat(accounts("searching").list()).extracting(Accounts.Account::name).doesNotContain("*", "a*", "*)(uid=*", "alice)(|(uid=*");
    }

    @Test
    void namesThatWouldChangeTheBindDnOrThatTheDirectoryReadsAsAnotherAreRefused() throws Exception {
        // The directory ignores the trailing space and would let "alice " in as alice, under another account.
        for (String name : List.of("alice ", "alice,ou=people", "uid=alice," + PEOPLE, "cn=admin," + Slapd.SUFFIX)) {
            HttpResponse<byte[]> response = binding.tokenResponse(name, ALICE_PASSWORD, "repository:lab/tool:pull");
            assertThat(response.statusCode()).as(name + ": " + Api.text(response)).isEqualTo(401);
        }
    }

    @Test
    void anEmptyPasswordIsRefusedThoughTheDirectoryWouldBindAnonymously() throws Exception {
        HttpResponse<byte[]> response = searching.tokenResponse("alice", "", "repository:lab/tool:pull");
        assertThat(response.statusCode()).as(Api.text(response)).isEqualTo(401);
        HttpResponse<byte[]> direct = binding.tokenResponse("bob", "", "repository:lab/tool:pull");
        assertThat(direct.statusCode()).as(Api.text(direct)).isEqualTo(401);
    }

    @Test
    void aLocalAccountIsNotSignedInWithTheDirectorysPasswordForItsName() throws Exception {
        try (AuthRegistry registry = registry("local", bindingConfig(slapd))) {
            String admin = registry.adminPassword();
            registry.addUser("admin", admin, "bob", LOCAL_PASSWORD);
            assertThat(registry.tokenResponse("bob", BOB_PASSWORD, "repository:bob/tool:pull").statusCode()).isEqualTo(401);
            assertThat(registry.token("bob", LOCAL_PASSWORD, "repository:bob/tool:pull")).isNotBlank();
            assertThat(accounts("local").byName("bob").orElseThrow().source()).isEqualTo(Accounts.LOCAL);
        }
    }

    @Test
    void whenTheDirectoryIsDownLdapUsersAreRefusedAndLocalUsersStillSignIn() throws Exception {
        Slapd down = Slapd.start(Files.createDirectories(work.resolve("slapd-down")));
        try (AuthRegistry registry = registry("down", bindingConfig(down))) {
            String admin = registry.adminPassword();
            assertThat(registry.token("alice", ALICE_PASSWORD, "repository:alice/tool:pull")).isNotBlank();
            down.close();
            HttpResponse<byte[]> refused = registry.tokenResponse("alice", ALICE_PASSWORD, "repository:alice/tool:pull");
            assertThat(refused.statusCode()).as(Api.text(refused)).isEqualTo(401);
            assertThat(registry.token("admin", admin, "repository:admin/tool:pull")).isNotBlank();
        } finally {
            down.close();
        }
    }

    @Test
    void aDirectoryWhoseCertificateIsNotTrustedIsNotSentPasswords() throws Exception {
        try (Slapd tls = Slapd.startWithTls(Files.createDirectories(work.resolve("slapd-tls")))) {
            Map<String, String> plain = bindingConfig(tls);
            Map<String, String> ldaps = new HashMap<>(plain);
            ldaps.put("url", tls.ldapsUrl());
            Map<String, String> startTls = new HashMap<>(plain);
            startTls.put("start-tls", "true");
            for (Map.Entry<String, Map<String, String>> config : Map.of("ldaps", ldaps, "start-tls", startTls).entrySet()) {
                try (AuthRegistry registry = registry(config.getKey(), config.getValue())) {
                    HttpResponse<byte[]> refused = registry.tokenResponse("alice", ALICE_PASSWORD, "repository:alice/tool:pull");
                    assertThat(refused.statusCode()).as(config.getKey() + ": " + Api.text(refused)).isEqualTo(401);
                }
            }
            try (AuthRegistry registry = registry("tls-plain", plain)) {
                assertThat(registry.token("alice", ALICE_PASSWORD, "repository:alice/tool:pull"))
                        .as("the same directory without TLS signs alice in").isNotBlank();
            }
        }
    }

    @Test
    void skopeoPushesAsAnLdapUserWhoseGroupIsTheProjectsDeveloperAndNotAsAnother() throws Exception {
        Path busybox = TestImages.busybox(Files.createDirectories(work.resolve("images")));
        // Its own registry: the refusals above would slow every sign-in of skopeo's here.
        try (AuthRegistry registry = registry("pushing", searchingConfig(slapd))) {
            String admin = registry.adminPassword();
            registry.expect(201, "admin", admin, "POST", "projects", Map.of("name", "lab", "class", "private"));
            registry.expect(200, "admin", admin, "PUT", "projects/lab/members/lab-staff?group=true", Map.of("role", "developer"));
            Path aliceAuth = work.resolve("alice-auth.json");
            Tools.ok(work, "skopeo", "login", "--authfile=" + aliceAuth, "--tls-verify=false", "-u", "alice", "-p", ALICE_PASSWORD,
                    registry.hostPort());
            Tools.ok(work, "skopeo", "copy", "--authfile=" + aliceAuth, "--dest-tls-verify=false", "oci:" + busybox + ":latest",
                    "docker://" + registry.hostPort() + "/lab/tool:v1");

            Path bobAuth = work.resolve("bob-auth.json");
            Tools.ok(work, "skopeo", "login", "--authfile=" + bobAuth, "--tls-verify=false", "-u", "bob", "-p", BOB_PASSWORD,
                    registry.hostPort());
            Tools.Result denied = Tools.run(work, Duration.ofMinutes(2), List.of("skopeo", "copy", "--authfile=" + bobAuth,
                    "--dest-tls-verify=false", "oci:" + busybox + ":latest", "docker://" + registry.hostPort() + "/lab/tool:bob"));
            assertThat(denied.exitCode()).as(denied.output()).isNotZero();
            assertThat(denied.output()).contains("denied");
        }
    }
}
