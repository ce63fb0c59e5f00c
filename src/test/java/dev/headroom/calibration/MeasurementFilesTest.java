package dev.headroom.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.sizing.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each parser on a sample written in its tool's documented output format (src/test/resources/calibration: the
 * figures in them are examples, the fields are the tools'), and malformed files named by file, line and field.
 */
class MeasurementFilesTest {
    static final Scenario PLAN = CalibratorRoundTripTest.plan();

    @TempDir
    Path dir;

    static Path sample(String name) {
        return Path.of("src/test/resources/calibration", name);
    }

    Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void csvRowsGiveAPointPerMeasuredColumnAtTheirShape() throws IOException {
        List<MeasuredPoint> points = MeasurementFiles.read(sample("measured.csv"), PLAN);

        assertThat(points).extracting(MeasuredPoint::quantity).containsExactly(Quantity.TTFT_SECONDS,
                Quantity.TPOT_SECONDS, Quantity.PEAK_MEMORY_BYTES, Quantity.TTFT_SECONDS, Quantity.TPOT_SECONDS,
                Quantity.TPOT_SECONDS, Quantity.PEAK_MEMORY_BYTES);
        MeasuredPoint last = points.get(6);
        assertThat(last.measured()).isEqualTo(19.8e9);
        assertThat(last.scenario().shape()).isEqualTo(new Scenario.Shape(32, 1024, 256));
        assertThat(last.origin()).endsWith("measured.csv line 4 peak_memory_bytes");
    }

    @Test
    void vllmBenchServeGivesTpotAtLittlesLawBatch() throws IOException {
        List<MeasuredPoint> points = MeasurementFiles.read(sample("vllm-bench-serve.json"), PLAN);

        // 9.82 requests/s x (41.7 ms + 9.6 ms x 127) = 12.4 requests in the system: batch 12, so no TTFT point.
        assertThat(points).singleElement().satisfies(p -> {
            assertThat(p.quantity()).isEqualTo(Quantity.TPOT_SECONDS);
            assertThat(p.measured()).isCloseTo(0.0096, within(1e-12));
            assertThat(p.scenario().shape()).isEqualTo(new Scenario.Shape(12, 1024, 128));
        });
    }

    @Test
    void aVllmRunAtOneRequestAtATimeAlsoGivesItsTtft() throws IOException {
        String one = Files.readString(sample("vllm-bench-serve.json")).replace("\"max_concurrency\": null",
                "\"max_concurrency\": 1");
        List<MeasuredPoint> points = MeasurementFiles.read(write("one.json", one), PLAN);

        assertThat(points).extracting(MeasuredPoint::quantity).containsExactly(Quantity.TPOT_SECONDS,
                Quantity.TTFT_SECONDS);
        assertThat(points.get(1).measured()).isCloseTo(0.0417, within(1e-12));
    }

    @Test
    void llamaBenchPromptAndGenerationTests() throws IOException {
        List<MeasuredPoint> points = MeasurementFiles.read(sample("llama-bench.json"), PLAN);

        assertThat(points).hasSize(2);
        assertThat(points.get(0).quantity()).isEqualTo(Quantity.TTFT_SECONDS);
        assertThat(points.get(0).measured()).isCloseTo(512 / 7262.2038, within(1e-12));
        assertThat(points.get(0).scenario().shape()).isEqualTo(new Scenario.Shape(1, 512, 1));
        assertThat(points.get(1).quantity()).isEqualTo(Quantity.TPOT_SECONDS);
        assertThat(points.get(1).measured()).isCloseTo(1 / 127.5, within(1e-12));
        // -o jsonl: one result per line
        String jsonl = new com.fasterxml.jackson.databind.ObjectMapper().readTree(sample("llama-bench.json").toFile())
                .get(1).toString() + "\n";
        assertThat(MeasurementFiles.read(write("bench.jsonl", jsonl), PLAN)).singleElement()
                .satisfies(p -> assertThat(p.quantity()).isEqualTo(Quantity.TPOT_SECONDS));
    }

    @Test
    void aRecordingGivesItsPeakMemoryAtThePlansShape() throws IOException {
        List<MeasuredPoint> points = MeasurementFiles.read(sample("recording-h100.jsonl"), PLAN);

        assertThat(points).singleElement().satisfies(p -> {
            assertThat(p.quantity()).isEqualTo(Quantity.PEAK_MEMORY_BYTES);
            assertThat(p.measured()).isGreaterThanOrEqualTo(5.325759447E10);
            assertThat(p.scenario()).isEqualTo(PLAN);
        });
        String simulated = Files.readString(sample("recording-h100.jsonl")).replace("\"simulated\":false",
                "\"simulated\":true");
        assertThatThrownBy(() -> MeasurementFiles.read(write("sim.jsonl", simulated), PLAN))
                .hasMessageContaining("simulated source measures nothing real");
    }

    @Test
    void malformedFilesNameTheFileTheLineAndTheField() throws IOException {
        assertThatThrownBy(() -> MeasurementFiles.read(write("h.csv", "batch,ttft\n1,2\n"), PLAN))
                .hasMessageContaining("h.csv line 1: the header must be " + MeasurementFiles.CSV_HEADER);
        assertThatThrownBy(() -> MeasurementFiles.read(write("n.csv", MeasurementFiles.CSV_HEADER
                + "\n1,512,128,0.03,,\n4,abc,128,0.1,,\n"), PLAN))
                .hasMessageContaining("n.csv line 3, field input_tokens: 'abc' is not a number");
        assertThatThrownBy(() -> MeasurementFiles.read(write("r.csv", MeasurementFiles.CSV_HEADER
                + "\n0,512,128,0.03,,\n"), PLAN))
                .hasMessageContaining("r.csv line 2, field batch: 0 must be a whole number from 1 to");
        assertThatThrownBy(() -> MeasurementFiles.read(write("e.csv", MeasurementFiles.CSV_HEADER
                + "\n1,512,128,,,\n"), PLAN))
                .hasMessageContaining("e.csv line 2: no measured value");
        assertThatThrownBy(() -> MeasurementFiles.read(write("v.json", "{\"mean_ttft_ms\": 40, \"completed\": 10}"),
                PLAN)).hasMessageContaining("v.json, field total_input_tokens: missing");
        String pg = Files.readString(sample("llama-bench.json")).replace("\"n_gen\": 0", "\"n_gen\": 32");
        assertThatThrownBy(() -> MeasurementFiles.read(write("pg.json", pg), PLAN))
                .hasMessageContaining("pg.json, result 1: a test with both n_prompt and n_gen");
        // jsonl: a bad result is named by its line in the file, blank lines counted
        String pgLine = new com.fasterxml.jackson.databind.ObjectMapper().readTree(pg).get(0).toString();
        String jsonl = new com.fasterxml.jackson.databind.ObjectMapper().readTree(sample("llama-bench.json").toFile())
                .get(1).toString() + "\n\n" + pgLine + "\n";
        assertThatThrownBy(() -> MeasurementFiles.read(write("pg.jsonl", jsonl), PLAN))
                .hasMessageContaining("pg.jsonl line 3: a test with both n_prompt and n_gen");
        assertThatThrownBy(() -> MeasurementFiles.read(write("bad.json", "[{\"n_prompt\": 512,\n \"n_gen\": }]"),
                PLAN)).hasMessageContaining("bad.json line 2: not valid JSON");
        assertThatThrownBy(() -> MeasurementFiles.read(write("other.json", "{\"hello\": 1}"), PLAN))
                .hasMessageContaining("neither a vLLM benchmark result");
    }
}
