package dev.headroom.cli;

import static dev.headroom.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SizeCommandTest {
    @TempDir
    Path folder;

    @org.junit.jupiter.api.extension.RegisterExtension
    final IsolatedUserCatalog userCatalog = new IsolatedUserCatalog();

    /** The --json contract of the sizing issue: these fields, bytes as integers, n/a as null. */
    @Test
    void jsonCarriesTheContractFields() throws Exception {
        CliTest.Run run = run("size", "--model", "llama-3.1-8b", "--workload", "inference", "--weights", "fp16",
                "--gpu", "rtx-4090", "--json");

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode j = run.json();
        for (String field : List.of("parameters", "activeParameters", "kvCacheBytesPerToken", "ruleOfThumbBytes",
                "assumptions", "warnings")) {
            assertThat(j.has(field)).as(field).isTrue();
        }
        for (String field : List.of("weightsBytes", "kvCacheBytes", "activationsBytes", "overheadBytes", "totalBytes")) {
            assertThat(j.get("memory").get(field).isIntegralNumber()).as(field).isTrue();
        }
        for (String field : List.of("gradientsBytes", "optimizerStatesBytes")) { // inference: does not apply
            assertThat(j.get("memory").get(field).isNull()).as(field).isTrue();
        }
        for (String field : List.of("gpu", "capacityBytes", "fits", "minGpus", "maxBatch", "maxContextTokens")) {
            assertThat(j.get("fit").has(field)).as(field).isTrue();
        }
        for (String field : List.of("prefillSeconds", "timePerOutputTokenSeconds", "outputTokensPerSecond",
                "trainingStepSeconds", "trainingTokensPerSecond", "trainingDays", "trainingGpuHours")) {
            assertThat(j.get("performance").has(field)).as(field).isTrue();
        }
        assertThat(j.at("/performance/trainingStepSeconds").isNull()).isTrue();
        assertThat(j.at("/performance/prefillSeconds").asDouble()).isPositive();
        assertThat(j.get("kvCacheBytesPerToken").asLong()).isEqualTo(131_072L);
        assertThat(j.at("/fit/fits").asBoolean()).isTrue();
        assertThat(j.at("/assumptions/bandwidthEfficiency/value").asDouble()).isEqualTo(0.75);
    }

    /**
     * Issue 21: "how much memory does this model need?" comes before "on which GPU?". Without --gpu the memory,
     * KV per token and rule of thumb are the ones a GPU of the same backend gets, and every catalog GPU has a row
     * saying how many it takes, the same count as sizing on that GPU finds.
     */
    @Test
    void withoutAGpuTheMemoryAndHowManyOfEachGpuInJson() throws Exception {
        CliTest.Run run = run("size", "--model", "llama-3.1-70b", "--weights", "fp8", "--json");

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode j = run.json();
        for (String field : List.of("fit", "performance", "layout", "host")) {
            assertThat(j.get(field).isNull()).as(field).isTrue();
        }
        CliTest.Run onH100 = run("size", "--model", "llama-3.1-70b", "--weights", "fp8", "--gpu", "h100-sxm", "--json");
        JsonNode g = onH100.json();
        assertThat(j.get("memory")).isEqualTo(g.get("memory"));
        assertThat(j.get("kvCacheBytesPerToken")).isEqualTo(g.get("kvCacheBytesPerToken"));
        assertThat(j.get("ruleOfThumbBytes")).isEqualTo(g.get("ruleOfThumbBytes"));
        assertThat(j.has("assumptions")).isTrue();
        assertThat(j.at("/assumptions/peakTflops").isMissingNode()).as("no speed without a GPU").isTrue();

        JsonNode gpus = j.get("gpus");
        assertThat(gpus.size()).isEqualTo(new dev.headroom.catalog.CatalogLoader(null).load().gpus().size());
        JsonNode h100 = null;
        JsonNode l4 = null;
        for (JsonNode row : gpus) {
            if (row.get("gpu").asText().equals("h100-sxm")) {
                h100 = row;
            } else if (row.get("gpu").asText().equals("l4")) {
                l4 = row;
            }
        }
        assertThat(h100.get("gpusNeeded").asInt()).isEqualTo(g.at("/fit/minGpus").asInt()).isEqualTo(1);
        assertThat(h100.get("usableBytes").asLong()).isEqualTo(g.at("/fit/usableBytes").asLong());
        assertThat(h100.get("fitsAsGiven").asBoolean()).isTrue();
        int onL4 = run("size", "--model", "llama-3.1-70b", "--weights", "fp8", "--gpu", "l4", "--json").json()
                .at("/fit/minGpus").asInt();
        assertThat(l4.get("gpusNeeded").asInt()).isEqualTo(onL4).isGreaterThan(1);
        assertThat(l4.get("fitsAsGiven").asBoolean()).isFalse();
    }

    @Test
    void withoutAGpuInText() {
        CliTest.Run run = run("size", "--model", "llama-3.1-70b", "--weights", "fp8");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("no GPU given: memory per GPU at tp 1 pp 1", "Memory per GPU",
                "KV cache per token", "Rule of thumb", "On each catalog GPU", "GPUS NEEDED", "Assumptions")
                .containsPattern("(?m)^h100-sxm +data-center +yes +1 +tp 1 x pp 1 ")
                .doesNotContain("Fit on", "Speed");
    }

    @Test
    void withoutAGpuOffloadIsRefusedByName() {
        CliTest.Run run = run("size", "--model", "llama-3.1-70b", "--cpu-offload-gb", "10");

        assertThat(run.code()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(run.err()).contains("gpu: offloading to the host and a unified-memory share need a GPU (--gpu ID)");
    }

    @Test
    void parameterCountOnlyGivesModelStatesAndNullForWhatNeedsAnArchitecture() throws Exception {
        CliTest.Run run = run("size", "--params", "7.5e9", "--workload", "pretrain", "--zero", "3", "--dp", "64",
                "--grad-precision", "fp16", "--gpu", "a100-80gb-sxm", "--json");

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode j = run.json();
        assertThat(j.at("/memory/kvCacheBytes").isNull()).isTrue();
        assertThat(j.at("/memory/activationsBytes").isNull()).isTrue();
        assertThat(j.get("kvCacheBytesPerToken").isNull()).isTrue();
        long states = j.at("/memory/weightsBytes").asLong() + j.at("/memory/gradientsBytes").asLong()
                + j.at("/memory/optimizerStatesBytes").asLong();
        assertThat(states).isEqualTo(1_875_000_000L); // ZeRO paper Fig. 1, stage 3
        assertThat(j.get("warnings").toString()).contains("only a parameter count is known");
    }

    @Test
    void aCustomArchitectureFromFlags() throws Exception {
        CliTest.Run run = run("size", "--layers", "32", "--hidden", "4096", "--heads", "32", "--kv-heads", "8",
                "--ffn", "14336", "--ffn-kind", "swiglu", "--vocab", "128256", "--gpu", "l40s", "--json");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.json().get("parameters").asLong()).isEqualTo(8_030_261_248L); // the Llama-3.1-8B shape
    }

    @Test
    void aConfigJsonAsTheModel() throws Exception {
        Path config = dev.headroom.SharedFixtures.hfConfig("mixtral-8x7b-v0.1");
        CliTest.Run run = run("size", "--model", config.toString(), "--gpu", "h100-sxm", "--tp", "2", "--weights",
                "fp8", "--json");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.json().get("parameters").asLong()).isEqualTo(46_702_792_704L);
    }

    @Test
    void trainingFillsTheTrainingFieldsAndLeavesInferenceOnesNull() throws Exception {
        CliTest.Run run = run("size", "--model", "llama-3.1-8b", "--workload", "finetune", "--method", "qlora",
                "--gpu", "rtx-4090", "--seq", "2048", "--train-tokens", "1e8", "--json");

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode j = run.json();
        assertThat(j.at("/performance/prefillSeconds").isNull()).isTrue();
        assertThat(j.at("/performance/trainingGpuHours").asDouble()).isPositive();
        assertThat(j.at("/assumptions/weightFormat/value").asText()).isEqualTo("nf4-dq");
        assertThat(j.at("/fit/fits").asBoolean()).as("QLoRA of an 8B model fits a 24 GB card").isTrue();
    }

    @Test
    void badInputExitsWithTwoAndOneLinePerProblem() {
        CliTest.Run run = run("size", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--tp", "3", "--pp", "40",
                "--batch", "0");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().lines()).contains("headroom: batch = 0: must be between 1 and 1048576",
                "headroom: tp = 3: must divide the attention heads (32)",
                "headroom: pp = 40: must be between 1 and the layer count (32)");
    }

    @Test
    void unknownIdsAndFormatsAreNamed() {
        assertThat(run("size", "--model", "llama-9", "--gpu", "h100-sxm").err())
                .contains("model = llama-9: no such model id");
        assertThat(run("size", "--model", "llama-3.1-8b", "--gpu", "h900").err()).contains("gpu = h900: no such GPU id");
        CliTest.Run format = run("size", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--weights", "q5_0");
        assertThat(format.code()).isEqualTo(2);
        assertThat(format.err()).contains("weights 'q5_0' is not one of: fp32, fp16, bf16");
        assertThat(run("size", "--params", "0", "--gpu", "h100-sxm").err()).contains("params = 0: must be between");
        assertThat(run("size", "--gpu", "h100-sxm").err()).contains("model: --model ID|CONFIG.json, --params N");
    }

    @Test
    void theTextReportShowsSharesAssumptionsAndWarnings() {
        CliTest.Run run = run("size", "--model", "llama-3.1-70b", "--gpu", "rtx-4090", "--weights", "q4_k_m",
                "--runtime", "llama-cpp");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("Memory per GPU").contains("DOES NOT FIT").contains("minimum GPUs: 2")
                .contains("Assumptions").contains("Effective bits per weight");
    }

    @Test
    void aSavedScenarioReproducesTheEstimate() throws Exception {
        Path plan = folder.resolve("plan.json");
        CliTest.Run first = run("size", "--model", "qwen2.5-32b", "--gpu", "l40s", "--tp", "2", "--batch", "8",
                "--weights", "awq-int4", "--save", plan.toString(), "--json");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(Files.readString(plan)).contains("\"awq-int4\"");

        CliTest.Run again = run("size", "--scenario", plan.toString(), "--json");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.json().get("memory")).isEqualTo(first.json().get("memory"));
    }

    /** kvCacheBytesPerTokenByContext: the average over one sequence at 1k, 8k, 32k and 128k tokens. */
    @Test
    void kvPerTokenByContextFallsForAWindowedModel() throws Exception {
        CliTest.Run run = run("size", "--model", "gpt-oss-120b", "--weights", "mxfp4", "--gpu", "h100-sxm", "--json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode byContext = run.json().get("kvCacheBytesPerTokenByContext");
        assertThat(byContext.fieldNames()).toIterable().containsExactly("1024", "8192", "32768", "131072");
        assertThat(byContext.get("131072").asLong()).isLessThan(byContext.get("1024").asLong());
    }

    /** A shape flag over a catalog model keeps every other feature: the same layer count changes nothing. */
    @Test
    void architectureFlagsOverACatalogModelKeepItsOtherFeatures() throws Exception {
        for (String[] model : new String[][] {{"deepseek-v4-flash", "--layers", "43"},
            {"llama-4-maverick", "--active-experts", "1"}, {"gemma-4-26b-a4b", "--experts", "128"}}) {
            CliTest.Run plain = run("size", "--model", model[0], "--gpu", "b200", "--json");
            CliTest.Run same = run("size", "--model", model[0], model[1], model[2], "--gpu", "b200", "--json");
            assertThat(same.code()).as(same.err()).isZero();
            assertThat(same.json().get("parameters").asLong()).as(model[0])
                    .isEqualTo(plain.json().get("parameters").asLong());
            assertThat(same.json().get("activeParameters").asLong()).as(model[0])
                    .isEqualTo(plain.json().get("activeParameters").asLong());
        }
    }
}
