package dev.headroom.cli;

import static dev.headroom.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Bad input and an unreachable Prometheus; the live answer is PrometheusServerIT's and PrometheusSourceTest's. */
class FleetCommandTest {
    @Test
    void badUrlExitsTwoAndADownPrometheusExitsThreeSayingWhy() throws Exception {
        CliTest.Run bad = run("fleet", "--prometheus", "ftp://x");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("prometheus = ftp://x: must be an http:// or https:// URL");
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        CliTest.Run down = run("fleet", "--prometheus", "http://127.0.0.1:" + closed, "--timeout", "1s");
        assertThat(down.code()).isEqualTo(3);
        assertThat(down.err()).contains("Prometheus is not reachable");
    }
}
