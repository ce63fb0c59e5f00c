package dev.headroom.sizing;

import static dev.headroom.sizing.Scenarios.ENGINE;
import static dev.headroom.sizing.Scenarios.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.headroom.catalog.ModelArchitecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every published number of shared/reference/sizing.md §6 the engine can express, each with its source and the
 * tolerance it is held to. Where the engine counts something the source leaves out, the test says what.
 */
class PublishedReferenceTest {

    private static Scenario training(Scenario.ModelSpec model, int microBatch, int sequence, Scenario.Parallelism p,
                                     NumberFormat gradients, Recompute recompute, String gpu) {
        return new Scenario(model, Workload.PRETRAIN,
                new Scenario.Training(null, null, null, null, gradients, null, microBatch, null, null, recompute),
                null, new Scenario.Shape(null, sequence, 0), p, null, new Scenario.Hardware(gpu, (int) p.gpus()),
                RuntimeProfile.PYTORCH, null, null);
    }

    private static double modelStates(Estimate e) {
        return e.memory().weightsBytes() + e.memory().gradientsBytes() + e.memory().optimizerStatesBytes();
    }

    /** ZeRO (Rajbhandari et al., SC'20, arXiv:1910.02054) Fig. 1: 7.5B parameters, Adam K = 12, N_d = 64. */
    @ParameterizedTest(name = "ZeRO stage {0}: {1} GB per GPU")
    @CsvSource({"0, 120.0", "1, 31.4", "2, 16.6", "3, 1.9"})
    void zeroPaperFigureOne(int stage, double gigabytes) {
        Scenario s = training(Scenario.ModelSpec.parametersOnly(7_500_000_000L), 1, 1024,
                new Scenario.Parallelism(1, 1, 64, null, null, stage, null, null, null, null), NumberFormat.FP16,
                Recompute.NONE, "a100-80gb-sxm");
        // The paper rounds to one decimal (16.64 -> 16.6, 1.875 -> 1.9).
        assertThat(modelStates(ENGINE.estimate(s)) / 1e9).isCloseTo(gigabytes, within(0.06));
    }

    /** ZeRO Table 1: stage 3 model states are 16 Psi / N_d (7.5B: 120 GB / N_d). */
    @ParameterizedTest(name = "N_d = {0}")
    @CsvSource({"4, 30", "16, 7.5", "64, 1.875", "256, 0.469", "1024, 0.117"})
    void zeroPaperTableOneStageThree(int dataParallel, double gigabytes) {
        Scenario s = training(Scenario.ModelSpec.parametersOnly(7_500_000_000L), 1, 1024,
                new Scenario.Parallelism(1, 1, dataParallel, null, null, 3, null, null, null, null), NumberFormat.FP16,
                Recompute.NONE, "a100-80gb-sxm");
        assertThat(modelStates(ENGINE.estimate(s)) / 1e9).isCloseTo(gigabytes, withinPercentage(0.5));
    }

    /**
     * Korthikanti et al. 2022 (arXiv:2205.05198) Fig. 1, 22B model: L 48, h 6144, a 64, V 51200, s 2048, micro-batch
     * 4, t 8, A100-80GB, GPT architecture with dropout and without flash attention (2022). Params + optimizer are
     * 45.56 GiB at 18 B/param over 12Lh^2/t; the engine also counts the vocab-parallel embedding (0.66 GiB), so it
     * is held to 2 %.
     */
    @Test
    void korthikanti22bModelStates() {
        Estimate e = ENGINE.estimate(korthikanti(false, Recompute.NONE));
        assertThat(modelStates(e) / GIB).isCloseTo(45.56, withinPercentage(2));
    }

    /** Same figure: activations with no recompute and no sequence parallelism, 59.25 GiB (1 %). */
    @Test
    void korthikanti22bActivationsWithoutRecompute() {
        Estimate e = ENGINE.estimate(korthikanti(false, Recompute.NONE));
        assertThat(e.memory().activationsBytes() / GIB).isCloseTo(59.25, withinPercentage(1));
    }

    /**
     * Same figure: sequence parallel + selective recompute, 9.56 GiB. The engine adds the output layer's fp32
     * logits (4sbV/t, 0.2 GiB) that Table 2 lists separately, so it is held to 3 %.
     */
    @Test
    void korthikanti22bActivationsWithSequenceParallelAndSelectiveRecompute() {
        Estimate e = ENGINE.estimate(korthikanti(true, Recompute.SELECTIVE));
        assertThat(e.memory().activationsBytes() / GIB).isCloseTo(9.56, withinPercentage(3));
    }

