package dev.headroom.sizing;

import static dev.headroom.sizing.Scenarios.ENGINE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants that must hold for every model, format and shape, not only the published rows. */
class SizingPropertiesTest {
    private static final List<String> MODELS = List.copyOf(Scenarios.CATALOG.models().keySet());

    @Provide
    Arbitrary<String> models() {
        return Arbitraries.of(MODELS);
    }

    @Provide
    Arbitrary<WeightFormat> formats() {
        return Arbitraries.of(WeightFormat.class);
    }

    @Property(tries = 150)
    void memoryNeverFallsWhenTheBatchGrows(@ForAll("models") String model, @ForAll("formats") WeightFormat format,
                                           @ForAll @IntRange(min = 1, max = 64) int batch,
                                           @ForAll @IntRange(min = 1, max = 32768) int input,
                                           @ForAll @IntRange(min = 1, max = 4096) int output) {
        Scenario smaller = Scenarios.inference(model, format, "h100-sxm", batch, input, output);
        Scenario larger = Scenarios.withShape(smaller, batch + 1, input, output);
        assertThat(total(larger)).isGreaterThanOrEqualTo(total(smaller));
    }

    @Property(tries = 150)
    void memoryNeverFallsWhenTheContextGrows(@ForAll("models") String model, @ForAll("formats") WeightFormat format,
                                             @ForAll @IntRange(min = 1, max = 16) int batch,
                                             @ForAll @IntRange(min = 1, max = 32768) int input,
                                             @ForAll @IntRange(min = 1, max = 4096) int more,
                                             @ForAll boolean flashAttention) {
        Scenario base = Scenarios.inference(model, format, "h100-sxm", batch, input, 64);
        base = Scenarios.withParallelism(base, new Scenario.Parallelism(1, 1, 1, null, null, null, null, null,
                flashAttention, null));
        Scenario longer = Scenarios.withShape(base, batch, input + more, 64);
        assertThat(total(longer)).isGreaterThanOrEqualTo(total(base));
    }

    @Property(tries = 100)
    void trainingMemoryNeverFallsWhenTheMicroBatchOrSequenceGrows(@ForAll("models") String model,
                                                                  @ForAll @IntRange(min = 1, max = 8) int microBatch,
                                                                  @ForAll @IntRange(min = 128, max = 8192) int sequence,
                                                                  @ForAll Recompute recompute) {
        Scenario base = pretrain(model, microBatch, sequence, recompute, 0, 1);
        assertThat(total(pretrain(model, microBatch + 1, sequence, recompute, 0, 1))).isGreaterThanOrEqualTo(total(base));
        assertThat(total(pretrain(model, microBatch, sequence + 128, recompute, 0, 1))).isGreaterThanOrEqualTo(total(base));
    }

    @Property(tries = 100)
    void moreTensorParallelismNeverRaisesPerGpuWeights(@ForAll("models") String model,
                                                       @ForAll("formats") WeightFormat format) {
        var architecture = Scenarios.CATALOG.requireModel(model).architecture();
        long previous = Long.MAX_VALUE;
        for (int tp : new int[] {1, 2, 4, 8}) {
            if (architecture.attentionHeads() % tp != 0
                    || (architecture.mla() == null && architecture.kvHeads() % tp != 0 && tp % architecture.kvHeads() != 0)) {
                continue;
            }
            Scenario s = Scenarios.withParallelism(Scenarios.inference(model, format, "h100-sxm", 1, 512, 64),
                    Scenarios.parallel(tp, 1, 1, 0));
            long weights = ENGINE.estimate(s).memory().weightsBytes();
            assertThat(weights).as("tp " + tp).isLessThanOrEqualTo(previous);
            previous = weights;
        }
    }

    @Property(tries = 60)
    void aHigherZeroStageNeverNeedsMoreMemory(@ForAll("models") String model,
                                              @ForAll @IntRange(min = 2, max = 64) int dataParallel) {
        long previous = Long.MAX_VALUE;
        for (int stage = 0; stage <= 3; stage++) {
            long total = total(pretrain(model, 1, 2048, Recompute.SELECTIVE, stage, dataParallel));
            assertThat(total).as("ZeRO " + stage).isLessThanOrEqualTo(previous);
            previous = total;
        }
    }

