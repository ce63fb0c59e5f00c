package dev.headroom.sizing;

import static dev.headroom.sizing.Scenarios.ENGINE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The KV-per-token sweep behind the Plan chart: the engine's own figure at each context. */
class SweepsTest {
    private final Sweeps sweeps = new Sweeps(ENGINE);

    @Test
    void slidingLayersMakeKvPerTokenFallOnceTheContextPassesTheWindow() {
        // Gemma 2 9B: 42 layers, 8 KV heads x 256 dims x 2 (K and V) x 2 bytes = 8,192 B per layer and token;
        // 21 layers keep at most 4,096 tokens. Up to 4,096 tokens: 42 x 8,192 = 344,064 B per token; at 8,192:
        // 21 x 8,192 + 21 x 8,192 x 4,096 / 8,192 = 258,048 B per token.
        Scenario s = Scenarios.inference("gemma-2-9b", WeightFormat.BF16, "h100-sxm", 8, 2048, 512);
        Sweeps.Series series = sweeps.kvPerTokenByContext(s, 8192, 4);
        assertThat(series.x()[0]).isEqualTo(512);
        assertThat(series.x()[series.x().length - 1]).isEqualTo(8192);
        assertThat(series.varies()).isTrue();
        for (int i = 0; i < series.x().length; i++) {
            double expected = series.x()[i] <= 4096 ? 344_064 : 21 * 8192 + 21 * 8192 * 4096 / series.x()[i];
            assertThat(series.y()[i]).as("at %s tokens", series.x()[i]).isCloseTo(expected,
                    org.assertj.core.data.Offset.offset(0.5));
            if (i > 0) {
                assertThat(series.y()[i]).isLessThanOrEqualTo(series.y()[i - 1]);
            }
        }
        // the same numbers the estimate reports by context
        Estimate e = ENGINE.estimate(s);
        assertThat(series.y()[series.y().length - 1]).isEqualTo((double) e.kvCacheBytesPerTokenByContext().get("8192"));
    }

    @Test
    void withoutWindowsKvPerTokenIsFlat() {
        // Llama 3.1 8B: 32 layers x 8 KV heads x 128 x 2 x 2 bytes = 131,072 B per token at any context.
        Sweeps.Series series = sweeps.kvPerTokenByContext(
                Scenarios.inference("llama-3.1-8b", WeightFormat.BF16, "h100-sxm", 1, 2048, 512), 131072, 2);
        assertThat(series.varies()).isFalse();
        assertThat(series.y()).containsOnly(131_072);
        assertThat(series.x()).hasSize(17); // 512 ... 131,072 in half-doublings
    }

    @Test
    void aSharedPrefixLongerThanAShortContextDoesNotLoseThePoint() {
        Scenario s = Scenarios.withKvPolicy(Scenarios.inference("gemma-2-9b", WeightFormat.BF16, "h100-sxm", 8, 4000,
                192), new Scenario.KvCachePolicy(null, null, 3000));
        Sweeps.Series series = sweeps.kvPerTokenByContext(s, 8192, 1);
        assertThat(series.x()).containsExactly(512, 1024, 2048, 4096, 8192);
    }

    @Test
    void trainingHasNoKvCacheSoNoSeries() {
        Scenario training = new Scenario(Scenario.ModelSpec.catalog("gemma-2-9b"), Workload.FINETUNE, null, null,
                new Scenario.Shape(null, 1024, 0), null, null, new Scenario.Hardware("h100-sxm", 1), null, null, null);
        assertThat(sweeps.kvPerTokenByContext(training, 8192, 2).x()).isEmpty();
    }
}