    private static Scenario korthikanti(boolean sequenceParallel, Recompute recompute) {
        ModelArchitecture a = Scenarios.gpt(48, 6144, 64, 51200, 2048);
        return training(Scenario.ModelSpec.custom("Korthikanti 22B", a), 4, 2048,
                new Scenario.Parallelism(8, 1, 1, null, null, 0, sequenceParallel, null, false, true),
                NumberFormat.FP32, recompute, "a100-80gb-sxm");
    }

    /** Kwon et al., "Efficient Memory Management ... PagedAttention", SOSP'23 §3: OPT-13B, 800 KB per token. */
    @Test
    void vllmPaperOpt13bKvPerToken() {
        Estimate e = ENGINE.estimate(Scenarios.inference("opt-13b", WeightFormat.FP16, "a100-40gb", 1, 2047, 1));
        assertThat(e.kvCacheBytesPerToken()).isEqualTo(819_200L);
        // "... 1.6 GB per 2048-token request" (the paper's GB is 2^30 rounded down: 1.5625 GiB = 1.68 GB).
        assertThat(e.kvCacheBytesPerToken() * 2048 / 1e9).isCloseTo(1.68, within(0.01));
    }

    /**
     * Hugging Face blog "Llama 3.1 - 405B, 70B & 8B" (llama31.md), Inference Memory Requirements: KV cache in fp16
     * for 1k (1,024), 16k (16,000) and 128k (128,000) tokens, in GiB. The blog's 405B row assumed 16 KV heads
     * (huggingface/blog#2345); the released config has 8, which halves it: 0.492 / 7.69 / 61.52 GiB.
     */
    @ParameterizedTest(name = "{0} at {1} tokens: {2} GiB")
    @CsvSource({
        "llama-3.1-8b, 1024, 0.125", "llama-3.1-8b, 16000, 1.95", "llama-3.1-8b, 128000, 15.62",
        "llama-3.1-70b, 1024, 0.313", "llama-3.1-70b, 16000, 4.88", "llama-3.1-70b, 128000, 39.06",
        "llama-3.1-405b, 1024, 0.492", "llama-3.1-405b, 16000, 7.69", "llama-3.1-405b, 128000, 61.52"})
    void huggingFaceBlogLlama31KvCache(String model, int tokens, double gib) {
        Scenario s = Scenarios.withKvPolicy(Scenarios.inference(model, WeightFormat.FP16, "h100-sxm", 1, tokens - 1, 1),
                new Scenario.KvCachePolicy(null, 0, null));
        assertThat(ENGINE.estimate(s).memory().kvCacheBytes() / GIB).isCloseTo(gib, within(0.006));
    }

    /**
     * Same blog, weight memory "for loading the model" in FP16: 16 / 140 / 810 GB (parameters x 2 bytes, rounded
     * to the model's nominal size).
     */
    @ParameterizedTest(name = "{0}: {1} GB in fp16")
    @CsvSource({"llama-3.1-8b, 16", "llama-3.1-70b, 140", "llama-3.1-405b, 810"})
    void huggingFaceBlogLlama31WeightsFp16(String model, double gigabytes) {
        Estimate e = ENGINE.estimate(Scenarios.inference(model, WeightFormat.FP16, "h100-sxm", 1, 1, 1));
        assertThat(e.memory().weightsBytes() / 1e9).isCloseTo(gigabytes, withinPercentage(1.5));
    }

    /**
     * Same blog, FP8: 8 / 70 / 405 GB, which is parameters x 1 byte. Serving stacks keep the embedding and the
     * output head in 16 bits (vLLM's FP8 path), so the engine is higher by exactly those matrices at one extra byte.
     */
    @ParameterizedTest(name = "{0}: {1} GB in fp8 + 16-bit embeddings")
    @CsvSource({"llama-3.1-8b, 8", "llama-3.1-70b, 70", "llama-3.1-405b, 405"})
    void huggingFaceBlogLlama31WeightsFp8(String model, double gigabytes) {
        var architecture = Scenarios.CATALOG.requireModel(model).architecture();
        double embeddingAndHead = 2.0 * architecture.vocabSize() * architecture.hiddenSize();
        Estimate e = ENGINE.estimate(Scenarios.inference(model, WeightFormat.FP8, "h100-sxm", 1, 1, 1));
        assertThat((e.memory().weightsBytes() - embeddingAndHead) / 1e9).isCloseTo(gigabytes, withinPercentage(1.5));
    }

