package dev.headroom.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingTest {
    @TempDir
    Path folder;

    @Test
    void aRecordingReadsBackTickForTick() throws Exception {
        SimulatedSource source = new SimulatedSource(SimulatedSource.Preset.RTX_4090, SimulatedSource.Workload.INFERENCE, 2, 7);
        List<GpuInfo> gpus = source.open();
        Path file = folder.resolve("run.jsonl");
        List<Snapshot> written = new ArrayList<>();
        try (Recording.Writer writer = new Recording.Writer(file, source, gpus, 1000)) {
            for (int i = 0; i < 5; i++) {
                Snapshot snapshot = source.sample(i == 0);
                writer.append(snapshot);
                written.add(snapshot);
            }
        }
        Recording.Contents contents = Recording.read(file);
        assertThat(contents.simulated()).isTrue();
        assertThat(contents.gpus()).isEqualTo(gpus);
        assertThat(contents.ticks()).hasSize(5);
        for (int i = 0; i < 5; i++) {
            GpuReading before = written.get(i).gpus().get(1);
            GpuReading after = contents.ticks().get(i).gpus().get(1);
            for (Metric metric : Metric.all()) {
                assertThat(after.status(metric)).isEqualTo(before.status(metric));
                if (before.has(metric)) {
                    assertThat(after.value(metric)).isEqualTo(before.value(metric));
                }
            }
            assertThat(after.throttleMask()).isEqualTo(before.throttleMask());
        }
        assertThat(contents.ticks().get(0).gpus().get(0).processes()).isNotEmpty();
        assertThat(Files.readAllLines(file).get(0)).contains("\"units\"").contains("\"power\":\"W\"");
    }

    /** The recorder is killed with SIGKILL mid-run: every tick flushed before the kill reads back. */
    @Test
    void everythingFlushedBeforeAKillMinus9ReadsBack() throws Exception {
        Path file = folder.resolve("killed.jsonl");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process recorder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.headroom.Main",
                "monitor", "--source", "simulated", "--interval", "100ms", "--record", file.toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("out.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((!Files.exists(file) || Files.readAllLines(file).size() < 8) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        recorder.destroyForcibly(); // SIGKILL: no shutdown hook, no close
        assertThat(recorder.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(recorder.exitValue()).isEqualTo(137);

        long lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count();
        Recording.Contents contents = Recording.read(file);
        assertThat(contents.ticks().size()).isGreaterThanOrEqualTo(7);
        assertThat(contents.ticks().size()).isEqualTo(lines - 1 - (contents.tornLastLine() ? 1 : 0));
        assertThat(contents.ticks()).allSatisfy(t -> assertThat(t.gpus()).hasSize(2));
    }

    @Test
    void aRealH200RecordingFromTheDeviceReadsBack() throws Exception {
        Path file = Path.of(RecordingTest.class.getResource("/nvml/h200-recording.jsonl").toURI());
        Recording.Contents contents = Recording.read(file);
        assertThat(contents.source()).isEqualTo("nvml");
        assertThat(contents.simulated()).isFalse();
        assertThat(contents.versions()).contains("driver 580.159.04");
        assertThat(contents.gpus()).singleElement().satisfies(g -> {
            assertThat(g.name()).isEqualTo("NVIDIA H200");
            assertThat(g.memoryTotalBytes()).isEqualTo(150_754_820_096L);
        });
        Statistics.Report report = Statistics.of(contents, AlertRule.defaults());
        assertThat(report.ticks()).isEqualTo(26);
        assertThat(report.gpus().get(0).metrics().get("temp").max()).isBetween(20.0, 90.0);
    }
}
