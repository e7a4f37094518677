package dev.berth.build.dockerfile;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DockerfileTest {
    @Test
    void continuationsCommentsAndTheEscapeDirectiveAreReadAsDockerReadsThem() {
        Dockerfile dockerfile = Dockerfile.parse(String.join("\n",
                "# escape=`",
                "FROM base",
                "RUN echo one `",
                "# a comment inside the instruction",
                "",
                "    two",
                "COPY C:\\dir\\file /x",
                ""), "Dockerfile");
        assertThat(dockerfile.escape()).isEqualTo('`');
        assertThat(dockerfile.instructions()).extracting(Instruction::toString)
                .containsExactly("FROM base", "RUN echo one     two", "COPY C:\\dir\\file /x");
        assertThat(dockerfile.instructions().get(1).line()).isEqualTo(3);
    }

    @Test
    void hereDocumentsFollowTheirInstruction() {
        Dockerfile dockerfile = Dockerfile.parse("FROM base\nRUN <<EOF\necho a\necho b\nEOF\nCMD [\"x\"]\n", "Containerfile");
        Instruction run = dockerfile.instructions().get(1);
        assertThat(run.heredocs()).containsExactly(new Instruction.Heredoc("EOF", "echo a\necho b\n"));
        assertThat(dockerfile.instructions().get(2).keyword()).isEqualTo("CMD");
    }

    @Test
    void mistakesNameTheFileAndLine() {
        assertThatThrownBy(() -> Dockerfile.parse("FROM base\nFETCH x\n", "Dockerfile")).hasMessage("Dockerfile:2: unknown instruction FETCH");
        assertThatThrownBy(() -> Dockerfile.parse("RUN x\n", "Dockerfile")).hasMessageContaining("no FROM instruction");
        assertThatThrownBy(() -> Dockerfile.parse("ENV A=1\nFROM base\n", "Dockerfile"))
                .hasMessage("Dockerfile:1: ENV before the first FROM (only ARG may come first)");
        assertThatThrownBy(() -> Dockerfile.parse("FROM base\nRUN <<EOF\necho\n", "Dockerfile"))
                .hasMessage("Dockerfile:2: the here-document EOF is never closed");
    }

    @Test
    void wordsExpandAsDockerDoes() {
        Words words = Words.of('\\', Map.of("NAME", "berth", "EMPTY", ""));
        assertThat(words.expand("$NAME ${NAME}")).isEqualTo("berth berth");
        assertThat(words.expand("${EMPTY:-default} ${EMPTY-kept} ${UNSET-unset}")).isEqualTo("default  unset");
        assertThat(words.expand("${NAME:+set} ${UNSET:+never}|")).isEqualTo("set |");
        assertThat(words.expand("'$NAME' \"$NAME\" \\$NAME")).isEqualTo("$NAME berth $NAME");
        assertThat(words.split("a \"b c\" 'd e'  ${NAME}")).containsExactly("a", "b c", "d e", "berth");
        assertThat(words.split("KEY=\"a value\" OTHER=x")).isEqualTo(List.of("KEY=a value", "OTHER=x"));
        assertThatThrownBy(() -> words.expand("${UNSET:?must be given}")).hasMessage("UNSET: must be given");
        assertThatThrownBy(() -> words.expand("\"open")).hasMessageContaining("unmatched \"");
    }

    @Test
    void commandsTakeTheExecOrTheShellForm() {
        assertThat(CommandForm.command("[\"ls\", \"-l\"]", List.of("/bin/sh", "-c"))).containsExactly("ls", "-l");
        assertThat(CommandForm.command("ls -l", List.of("/bin/bash", "-c"))).containsExactly("/bin/bash", "-c", "ls -l");
        assertThat(CommandForm.command("[not json", List.of("/bin/sh", "-c"))).containsExactly("/bin/sh", "-c", "[not json");
    }
}
