package dev.berth.cli.args;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NearestWordTest {
    private static final List<String> COMMANDS = List.of("pull", "push", "images", "inspect", "import", "export", "run");

    @Test
    void typosFindTheirWordAndStrangersFindNothing() {
        assertThat(NearestWord.to("pul", COMMANDS)).contains("pull");
        assertThat(NearestWord.to("imgaes", COMMANDS)).contains("images");
        assertThat(NearestWord.to("inspcet", COMMANDS)).contains("inspect");
        assertThat(NearestWord.to("rnu", COMMANDS)).contains("run");
        assertThat(NearestWord.to("frobnicate", COMMANDS)).isEmpty();
        assertThat(NearestWord.to("xy", COMMANDS)).isEmpty();
        assertThat(NearestWord.hint("pushh", COMMANDS)).isEqualTo("; did you mean 'push'?");
    }
}