    /**
     * Within a family, fewer bits per weight never take more memory. Across families the order can cross (FP8 keeps
     * 16-bit embeddings where Q8_0 quantizes them), so families are checked one by one, plus anchors between them.
     */
    @Property(tries = 50)
    void quantizedFormatsOrderByTheirBits(@ForAll("models") String model) {
        assertDescending(model, WeightFormat.FP32, WeightFormat.BF16, WeightFormat.FP8);
        assertDescending(model, WeightFormat.Q8_0, WeightFormat.Q6_K, WeightFormat.Q5_K_M, WeightFormat.Q4_K_M,
                WeightFormat.Q4_0, WeightFormat.Q3_K_M, WeightFormat.Q2_K);
        assertDescending(model, WeightFormat.INT8, WeightFormat.NF4, WeightFormat.NF4_DOUBLE_QUANT);
        assertDescending(model, WeightFormat.NF4, WeightFormat.GPTQ_INT4, WeightFormat.INT4);
        assertDescending(model, WeightFormat.BF16, WeightFormat.Q8_0, WeightFormat.Q4_K_M, WeightFormat.Q2_K);
        assertDescending(model, WeightFormat.BF16, WeightFormat.INT8, WeightFormat.GPTQ_INT4);
        assertThat(weightsOf(model, WeightFormat.AWQ_INT4)).isEqualTo(weightsOf(model, WeightFormat.GPTQ_INT4));
        assertDescending(model, WeightFormat.BF16, WeightFormat.FP8_BLOCK, WeightFormat.FP8, WeightFormat.NVFP4);
        assertDescending(model, WeightFormat.FP8, WeightFormat.MXFP4);
        if (!Scenarios.CATALOG.requireModel(model).architecture().hasExperts()) {
            assertDescending(model, WeightFormat.NVFP4, WeightFormat.MXFP4); // 4.5 vs 4.25 bits on every layer
        }
    }

    private static void assertDescending(String model, WeightFormat... formats) {
        long previous = Long.MAX_VALUE;
        for (WeightFormat format : formats) {
            long weights = weightsOf(model, format);
            assertThat(weights).as(model + " " + format.label()).isLessThan(previous);
            previous = weights;
        }
    }

    @Property(tries = 80)
    void maxBatchAndMaxContextAreConsistentWithFits(@ForAll("models") String model,
                                                    @ForAll @IntRange(min = 1, max = 32) int batch,
                                                    @ForAll @IntRange(min = 16, max = 16384) int input) {
        Estimate e = ENGINE.estimate(Scenarios.inference(model, WeightFormat.FP8, "h200", batch, input, 128));
        if (e.fit().fits()) {
            assertThat(e.fit().maxBatch()).isGreaterThanOrEqualTo(batch);
            assertThat(e.fit().maxContextTokens()).isGreaterThanOrEqualTo(Math.min(input + 128,
                    Scenarios.CATALOG.requireModel(model).architecture().maxContextTokens()));
        } else {
            assertThat(e.fit().maxBatch()).isLessThan(batch);
        }
    }

    private static long weightsOf(String model, WeightFormat format) {
        return ENGINE.estimate(Scenarios.inference(model, format, "h100-sxm", 1, 16, 16)).memory().weightsBytes();
    }

    private static long total(Scenario s) {
        return ENGINE.estimate(s).memory().totalBytes();
    }

    private static Scenario pretrain(String model, int microBatch, int sequence, Recompute recompute, int zero, int dp) {
        return new Scenario(Scenario.ModelSpec.catalog(model), Workload.PRETRAIN,
                new Scenario.Training(null, null, null, null, null, null, microBatch, null, null, recompute), null,
                new Scenario.Shape(null, sequence, 0), Scenarios.parallel(1, 1, dp, zero), null,
                new Scenario.Hardware("h100-sxm", dp), null, null, null);
    }
}
