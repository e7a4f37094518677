package dev.berth.registry.access;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code [auth.ldap]} table as a site admin writes it: defaults, and a clear line for each mistake. */
class LdapConfigTest {
    private static final String URL = "ldaps://ldap.example.org";

    @Test
    void aDnTemplateBindsDirectlyAndEscapesTheName() {
        LdapConfig config = LdapConfig.from(Map.of("url", URL, "user-dn", "uid={name},ou=people,dc=example,dc=org"));
        assertThat(config.url().getPort()).isEqualTo(636);
        assertThat(config.userSearchBase()).isNull();
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.userDn().of("alice").toString()).isEqualTo("uid=alice,ou=people,dc=example,dc=org");
        assertThat(config.userDn().of("x,ou=admins").getRDN().getAttributeValues()).containsExactly("x,ou=admins");
    }

    @Test
    void anActiveDirectorySearchReadsEveryKey() {
        LdapConfig config = LdapConfig.from(Map.of("url", "ldap://dc1.ad.example.org", "start-tls", "true",
                "user-search-base", "dc=ad,dc=example,dc=org", "user-filter", "(sAMAccountName={name})",
                "search-dn", "cn=berth,ou=services,dc=ad,dc=example,dc=org", "search-password", "s3cret",
                "group-attribute", "memberOf", "group-search-base", "ou=groups,dc=ad,dc=example,dc=org",
                "group-filter", "(member={dn})", "timeout", "10s"));
        assertThat(config.startTls()).isTrue();
        assertThat(config.userFilter()).isEqualTo("(sAMAccountName={name})");
        assertThat(config.groupAttribute()).isEqualTo("memberOf");
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.toString()).as("the search password is not logged").doesNotContain("s3cret");
    }

    @Test
    void mistakesNameTheKey() {
        String dn = "uid={name},ou=people,dc=example,dc=org";
        assertThatThrownBy(() -> LdapConfig.from(Map.of("user-dn", dn))).hasMessageContaining("needs url");
        assertThatThrownBy(() -> LdapConfig.from(Map.of("url", URL, "user-dn", dn, "userdn", "x")))
                .hasMessageContaining("has no key userdn").hasMessageContaining("user-dn");
        assertThatThrownBy(() -> LdapConfig.from(Map.of("url", "https://ldap.example.org", "user-dn", dn)))
                .hasMessageContaining("url is not an ldap://");
        assertThatThrownBy(() -> LdapConfig.from(Map.of("url", URL))).hasMessageContaining("either user-dn");
        assertThatThrownBy(() -> LdapConfig.from(Map.of("url", URL, "user-dn", "ou=people,uid={name}")))
                .hasMessageContaining("user-dn must start with ATTRIBUTE={name},");
        assertThatThrownBy(() -> LdapConfig.from(Map.of("url", URL, "user-search-base", "ou=people", "user-filter", "(uid=alice)")))
                .hasMessageContaining("user-filter must contain {name}");
        assertThatThrownBy(() -> LdapConfig.from(Map.of("url", URL, "user-search-base", "ou=people", "search-dn", "cn=x")))
                .hasMessageContaining("search-dn and search-password go together");
        assertThatThrownBy(() -> LdapConfig.from(Map.of("url", URL, "user-dn", dn, "start-tls", "true")))
                .hasMessageContaining("start-tls is for ldap:// URLs");
        assertThatThrownBy(() -> LdapConfig.from(Map.of("url", URL, "user-dn", dn, "group-filter", "(member={dn})")))
                .hasMessageContaining("group-filter needs group-search-base");
        assertThatThrownBy(() -> LdapConfig.from(Map.of("url", URL, "user-dn", dn, "timeout", "soon")))
                .hasMessageContaining("timeout");
    }
}
