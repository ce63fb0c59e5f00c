package dev.headroom.cli;

import static dev.headroom.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a file or a server supplied reaches the terminal escaped; fleet's table is FleetCommandTest's. */
class TerminalOutputTest {
    @RegisterExtension
    final IsolatedUserCatalog userCatalog = new IsolatedUserCatalog();

    @Test
    void catalogShowEchoesAnUnknownIdWithItsControlBytesEscaped() {
        CliTest.Run run = run("catalog", "show", "h100\u001b]0;owned\u0007\u001b[2J\u202e");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("'h100\\x1b]0;owned\\x07\\x1b[2J\\u202e'")
                .doesNotContain("\u001b", "\u0007", "\u202e");
    }
}
