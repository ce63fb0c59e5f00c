package dev.headroom.cli;

import static dev.headroom.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorCommandTest {
    @TempDir
    Path folder;

    @AfterEach
    void clearLibrary() {
        System.clearProperty("headroom.nvml.library");
    }

    @Test
    void withoutNvmlItSaysWhatWasLookedForAndExitsWithThree() {
        System.setProperty("headroom.nvml.library", folder.resolve("none/libnvidia-ml.so.1").toString());
        CliTest.Run run = run("monitor", "--once");
        assertThat(run.code()).isEqualTo(3);
        assertThat(run.err()).contains("libnvidia-ml.so.1").contains("--source simulated");
    }

    @Test
    void onceJsonFromTheSimulationIsLabelledSimulated() throws Exception {
        CliTest.Run run = run("monitor", "--source", "simulated:h100-training:2", "--once", "--json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode j = run.json();
        assertThat(j.get("simulated").asBoolean()).isTrue();
        assertThat(j.get("gpus")).hasSize(2);
        assertThat(j.at("/gpus/0/metrics/power/unit").asText()).isEqualTo("W");
        assertThat(j.at("/gpus/0/metrics/fan/value").isNull()).isTrue();
        assertThat(j.at("/gpus/0/metrics/fan/status").asText()).isEqualTo("NOT_SUPPORTED");
    }

    @Test
    void recordsForADurationAndReplaySummarizesIt() throws Exception {
        Path file = folder.resolve("run.jsonl");
        CliTest.Run monitor = run("monitor", "--source", "simulated:rtx-4090-inference:1", "--interval", "100ms",
                "--duration", "1s", "--record", file.toString(), "--json");
        assertThat(monitor.code()).as(monitor.err()).isZero();
        assertThat(Files.readAllLines(file).size()).isGreaterThanOrEqualTo(6);

        CliTest.Run replay = run("replay", file.toString(), "--json");
        assertThat(replay.code()).as(replay.err()).isZero();
        JsonNode report = replay.json();
        assertThat(report.get("ticks").asInt()).isGreaterThanOrEqualTo(5);
        JsonNode power = report.at("/gpus/0/metrics/power");
        assertThat(power.get("min").asDouble()).isLessThanOrEqualTo(power.get("mean").asDouble());
        assertThat(power.get("p95").asDouble()).isLessThanOrEqualTo(power.get("max").asDouble());
        assertThat(power.get("unit").asText()).isEqualTo("W");
    }

    @Test
    void badArgumentsExitWithTwo() {
        assertThat(run("monitor", "--source", "tpu").code()).isEqualTo(2);
        assertThat(run("monitor", "--source", "simulated", "--interval", "10ms").err()).contains("interval = 10ms: must be between 100ms and 366 days");
        assertThat(run("replay", folder.resolve("missing.jsonl").toString()).code()).isEqualTo(2);
    }

    @Test
    void theRealH200SnapshotFromTheDeviceHasTheContractShape() throws Exception {
        JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                MonitorCommandTest.class.getResource("/nvml/h200-monitor-once.json"));
        assertThat(j.get("simulated").asBoolean()).isFalse();
        assertThat(j.get("versions").asText()).contains("driver 580.159.04");
        assertThat(j.at("/gpus/0/info/name").asText()).isEqualTo("NVIDIA H200");
        assertThat(j.at("/gpus/0/metrics/memTotal/value").asLong()).isEqualTo(150_754_820_096L);
        assertThat(j.at("/gpus/0/metrics/temp/unit").asText()).isEqualTo("°C");
        assertThat(j.at("/gpus/0/metrics/fan/status").asText()).as("an H200 has no fan").isEqualTo("NOT_SUPPORTED");
    }

    @Test
    void namesFromARecordingCannotDriveTheTerminal() throws Exception {
        Path original = Path.of("src/test/resources/nvml/h200-recording.jsonl");
        Path hostile = folder.resolve("hostile.jsonl");
        Files.writeString(hostile, Files.readString(original).replace("\"name\":\"NVIDIA H200\"",
                "\"name\":\"\\u001b]0;owned\\u0007H200\\u001b[2J\\u202e\""));
        CliTest.Run run = run("monitor", "--source", "replay:" + hostile, "--once");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain("\u001b", "\u0007", "\u202e").contains("\\x1b]0;owned\\x07H200");
    }
}