    /**
     * DeepSpeed's estimator (docs/code-docs/source/memory.rst), t5-3b: 2,851M parameters, largest layer 32M,
     * one node of 8 GPUs, ZeRO-3: 6.10 GB per GPU = 4 x largest layer + 18 Psi / N (its GB is GiB). Under its
     * conventions (fp32 gradients, Adam, the gathered-layer buffer), the engine gives the same.
     */
    @Test
    void deepSpeedEstimatorZeroThree() {
        Scenario s = training(new Scenario.ModelSpec(null, "t5-3b", null, 2_851_000_000L, 32_000_000L), 1, 512,
                new Scenario.Parallelism(1, 1, 8, null, null, 3, null, null, null, null), NumberFormat.FP32,
                Recompute.NONE, "a100-80gb-sxm");
        assertThat(modelStates(ENGINE.estimate(s)) / GIB).isCloseTo(6.10, within(0.02));
    }

    /**
     * DeepSpeed after PR #5099, ZeRO-2: 2 Psi + 18 Psi / N = 11.28 GiB. Its 18 counts a 16-bit and an fp32 gradient
     * partition (2 + 4); the engine keeps one gradient dtype (fp32: 4), so it is lower by exactly 2 Psi / N.
     */
    @Test
    void deepSpeedEstimatorZeroTwoDiffersByTheSixteenBitGradientPartition() {
        long psi = 2_851_000_000L;
        Scenario s = training(Scenario.ModelSpec.parametersOnly(psi), 1, 512,
                new Scenario.Parallelism(1, 1, 8, null, null, 2, null, null, null, null), NumberFormat.FP32,
                Recompute.NONE, "a100-80gb-sxm");
        double deepSpeed = 2.0 * psi + 18.0 * psi / 8;
        assertThat(modelStates(ENGINE.estimate(s))).isCloseTo(deepSpeed - 2.0 * psi / 8, withinPercentage(0.01));
        assertThat(deepSpeed / GIB).isCloseTo(11.28, within(0.01));
    }

    /**
     * llama.cpp loader log in ollama/ollama#10911: Qwen3-32B Q4_K_M is 18.81 GiB (4.93 bits per weight). The engine
     * derives the mix from llama.cpp's tensor rules (Q6_K output, Q6_K attention V and FFN down on half the layers),
     * not from file sizes; held to 3 %. Architecture from Qwen/Qwen3-32B config.json (64 layers, h 5120, 64 heads,
     * 8 KV heads, head dim 128, FFN 25600, vocabulary 151936, untied).
     */
    @Test
    void ggufQ4KmFileOfQwen3() {
        ModelArchitecture qwen3 = Scenarios.llama(64, 5120, 64, 8, 25600, 151936, 40960);
        qwen3 = ModelArchitecture.plain(qwen3.layers(), qwen3.hiddenSize(), qwen3.attentionHeads(), qwen3.kvHeads(), 128,
                qwen3.ffnSize(), qwen3.ffnKind(), qwen3.vocabSize(), false, qwen3.maxContextTokens());
        Scenario s = new Scenario(Scenario.ModelSpec.custom("Qwen3-32B", qwen3), Workload.INFERENCE, null,
                new Scenario.Precision(WeightFormat.Q4_K_M, null, null, null), new Scenario.Shape(1, 1, 1), null, null,
                new Scenario.Hardware("h100-sxm", 1), RuntimeProfile.LLAMA_CPP, null, null);
        assertThat(ENGINE.estimate(s).memory().weightsBytes() / GIB).isCloseTo(18.81, withinPercentage(3));
    }

    /**
     * PyTorch's CUDA context with lazy loading, 287,047,680 B (pytorch PR #86509), is the context term of every
     * runtime profile on CUDA; MLX and everything on Metal have no CUDA context.
     */
    @Test
    void cudaContextIsThePyTorchMeasurement() {
        for (RuntimeProfile profile : RuntimeProfile.values()) {
            if (profile.runsOn(dev.headroom.catalog.Gpu.Backend.CUDA)) {
                assertThat(profile.defaults(dev.headroom.catalog.Gpu.Backend.CUDA).cudaContextBytes())
                        .isEqualTo(287_047_680L);
            }
            assertThat(profile.defaults(dev.headroom.catalog.Gpu.Backend.METAL).cudaContextBytes()).isZero();
        }
    }
}
