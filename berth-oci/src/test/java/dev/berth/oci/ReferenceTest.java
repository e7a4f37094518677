package dev.berth.oci;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The normalisation rules of Docker's reference parser, one row per rule. */
class ReferenceTest {
    private static final String DIGEST = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ubuntu                                  | docker.io/library/ubuntu:latest       | ubuntu:latest
            ubuntu:22.04                            | docker.io/library/ubuntu:22.04        | ubuntu:22.04
            library/ubuntu                          | docker.io/library/ubuntu:latest       | ubuntu:latest
            docker.io/ubuntu                        | docker.io/library/ubuntu:latest       | ubuntu:latest
            index.docker.io/library/ubuntu:1        | docker.io/library/ubuntu:1            | ubuntu:1
            jupyter/scipy-notebook                  | docker.io/jupyter/scipy-notebook:latest | jupyter/scipy-notebook:latest
            quay.io/biocontainers/samtools:1.17     | quay.io/biocontainers/samtools:1.17   | quay.io/biocontainers/samtools:1.17
            localhost/tool                          | localhost/tool:latest                 | localhost/tool:latest
            localhost:5000/tool:v1                  | localhost:5000/tool:v1                | localhost:5000/tool:v1
            127.0.0.1:5000/a/b/c:t                  | 127.0.0.1:5000/a/b/c:t                | 127.0.0.1:5000/a/b/c:t
            registry.example.org:443/group/app      | registry.example.org:443/group/app:latest | registry.example.org:443/group/app:latest
            [::1]:5000/app:1                        | [::1]:5000/app:1                      | [::1]:5000/app:1
            Registry/app                            | Registry/app:latest                   | Registry/app:latest
            a.b/c__d/e-f.g:T_1.x-y                  | a.b/c__d/e-f.g:T_1.x-y                | a.b/c__d/e-f.g:T_1.x-y
            my-app--x/x_y                           | docker.io/my-app--x/x_y:latest        | my-app--x/x_y:latest
            """)
    void normalisesLikeDocker(String input, String canonical, String familiar) {
        Reference reference = Reference.parse(input);
        assertThat(reference.toString()).isEqualTo(canonical);
        assertThat(reference.familiarString()).isEqualTo(familiar);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ubuntu@DIGEST                     | docker.io/library/ubuntu@DIGEST    | | DIGEST
            ubuntu:22.04@DIGEST               | docker.io/library/ubuntu:22.04@DIGEST | 22.04 | DIGEST
            localhost:5000/x@DIGEST           | localhost:5000/x@DIGEST            | | DIGEST
            """)
    void keepsDigestsAndTagsTogether(String input, String canonical, String tag, String digest) {
        Reference reference = Reference.parse(input.replace("DIGEST", DIGEST));
        assertThat(reference.toString()).isEqualTo(canonical.replace("DIGEST", DIGEST));
        assertThat(reference.tag().orElse(null)).isEqualTo(tag);
        assertThat(reference.digest().map(Digest::toString).orElse(null)).isEqualTo(digest.replace("DIGEST", DIGEST));
    }

    @ParameterizedTest(name = "\"{0}\": {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                  | empty
            Ubuntu                              | must be lowercase
            docker.io/Ubuntu                    | must be lowercase
            ubuntu:                             | not a valid tag
            ubuntu:-x                           | not a valid tag
            ubuntu:.x                           | not a valid tag
            ubuntu@sha256:abc                   | not a valid digest
            ubuntu@md5:5d41402abc4b2a76b9719d911017c592 | not a valid digest
            /ubuntu                             | not a valid repository name component
            ubuntu/                             | not a valid repository name component
            a//b                                | not a valid repository name component
            -a/b                                | not a valid repository name component
            a/b_                                | not a valid repository name component
            a/b___c                             | not a valid repository name component
            host:port/x                         | not a valid registry host
            2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 | image id
            """)
    void rejectsInvalidReferencesWithAReason(String input, String reason) {
        assertThatThrownBy(() -> Reference.parse(input))
                .isInstanceOf(InvalidReferenceException.class)
                .hasMessageContaining(reason)
                .hasMessageContaining("invalid image reference");
    }

    @org.junit.jupiter.api.Test
    void rejectsNamesLongerThan255Characters() {
        String longName = "a".repeat(250) + "/bbbbbb";
        assertThatThrownBy(() -> Reference.parse(longName)).hasMessageContaining("longer than 255");
    }

    @org.junit.jupiter.api.Test
    void tagLimitIs128Characters() {
        assertThat(Reference.parse("x:" + "t".repeat(128)).tag()).hasValue("t".repeat(128));
        assertThatThrownBy(() -> Reference.parse("x:" + "t".repeat(129))).isInstanceOf(InvalidReferenceException.class);
    }
}
