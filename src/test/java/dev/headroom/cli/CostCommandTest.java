package dev.headroom.cli;

import static dev.headroom.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostCommandTest {
    @TempDir
    Path folder;

    @org.junit.jupiter.api.extension.RegisterExtension
    final IsolatedUserCatalog userCatalog = new IsolatedUserCatalog();

    /** The --json contract: per option capex, monthly opex, cost per GPU-hour; per offer break-even month and utilization. */
    @Test
    void jsonCarriesTheContractFields() throws Exception {
        CliTest.Run run = run("cost", "--gpu", "h100-sxm", "--gpus", "8", "--gpu-price", "30000", "--idle-fraction", "0",
                "--json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode option = run.json().get("option");
        for (String field : List.of("capexUsd", "monthlyOpexUsd", "costPerUsefulGpuHourUsd", "costPerMillionTokensUsd",
                "cumulativeUsd", "versus")) {
            assertThat(option.has(field)).as(field).isTrue();
        }
        // CostEngineTest's hand-worked case, through the command line.
        assertThat(option.get("capexUsd").asDouble()).isCloseTo(393_600, within(1e-6));
        assertThat(option.get("monthlyOpexUsd").asDouble()).isCloseTo(5_501.63, within(0.01));
        assertThat(option.get("costPerMillionTokensUsd").isNull()).isTrue(); // no throughput given
        JsonNode p5 = null;
        for (JsonNode v : option.get("versus")) {
            assertThat(v.has("breakEvenMonth")).isTrue();
            assertThat(v.has("breakEvenUtilization")).isTrue();
            if (v.get("offer").asText().equals("aws-p5.48xlarge-on-demand")) {
                p5 = v;
            }
        }
        assertThat(p5).isNotNull();
        assertThat(p5.get("breakEvenMonth").asInt()).isEqualTo(22);
        assertThat(p5.get("breakEvenUtilization").asDouble()).isCloseTo(0.295834, within(1e-6));
        assertThat(run.json().get("assumptions").get("electricityUsdPerKwh").asDouble()).isEqualTo(0.0826);
    }

    @Test
    void aPlanGivesTheThroughputAndCompareListsConsumerAndDataCenterGpus() throws Exception {
        Path plan = folder.resolve("plan.json");
        CliTest.Run sized = run("size", "--model", "llama-3.1-8b", "--workload", "inference", "--weights", "bf16",
                "--gpu", "l40s", "--batch", "8", "--save", plan.toString());
        assertThat(sized.code()).as(sized.err()).isZero();

        CliTest.Run run = run("cost", "--plan", plan.toString(), "--compare", "--json");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.json().get("option").get("gpu").asText()).isEqualTo("l40s");
        assertThat(run.json().get("option").get("costPerMillionTokensUsd").asDouble()).isPositive();
        List<String> classes = new java.util.ArrayList<>();
        run.json().get("options").forEach(o -> classes.add(o.get("gpuClass").asText()));
        assertThat(classes).contains("consumer", "data-center");

        CliTest.Run text = run("cost", "--plan", plan.toString(), "--compare");
        assertThat(text.out()).contains("$ per million tokens").contains("GeForce driver licence");
    }

    @Test
    void badInputExitsTwoWithOneLinePerProblem() {
        CliTest.Run run = run("cost", "--gpu", "rtx-4090", "--gpus", "2", "--electricity", "9", "--pue", "0.5");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("electricity = 9: must be between 0 and 5")
                .contains("pue = 0.5: must be between 1 and 4");
        assertThat(run("cost", "--gpu", "nope", "--gpus", "1").err()).contains("gpu = nope: no such GPU id");
        assertThat(run("cost", "--gpus", "1").err()).contains("give --plan FILE, or --gpu ID and --gpus N");
        assertThat(run("cost", "--gpu", "t4", "--gpus", "1").err()).contains("t4 has no purchase price");
    }
}
