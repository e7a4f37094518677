package dev.berth.distribution.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChallengeTest {
    @Test
    void parsesDockerHubsBearerChallenge() {
        List<Challenge> challenges = Challenge.parseAll(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");

        assertThat(challenges).hasSize(1);
        Challenge bearer = challenges.getFirst();
        assertThat(bearer.isBearer()).isTrue();
        assertThat(bearer.parameter("realm")).isEqualTo("https://auth.docker.io/token");
        assertThat(bearer.parameter("service")).isEqualTo("registry.docker.io");
        assertThat(bearer.parameter("scope")).isEqualTo("repository:library/busybox:pull");
    }

    @Test
    void parsesSeveralChallengesUnquotedValuesAndEscapes() {
        List<Challenge> challenges = Challenge.parseAll("Basic realm=\"a \\\"quoted\\\" realm\", Bearer realm=https://t.example/x, service=reg");

        assertThat(challenges).extracting(Challenge::scheme).containsExactly("basic", "bearer");
        assertThat(challenges.get(0).parameter("realm")).isEqualTo("a \"quoted\" realm");
        assertThat(challenges.get(1).parameter("realm")).isEqualTo("https://t.example/x");
        assertThat(challenges.get(1).parameter("service")).isEqualTo("reg");
    }

    @Test
    void nothingUsableIsNoChallenge() {
        assertThat(Challenge.parseAll(null)).isEmpty();
        assertThat(Challenge.parseAll("")).isEmpty();
    }

    @Test
    void scopesAskForPullPushAndTheMountSource() {
        assertThat(Scope.push("team/app").mounting("team/base").tokenScopes())
                .containsExactly("repository:team/app:pull,push", "repository:team/base:pull");
        assertThat(Scope.REGISTRY.tokenScopes()).isEmpty();
    }

    @Test
    void credentialsNeverPrintTheirSecret() {
        Credentials credentials = new Credentials("alice", "p4ss");
        assertThat(credentials.toString()).contains("alice").doesNotContain("p4ss");
        assertThat(Credentials.fromBasicToken(credentials.basicToken())).isEqualTo(credentials);
    }
}
