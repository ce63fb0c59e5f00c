package dev.headroom.cli;

import static dev.headroom.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.calibration.CalibrationStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** headroom calibrate as its contract says, and --calibration NAME on the commands that estimate. */
class CalibrateCommandTest {
    @TempDir
    Path dir;
    Path plan;

    @BeforeEach
    void setUp() {
        System.setProperty(CalibrationStore.DIR_PROPERTY, dir.resolve("profiles").toString());
        plan = dir.resolve("plan.headroom-plan");
        assertThat(run("size", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--runtime", "vllm", "--save",
                plan.toString()).code()).isZero();
    }

    @AfterEach
    void tearDown() {
        System.clearProperty(CalibrationStore.DIR_PROPERTY);
    }

    @Test
    void fitsSavesListsUsesAndRemovesAProfile() throws Exception {
        CliTest.Run r = run("calibrate", "--plan", plan.toString(), "--measured",
                "src/test/resources/calibration/measured.csv", "--measured",
                "src/test/resources/calibration/llama-bench.json", "--name", "h100-mine", "--json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        for (String f : new String[]{"prefillEfficiency", "bandwidthEfficiency", "overheadBytes", "fragmentation"}) {
            assertThat(j.at("/fitted/" + f + "/value").isNumber()).as(f).isTrue();
            assertThat(j.at("/fitted/" + f).has("fitted")).isTrue();
        }
        assertThat(j.at("/fitted/bandwidthEfficiency/fitted").asBoolean()).isTrue();
        assertThat(j.get("points").size()).isEqualTo(9);
        JsonNode point = j.at("/points/0");
        for (String f : new String[]{"measured", "estimatedBefore", "estimatedAfter", "errorBefore", "errorAfter"}) {
            assertThat(point.get(f).isNumber()).as(f).isTrue();
        }
        Path profile = Path.of(j.get("profile").asText());
        assertThat(profile).exists().hasFileName("h100-mine.json");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(profile.toFile()).at("/fitted"))
                .isEqualTo(j.get("fitted"));

        assertThat(run("calibrate", "--list").out().trim()).isEqualTo("h100-mine");
        double before = run("size", "--plan", plan.toString(), "--json").json()
                .at("/performance/timePerOutputTokenSeconds").asDouble();
        double after = run("size", "--plan", plan.toString(), "--calibration", "h100-mine", "--json").json()
                .at("/performance/timePerOutputTokenSeconds").asDouble();
        assertThat(after).isNotEqualTo(before);
        assertThat(run("simulate", "--plan", plan.toString(), "--calibration", "h100-mine", "--rate", "2",
                "--requests", "50").code()).isZero();

        CliTest.Run recommend = run("recommend", "--model", "llama-3.1-8b", "--runtime", "vllm", "--rate", "2",
                "--tpot-slo", "100ms", "--gpus", "h100-sxm,l40s", "--requests", "100", "--calibration", "h100-mine",
                "--json");
        assertThat(recommend.code()).as(recommend.err()).isZero();
        assertThat(recommend.json().get("assumptions").toString()).contains("Calibration 'h100-mine' (h100-sxm, vllm)")
                .contains("applied to the layouts on that GPU and runtime only");

        CliTest.Run other = run("size", "--model", "llama-3.1-8b", "--gpu", "a100-80gb-sxm", "--calibration",
                "h100-mine");
        assertThat(other.code()).isEqualTo(2);
        assertThat(other.err()).contains("calibration = 'h100-mine': fitted on h100-sxm with vllm; this plan runs on"
                + " a100-80gb-sxm");

        assertThat(run("calibrate", "--remove", "h100-mine").code()).isZero();
        assertThat(profile).doesNotExist();
        assertThat(run("calibrate", "--remove", "h100-mine").code()).isEqualTo(2);
        assertThat(run("size", "--plan", plan.toString(), "--calibration", "h100-mine").err())
                .contains("calibration = 'h100-mine': no such profile");
    }

    @Test
    void badInputExitsTwoNamingTheFieldAndNothingIsSaved() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "batch,input_tokens,output_tokens,ttft_s,tpot_s,"
                + "peak_memory_bytes\n1,512,128,-3,,\n");
        CliTest.Run r = run("calibrate", "--plan", plan.toString(), "--measured", bad.toString(), "--name", "../x");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("name = '../x': letters, digits")
                .contains("bad.csv line 2, field ttft_s: -3 must be from above 0");
        assertThat(run("calibrate").err()).contains("plan: --plan FILE is required")
                .contains("measured: --measured FILE is required");
        assertThat(dir.resolve("profiles")).doesNotExist();
    }
}
