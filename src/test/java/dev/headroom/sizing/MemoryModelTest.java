package dev.headroom.sizing;

import static dev.headroom.sizing.Scenarios.ENGINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

/** Behaviours of the memory model that no published row pins down, each derived by hand in its comment. */
class MemoryModelTest {

    private static Scenario finetune(String model, FinetuneMethod method, Scenario.Parallelism p, int zero) {
        return new Scenario(Scenario.ModelSpec.catalog(model), Workload.FINETUNE,
                new Scenario.Training(method, 16, null, null, null, null, 1, null, null, Recompute.SELECTIVE), null,
                new Scenario.Shape(null, 1024, 0), p, null, new Scenario.Hardware("h100-sxm", (int) p.gpus()), null, null,
                null);
    }

    @Test
    void kvCacheGrowsLinearlyWithContext() {
        Scenario s = Scenarios.withKvPolicy(Scenarios.inference("llama-3.1-8b", WeightFormat.BF16, "h100-sxm", 4, 999, 1),
                new Scenario.KvCachePolicy(null, 0, null));
        long thousand = ENGINE.estimate(s).memory().kvCacheBytes();
        long fourThousand = ENGINE.estimate(Scenarios.withShape(s, 4, 3999, 1)).memory().kvCacheBytes();
        assertThat(thousand).isEqualTo(4L * 1000 * 131_072);
        assertThat(fourThousand).isEqualTo(4 * thousand);
    }

    @Test
    void pagedBlocksRoundEachSequenceUp() {
        // vLLM blocks of 16: 1000 tokens occupy 63 blocks = 1008 tokens.
        Scenario s = Scenarios.inference("llama-3.1-8b", WeightFormat.BF16, "h100-sxm", 2, 999, 1);
        assertThat(ENGINE.estimate(s).memory().kvCacheBytes()).isEqualTo(2L * 1008 * 131_072);
    }

    @Test
    void aSharedPrefixIsStoredOnce() {
        // 64 sequences of 2048 + 512 tokens sharing a 1536-token system prompt (96 blocks of 16).
        Scenario plain = Scenarios.inference("llama-3.1-8b", WeightFormat.BF16, "h100-sxm", 64, 2048, 512);
        Scenario shared = Scenarios.withKvPolicy(plain, new Scenario.KvCachePolicy(null, null, 1536));
        long perToken = 131_072L;
        assertThat(ENGINE.estimate(shared).memory().kvCacheBytes()).isEqualTo((1536 + 64L * (2560 - 1536)) * perToken);
        // and one more sequence costs only its own 1024 tokens, so the budget holds about 2.5 x as many
        Estimate e = ENGINE.estimate(shared);
        Estimate p = ENGINE.estimate(plain);
        assertThat(e.fit().maxConcurrentSequences() * 1.0 / p.fit().maxConcurrentSequences()).isCloseTo(2.5,
                withinPercentage(5));
    }

    @Test
    void slidingWindowLayersKeepOnlyTheWindowAndAPrefixThatLeftItIsNotShared() {
        // Gemma 2 9B: 42 layers, half with a 4096 window; 8 KV heads x 256 dims x 2 bytes x 2 = 8192 B per layer.
        Scenario s = Scenarios.withKvPolicy(Scenarios.inference("gemma-2-9b", WeightFormat.BF16, "h100-sxm", 32, 8000, 192),
                new Scenario.KvCachePolicy(null, 0, 4000));
        double perLayer = 8192;
        double global = 21 * (4000 + 32 * (8192 - 4000.0)) * perLayer;
        double local = 21 * (32 * 4096.0) * perLayer; // the shared 4000 tokens have slid out of every window
        assertThat(ENGINE.estimate(s).memory().kvCacheBytes()).isEqualTo(Math.round(global + local));
    }

