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

    // Issue 13, items 11 and 16: impossible readings, time running backwards, a bad last line, version 99 and a
    // GPU the header does not list are rejected with the file and the line; a torn last line is skipped.

    private static final Path H200 = Path.of("src/test/resources/nvml/h200-recording.jsonl");

    /** The H200 recording's header and its first {@code ticks} ticks, the last one changed by {@code edit}. */
    private Path recording(String name, int ticks, java.util.function.UnaryOperator<String> edit, boolean newline)
            throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(H200).subList(0, 1 + ticks));
        lines.set(ticks, edit.apply(lines.get(ticks)));
        Path file = folder.resolve(name);
        Files.writeString(file, String.join("\n", lines) + (newline ? "\n" : ""));
        return file;
    }

    private void assertRejected(Path file, String message) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Recording.read(file))
                .isInstanceOf(java.io.IOException.class).hasMessage(file + " " + message);
    }

    @Test
    void impossibleReadingsAreRejectedWithTheirLine() throws Exception {
        assertRejected(recording("util.jsonl", 3, l -> l.replace("\"util\":0.0", "\"util\":-50"), true),
                "line 4: GPU 0 util = -50: must be between 0 and 100 %");
        assertRejected(recording("temp.jsonl", 2, l -> l.replaceFirst("\"temp\":[0-9.]+", "\"temp\":1e300"), true),
                "line 3: GPU 0 temp = 1.0E300: must be between -50 and 200 °C");
        assertRejected(recording("power.jsonl", 2, l -> l.replaceFirst("\"power\":[0-9.]+", "\"power\":-1e9"), true),
                "line 3: GPU 0 power = -1.0E9: must be between 0 and 10000 W");
        assertRejected(recording("mem.jsonl", 2, l -> l.replace("\"memUsed\":0.0", "\"memUsed\":-1"), true),
                "line 3: GPU 0 memUsed = -1: must be between 0 and 1125899906842624 bytes");
        assertRejected(recording("clock.jsonl", 2, l -> l.replaceFirst("\"smClock\":[0-9.]+", "\"smClock\":1e309"), true),
                "line 3: GPU 0 smClock = Infinity: must be between 0 and 100000 MHz");
    }

    @Test
    void timeRunningBackwardsIsRejected() throws Exception {
        Path file = recording("backwards.jsonl", 3, l -> l.replaceFirst("\"t\":\\d+", "\"t\":1795681000000"), true);

        assertRejected(file, "line 4: t = 1795681000000: time runs backwards (the tick before is 838870 ms later)");
    }

    @Test
    void aGpuTwiceInOneTickIsRejected() throws Exception {
        assertRejected(recording("twice.jsonl", 2, l -> l.replace("\"gpus\":[{",
                "\"gpus\":[{\"i\":0,\"state\":\"OK\",\"v\":{},\"s\":{}},{"), true),
                "line 3: GPU 0 appears twice in one tick");
    }

    @Test
    void aCompleteBadLastLineIsRejectedLikeAnyOther() throws Exception {
        assertRejected(recording("last.jsonl", 5, l -> "{\"t\": 1, \"gpus\": [oops]}", true),
                "line 6: not a tick (not JSON)");
        // whole JSON but impossible, even without its newline: not a torn write
        assertRejected(recording("last-no-newline.jsonl", 5, l -> l.replace("\"util\":0.0", "\"util\":101"), false),
                "line 6: GPU 0 util = 101: must be between 0 and 100 %");
    }

    @Test
    void aTornLastLineIsSkippedAndNamed() throws Exception {
        Path file = recording("torn.jsonl", 5, l -> l.substring(0, l.length() / 2), false);

        Recording.Contents contents = Recording.read(file);

        assertThat(contents.ticks()).hasSize(4);
        assertThat(contents.tornLine()).isEqualTo(6);
    }

    @Test
    void aHeaderOfAnotherVersionIsRejected() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(H200).subList(0, 3));
        lines.set(0, lines.get(0).replace("\"version\":1", "\"version\":99"));
        Path file = folder.resolve("v99.jsonl");
        Files.write(file, lines);

        assertRejected(file, "line 1: version = 99: this build reads version 1 only");
    }

    @Test
    void aTickForAGpuNotInTheHeaderIsRejected() throws Exception {
        assertRejected(recording("gpu5.jsonl", 2, l -> l.replace("\"i\":0", "\"i\":5"), true),
                "line 3: GPU 5 is not one of the header's GPUs [0]");
    }

    @Test
    void anUnknownStateNamesTheFieldNotTheEnum() throws Exception {
        assertRejected(recording("state.jsonl", 2, l -> l.replace("\"state\":\"OK\"", "\"state\":5"), true),
                "line 3: GPU 0 state = 5: must be one of [OK, NOT_SUPPORTED, FUNCTION_MISSING, NO_PERMISSION, "
                        + "GPU_LOST, DRIVER_GONE, ERROR]");
    }

    // Issue 13, item 4: --record appends to the same recording and refuses anything else.

    private static SimulatedSource simulated(int gpus) {
        return new SimulatedSource(SimulatedSource.Preset.RTX_4090, SimulatedSource.Workload.INFERENCE, gpus, 7);
    }

    private static void record(Path file, SimulatedSource source, int ticks, boolean overwrite) throws Exception {
        List<GpuInfo> gpus = source.open();
        try (Recording.Writer writer = new Recording.Writer(file, source, gpus, 1000, overwrite)) {
            for (int i = 0; i < ticks; i++) {
                writer.append(source.sample(false));
            }
        }
    }

    @Test
    void theSameRecordingIsAppendedTo() throws Exception {
        Path file = folder.resolve("run.jsonl");
        record(file, simulated(2), 3, false);
        record(file, simulated(2), 2, false);

        Recording.Contents contents = Recording.read(file);
        assertThat(contents.ticks()).hasSize(5);
        assertThat(Files.readAllLines(file).stream().filter(l -> l.contains(Recording.FORMAT))).hasSize(1);
    }

    @Test
    void aTornLastTickIsCutBeforeAppending() throws Exception {
        Path file = folder.resolve("run.jsonl");
        record(file, simulated(1), 3, false);
        Files.writeString(file, "{\"t\": 17956818", java.nio.file.StandardOpenOption.APPEND);
        record(file, simulated(1), 2, false);

        Recording.Contents contents = Recording.read(file);
        assertThat(contents.ticks()).hasSize(5);
        assertThat(contents.tornLastLine()).isFalse();
    }

    @Test
    void anythingElseIsRefusedAndKeptUnlessOverwriting() throws Exception {
        Path plan = folder.resolve("plan.headroom-plan");
        Files.writeString(plan, "{\"model\": {\"id\": \"llama-3.1-8b\"}}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> record(plan, simulated(1), 1, false))
                .isInstanceOf(dev.headroom.common.RefusedTargetException.class)
                .hasMessageContaining("holds something that is not a headroom recording; nothing written");
        assertThat(plan).hasContent("{\"model\": {\"id\": \"llama-3.1-8b\"}}");

        Path other = folder.resolve("two-gpus.jsonl");
        record(other, simulated(2), 1, false);
        String before = Files.readString(other);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> record(other, simulated(1), 1, false))
                .isInstanceOf(dev.headroom.common.RefusedTargetException.class)
                .hasMessageContaining("(gpus differs)");
        assertThat(other).hasContent(before);

        record(plan, simulated(1), 2, true);
        assertThat(Recording.read(plan).ticks()).hasSize(2);
    }
}
