package dev.headroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void controlCharactersAndDirectionOverridesBecomeVisibleEscapes() {
        assertThat(TerminalText.clean("a\u001b]0;title\u0007b")).isEqualTo("a\\x1b]0;title\\x07b"); // OSC retitle
        assertThat(TerminalText.clean("\u001b[2Jx\r\ny\u007f")).isEqualTo("\\x1b[2Jx\\x0d\\x0ay\\x7f");
        assertThat(TerminalText.clean("\u009b31m\u009d0;t\u009c")).isEqualTo("\\u009b31m\\u009d0;t\\u009c"); // C1
        assertThat(TerminalText.clean("gpu\u202e0\u2066\u2069\u200f")).isEqualTo("gpu\\u202e0\\u2066\\u2069\\u200f");
    }

    @Test
    void ordinaryTextIsUntouchedAndLinesKeepTheirBreaks() {
        String text = "NVIDIA H100 80GB HBM3 · ü 日本 \\x1b";
        assertThat(TerminalText.clean(text)).isSameAs(text);
        assertThat(TerminalText.cleanLines("one\ntwo\u001b\n")).isEqualTo("one\ntwo\\x1b\n");
        assertThat(TerminalText.clean(null)).isNull();
    }
}