    @Test
    void expertStatesShardOnlyOverTheCopiesOfEachExpert() {
        // Mixtral 8x7B, 8 GPUs, expert parallel 8, ZeRO-1: each GPU holds one expert per layer, of which there is
        // one copy, so its 12 B/param of optimizer state cannot be sharded further.
        Scenario.Parallelism ep = new Scenario.Parallelism(1, 1, 8, null, 8, 1, null, null, null, null);
        Estimate e = ENGINE.estimate(finetune("mixtral-8x7b", FinetuneMethod.FULL, ep, 1));
        var count = dev.headroom.catalog.ParameterCounter.count(Scenarios.CATALOG.requireModel("mixtral-8x7b").architecture());
        double expertsPerGpu = count.expertFfn() / 8.0;
        double others = count.total() - count.expertFfn();
        assertThat(e.memory().optimizerStatesBytes().doubleValue()).isCloseTo(12 * (expertsPerGpu + others / 8),
                withinPercentage(0.01));
    }

    @Test
    void loraOnAPlainFfnAdaptsUpAndDown() {
        // OPT-13B (plain GELU FFN, h 5120, f 20480), rank 16, all targets: q,k,v,o 4 x 16 x 10240 plus up and down
        // 2 x 16 x 25600 = 1,474,560 adapter parameters per layer, 40 layers.
        Scenario s = finetune("opt-13b", FinetuneMethod.LORA, Scenario.Parallelism.SINGLE, 0);
        Estimate e = ENGINE.estimate(s);
        double adapters = 40 * 1_474_560.0;
        assertThat(e.memory().gradientsBytes().doubleValue()).isCloseTo(adapters * 4, withinPercentage(0.01));
    }

    @Test
    void zeroThreeNeverNeedsMoreThanZeroTwoEvenOnShortStages() {
        // Llama 3 70B on 40 pipeline stages: a stage holds 2 layers, less than two gathered layers plus shards.
        Scenario.Parallelism two = new Scenario.Parallelism(1, 40, 2, null, null, 2, null, null, null, null);
        Scenario.Parallelism three = new Scenario.Parallelism(1, 40, 2, null, null, 3, null, null, null, null);
        long zero2 = ENGINE.estimate(finetune("llama-3-70b", FinetuneMethod.FULL, two, 2)).memory().totalBytes();
        long zero3 = ENGINE.estimate(finetune("llama-3-70b", FinetuneMethod.FULL, three, 3)).memory().totalBytes();
        assertThat(zero3).isLessThanOrEqualTo(zero2);
    }

    @Test
    void mlaCachesOneLatentPerToken() {
        // DeepSeek-V3: 61 layers x (512 + 64) x 2 bytes = 70,272 bytes per token, against 4 MiB+ for full heads.
        Estimate e = ENGINE.estimate(Scenarios.inference("deepseek-v3", WeightFormat.FP8, "h200", 1, 100, 1));
        assertThat(e.kvCacheBytesPerToken()).isEqualTo(70_272L);
    }

    @Test
    void aModelWithoutArchitectureHasNoLargestBatch() {
        Scenario s = new Scenario(Scenario.ModelSpec.parametersOnly(7_000_000_000L), Workload.INFERENCE, null, null, null,
                null, null, new Scenario.Hardware("l4", 1), null, null, null);
        Estimate e = ENGINE.estimate(s);
        assertThat(e.fit().maxBatch()).isNull();
        assertThat(e.fit().maxContextTokens()).isNull();
        assertThat(e.memory().kvCacheBytes()).isNull();
    }

    @Test
    void absurdParallelDegreesAreAProblemNotACrash() {
        Scenario s = Scenarios.withParallelism(Scenarios.inference("llama-3.1-8b", WeightFormat.BF16, "h100-sxm", 1, 8, 8),
                new Scenario.Parallelism(1024, 1024, 4096, null, null, null, null, null, null, null));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ENGINE.estimate(s))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("tp x pp x dp = 4294967296");
    }
}
