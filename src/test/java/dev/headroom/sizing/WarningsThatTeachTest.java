package dev.headroom.sizing;

import static dev.headroom.sizing.Scenarios.ENGINE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: each warning is raised by the scenario it is about, says what to change, and is absent from a healthy
 * scenario next to it (the same model and GPU, the one setting fixed).
 */
class WarningsThatTeachTest {
    private static Scenario pretrain(String model, String gpu, int tp, int pp, int dp, int gradAccum, Double mfu) {
        return new Scenario(Scenario.ModelSpec.catalog(model), Workload.PRETRAIN,
                new Scenario.Training(null, null, null, null, null, null, 1, gradAccum, 3e11, null), null,
                new Scenario.Shape(1, 2048, 0), new Scenario.Parallelism(tp, pp, dp, null, null, 1, null, null, null,
                null), null, new Scenario.Hardware(gpu, tp * pp * dp), null, null,
                new Efficiencies(mfu, null, null, null, null));
    }

    private static List<String> warnings(Scenario scenario) {
        return ENGINE.estimate(scenario).warnings();
    }

    /** The issue's own case: GPT-3 175B on 384 GPUs, tp 8 x pp 12 x dp 4, one micro-batch per step. */
    @Test
    void aPipelineBubbleAboveAFifthOfTheStepSaysHowManyMicroBatches() {
        List<String> bubble = warnings(pretrain("gpt-3-175b", "a100-80gb-sxm", 8, 12, 4, 1, null));

        assertThat(bubble).contains("12 stages and 1 micro-batch per step: the pipeline idles 92 % of the time;"
                + " raise --grad-accum to 48 or more (or interleave the stages with --virtual-stages)");
        assertThat(warnings(pretrain("gpt-3-175b", "a100-80gb-sxm", 8, 12, 4, 48, null)))
                .noneMatch(w -> w.contains("the pipeline idles"));
    }

    @Test
    void anMfuOutsideWhatRunsReachNamesItsLargestLoss() {
        assertThat(warnings(pretrain("gpt-3-175b", "a100-80gb-sxm", 8, 12, 4, 1, null)))
                .anyMatch(w -> w.startsWith("achieved MFU ") && w.contains("is below the 15-65 %")
                        && w.contains("the pipeline bubble (raise --grad-accum)"));
        assertThat(warnings(pretrain("llama-3.1-8b", "h100-sxm", 1, 1, 8, 8, 0.95)))
                .anyMatch(w -> w.contains("is above the 65 % no published run reaches") && w.contains("lower --mfu"));
        assertThat(warnings(pretrain("gpt-3-175b", "a100-80gb-sxm", 8, 12, 4, 48, null)))
                .noneMatch(w -> w.startsWith("achieved MFU"));
    }

    @Test
    void tensorParallelismOverPcieConsumerCardsSaysToSplitByPipeline() {
        Scenario four = Scenarios.withParallelism(Scenarios.inference("llama-3.1-70b", WeightFormat.AWQ_INT4,
                "rtx-4090", 1, 2048, 256), Scenarios.parallel(4, 1, 1, 0));

        assertThat(warnings(four)).anyMatch(w -> w.contains("has no NVLink: the tensor-parallel all-reduces of tp = 4"
                + " go over PCIe") && w.contains("split with --pp instead"));
        Scenario pipelined = Scenarios.withParallelism(four, Scenarios.parallel(1, 4, 1, 0));
        assertThat(warnings(pipelined)).noneMatch(w -> w.contains("tensor-parallel all-reduces"));
    }

    @Test
    void aKvCacheThatHoldsFewerSequencesThanTheBatchSaysHowMany() {
        Scenario crowded = Scenarios.inference("llama-3.1-8b", WeightFormat.BF16, "rtx-4090", 64, 8192, 512);
        Estimate e = ENGINE.estimate(crowded);
        long held = e.fit().maxConcurrentSequences();

        assertThat(held).isBetween(1L, 63L);
        assertThat(e.warnings()).contains("the KV cache holds " + held + " sequences of 8,704 tokens, fewer than the"
                + " batch of 64: the runtime runs " + held + " at once and queues the rest; lower --batch to " + held
                + ", shorten --seq, spread the model over more GPUs (--tp) or store the cache in FP8 (--kv-cache fp8)");
        assertThat(warnings(Scenarios.withShape(crowded, (int) held, 8192, 512)))
                .noneMatch(w -> w.startsWith("the KV cache holds"));
    }

    @Test
    void aContextBeyondTheTrainedLengthSaysTheLength() {
        assertThat(warnings(Scenarios.inference("llama-2-7b", WeightFormat.BF16, "h100-sxm", 1, 8000, 512)))
                .contains("8,512 tokens per sequence exceed the 4,096 the model was trained on: quality past it is"
                        + " not what its benchmarks show; keep --seq plus --output-tokens at 4,096 or less, or choose a"
                        + " long-context model");
        assertThat(warnings(Scenarios.inference("llama-2-7b", WeightFormat.BF16, "h100-sxm", 1, 3500, 512)))
                .noneMatch(w -> w.contains("the model was trained on"));
    }

    @Test
    void aFormatWithoutTensorCoresOnTheGpuSaysWhichGpusHaveThem() {
        assertThat(warnings(Scenarios.inference("llama-3.1-8b", WeightFormat.FP8, "a100-80gb-sxm", 1, 2048, 256)))
                .anyMatch(w -> w.startsWith("NVIDIA A100 SXM4 80GB has no fp8 tensor cores")
                        && w.contains("choose a GPU with FP8 tensor cores"));
        assertThat(warnings(Scenarios.inference("llama-3.1-8b", WeightFormat.NVFP4, "h100-sxm", 1, 2048, 256)))
                .anyMatch(w -> w.contains("has no fp4 tensor cores") && w.contains("choose a Blackwell GPU"));
        assertThat(warnings(Scenarios.inference("llama-3.1-8b", WeightFormat.FP8, "h100-sxm", 1, 2048, 256)))
                .noneMatch(w -> w.contains("tensor cores"));
        assertThat(warnings(Scenarios.inference("llama-3.1-8b", WeightFormat.NVFP4, "b200", 1, 2048, 256)))
                .noneMatch(w -> w.contains("tensor cores"));
    }
}
