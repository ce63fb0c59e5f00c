package dev.headroom.cli;

import static dev.headroom.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials that would start an endpoint refusing everyone, or that conflict, exit 2 before anything listens. */
class ExporterCommandTest {
    @TempDir
    Path folder;

    private static CliTest.Run exporter(String... credentials) {
        String[] args = new String[credentials.length + 5];
        System.arraycopy(new String[] {"exporter", "--source", "simulated", "--listen", "127.0.0.1:0"}, 0, args, 0, 5);
        System.arraycopy(credentials, 0, args, 5, credentials.length);
        return run(args);
    }

    @Test
    void theHostnameLabelIsOneOfDcgmExportersTwoSpellings() {
        CliTest.Run run = exporter("--hostname-label", "host");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("hostname-label = host: must be hostname (dcgm-exporter 4.x) or Hostname");
    }

    @Test
    void anEmptyOrBlankTokenExitsTwo() {
        for (String token : new String[] {"", "   "}) {
            CliTest.Run run = exporter("--token", token);
            assertThat(run.code()).isEqualTo(2);
            assertThat(run.err()).contains("token = '" + token + "': must not be empty");
        }
    }

    @Test
    void credentialFilesMustHoldALineAndOnlyOneKindIsAccepted() throws Exception {
        Path empty = Files.writeString(folder.resolve("empty"), "\n");
        CliTest.Run blank = exporter("--token-file", empty.toString());
        assertThat(blank.code()).isEqualTo(2);
        assertThat(blank.err()).contains("token-file = " + empty + ": its first line is empty");

        CliTest.Run missing = exporter("--basic-auth-file", folder.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("basic-auth-file = " + folder.resolve("nope") + ": no such file");

        Path noColon = Files.writeString(folder.resolve("basic"), "prometheus\n");
        CliTest.Run bad = exporter("--basic-auth-file", noColon.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("its line: must be USER:PASSWORD").doesNotContain("prometheus\n");

        CliTest.Run both = exporter("--token", "a", "--token-file", empty.toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("choose one");

        CliTest.Run folderAsFile = exporter("--token-file", folder.toString());
        assertThat(folderAsFile.code()).isEqualTo(2);
        assertThat(folderAsFile.err()).contains("token-file = " + folder + ": cannot be read (a directory)");
    }
}
