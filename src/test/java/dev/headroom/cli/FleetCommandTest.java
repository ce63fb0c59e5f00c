package dev.headroom.cli;

import static dev.headroom.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.telemetry.prometheus.MisbehavingServer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Bad input, an unreachable Prometheus and servers that misbehave: each ends in its exit code and one line, within
 * the timeout (a deadline is correctness, so it is asserted, generously). The live answer is PrometheusServerIT's.
 */
class FleetCommandTest {
    private static final String HEADERS = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";

    /** One DCGM_FI_DEV_FB_USED series per label set given, and the same GPUs' utilization from VALUE. */
    private static String vector(String gpuLabels, String value) {
        return """
                {"status":"success","data":{"resultType":"vector","result":[
                 {"metric":{"__name__":"DCGM_FI_DEV_FB_USED",%1$s},"value":[1,"1024"]},
                 {"metric":{"__name__":"DCGM_FI_DEV_FB_FREE",%1$s},"value":[1,"%2$s"]},
                 {"metric":{"__name__":"DCGM_FI_DEV_GPU_UTIL",%1$s},"value":[1,"%2$s"]},
                 {"metric":{"__name__":"DCGM_FI_DEV_GPU_TEMP",%1$s},"value":[1,"61"]}
                ]}}""".formatted(gpuLabels, value);
    }

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

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "-5s", "50ms", "11m", "1e309s"})
    void aTimeoutOutsideItsRangeExitsTwoNamingIt(String timeout) {
        CliTest.Run run = run("fleet", "--prometheus", "http://127.0.0.1:1", "--timeout", timeout);
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("timeout = " + timeout + ": must be between 100ms and 10m");
    }

    @Test
    void aServerThatDripsItsBodyIsCutOffAtTheTimeout() throws Exception {
        try (MisbehavingServer server = new MisbehavingServer(out -> {
            out.write((HEADERS + "Content-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100; i++) {
                out.flush();
                Thread.sleep(1000);
                out.write(' '); // one byte a second: every read succeeds, the answer never completes
            }
        })) {
            assertCutOffAtTwoSeconds(server);
        }
    }

    @Test
    void anEndlessChunkedBodyIsCutOffAtTheTimeout() throws Exception {
        try (MisbehavingServer server = new MisbehavingServer(out -> {
            out.write((HEADERS + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            while (true) {
                out.write("1\r\n \r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(20);
            }
        })) {
            assertCutOffAtTwoSeconds(server);
        }
    }

    private static void assertCutOffAtTwoSeconds(MisbehavingServer server) {
        long start = System.nanoTime();
        CliTest.Run run = run("fleet", "--prometheus", server.uri().toString(), "--timeout", "2s");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(run.code()).isEqualTo(3);
        assertThat(run.err()).contains("Prometheus did not answer within 2000 ms").hasLineCount(1);
        assertThat(millis).as("elapsed ms").isBetween(1900L, 6000L);
    }

    @Test
    void anAnswerAbove32MibIsRefusedSayingSo() throws Exception {
        try (MisbehavingServer server = new MisbehavingServer(out -> {
            out.write((HEADERS + "Content-Length: " + (64 << 20) + "\r\n\r\n[").getBytes(StandardCharsets.US_ASCII));
            byte[] spaces = new byte[1 << 16];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 1024; i++) {
                out.write(spaces);
            }
        })) {
            CliTest.Run run = run("fleet", "--prometheus", server.uri().toString(), "--timeout", "20s");
            assertThat(run.code()).isEqualTo(3);
            assertThat(run.err()).contains("the answer is larger than 32 MiB").hasLineCount(1);
        }
    }

    @Test
    void infinitiesAndNanAreNoReadingsNotAFailure() throws Exception {
        for (String value : new String[] {"+Inf", "-Inf", "NaN"}) {
            try (MisbehavingServer server = new MisbehavingServer(MisbehavingServer.json(vector(
                    "\"gpu\":\"0\",\"hostname\":\"a\",\"modelName\":\"NVIDIA H100\"", value)))) {
                CliTest.Run table = run("fleet", "--prometheus", server.uri().toString());
                assertThat(table.code()).as(value + ": " + table.err()).isZero();
                assertThat(table.out()).contains("a GPU 0: NVIDIA H100").contains("n/a").contains("61 C")
                        .doesNotContainIgnoringCase("inf").doesNotContain("NaN");
                CliTest.Run json = run("fleet", "--prometheus", server.uri().toString(), "--json");
                assertThat(json.code()).isZero();
                assertThat(json.json().at("/gpus/0/util").isNull()).as(json.out()).isTrue(); // valid JSON
            }
        }
    }

    @Test
    void aMatrixIsReadAtItsLatestValueAndAScalarOrStringSaysWhatItIs() throws Exception {
        String matrix = """
                {"status":"success","data":{"resultType":"matrix","result":[
                 {"metric":{"__name__":"DCGM_FI_DEV_FB_USED","gpu":"0","hostname":"a"},"values":[[1,"1024"],[2,"2048"]]},
                 {"metric":{"__name__":"DCGM_FI_DEV_GPU_UTIL","gpu":"0","hostname":"a"},"values":[[1,"10"],[2,"42"]]}
                ]}}""";
        try (MisbehavingServer server = new MisbehavingServer(MisbehavingServer.json(matrix))) {
            CliTest.Run run = run("fleet", "--prometheus", server.uri().toString());
            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("42 %");
        }
        for (String type : new String[] {"scalar", "string"}) {
            String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"" + type + "\",\"result\":[1,\"7\"]}}";
            try (MisbehavingServer server = new MisbehavingServer(MisbehavingServer.json(body))) {
                CliTest.Run run = run("fleet", "--prometheus", server.uri().toString());
                assertThat(run.code()).isEqualTo(3);
                assertThat(run.err()).contains("the answer is a " + type + ", not series by GPU").hasLineCount(1);
            }
        }
    }

    @Test
    void anHtmlPageIsNotPrometheus() throws Exception {
        try (MisbehavingServer server = new MisbehavingServer(out -> out.write(("HTTP/1.1 200 OK\r\n"
                + "Content-Type: text/html\r\nContent-Length: 27\r\n\r\n<html><h1>Login</h1></html>")
                .getBytes(StandardCharsets.US_ASCII)))) {
            CliTest.Run run = run("fleet", "--prometheus", server.uri().toString());
            assertThat(run.code()).isEqualTo(3);
            assertThat(run.err()).contains("HTTP 200, and the answer is not Prometheus JSON").hasLineCount(1);
        }
    }

    @Test
    void labelsCannotDriveTheTerminalOrForgeRows() throws Exception {
        // ESC ] 0 ; title BEL retitles a terminal, ESC [ 2 J clears it, a newline forges a row, U+202E reverses text
        String hostile = "\"gpu\":\"0\",\"hostname\":\"a\\u001b]0;owned\\u0007\\u001b[2J\","
                + "\"modelName\":\"H100\\nb GPU 9: FORGED\\u202e\\u009d\"";
        try (MisbehavingServer server = new MisbehavingServer(MisbehavingServer.json(vector(hostile, "5")))) {
            CliTest.Run run = run("fleet", "--prometheus", server.uri().toString());
            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).hasLineCount(2) // the header and one GPU
                    .contains("a\\x1b]0;owned\\x07\\x1b[2J GPU 0: H100\\x0ab GPU 9: FORGED\\u202e\\u009d")
                    .doesNotContain("\u001b", "\u0007", "\u202e", "\u009d");
            CliTest.Run json = run("fleet", "--prometheus", server.uri().toString(), "--json");
            assertThat(json.json().at("/gpus/0/gpu").asText()).contains("\u001b]0;owned"); // JSON keeps the value
        }
    }
}
