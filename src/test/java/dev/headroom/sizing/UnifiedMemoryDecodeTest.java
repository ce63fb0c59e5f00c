package dev.headroom.sizing;

import static dev.headroom.sizing.Scenarios.ENGINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

/**
 * Published decode speeds on unified-memory machines against the roofline with the default efficiencies (nothing
 * fitted to these rows): llama-bench's tg128 generates 128 tokens after an empty prompt, one sequence.
 */
class UnifiedMemoryDecodeTest {

    private static double tokensPerSecond(String model, WeightFormat weights, String gpu, RuntimeProfile runtime) {
        Scenario s = new Scenario(Scenario.ModelSpec.catalog(model), Workload.INFERENCE, null,
                new Scenario.Precision(weights, null, null, null), new Scenario.Shape(1, 1, 128), null, null,
                new Scenario.Hardware(gpu, 1), runtime, null, null);
        return ENGINE.estimate(s).performance().outputTokensPerSecond();
    }

    /** ggml-org/llama.cpp discussion #4167 (Apple silicon table, 2023-11 onward): M4 Max 40-core, LLaMA-2 7B Q4_0 tg128 83.06 t/s. */
    @Test
    void llama2SevenBQ40OnM4Max() {
        assertThat(tokensPerSecond("llama-2-7b", WeightFormat.Q4_0, "apple-m4-max-128gb", RuntimeProfile.LLAMA_CPP))
                .isCloseTo(83.06, withinPercentage(15));
    }

    /** Same table: M4 Max 40-core, LLaMA-2 7B F16 tg128 31.64 t/s. */
    @Test
    void llama2SevenBF16OnM4Max() {
        assertThat(tokensPerSecond("llama-2-7b", WeightFormat.FP16, "apple-m4-max-128gb", RuntimeProfile.LLAMA_CPP))
                .isCloseTo(31.64, withinPercentage(15));
    }

    /** NVIDIA/dgx-spark-playbooks issue #79 (2026-04-25): Llama-3.3-70B-Instruct NVFP4 on vLLM, one stream, 4.0-4.2 tok/s. */
    @Test
    void llama33SeventyBNvfp4OnDgxSpark() {
        assertThat(tokensPerSecond("llama-3.3-70b", WeightFormat.NVFP4, "dgx-spark", RuntimeProfile.VLLM))
                .isCloseTo(4.1, withinPercentage(25));
    }
}
