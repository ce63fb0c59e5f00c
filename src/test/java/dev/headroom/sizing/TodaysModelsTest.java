package dev.headroom.sizing;

import static dev.headroom.sizing.Scenarios.ENGINE;
import static dev.headroom.sizing.Scenarios.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.headroom.catalog.ParameterCounter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The 2025-2026 architectures worked by hand, and their vendors' own claims. Each figure's source is in its
 * comment; the architectures are the catalog entries, read from the published config.json files.
 */
class TodaysModelsTest {

    private static Scenario unpaged(Scenario s) {
        return Scenarios.withKvPolicy(s, new Scenario.KvCachePolicy(null, 0, null));
    }

    /**
     * Gemma 3 27B (Gemma 3 report, arXiv 2503.19786 §2.1: "5 local layers for every global layer", local span
     * 1,024; config.json: 62 layers, 16 KV heads of 128). One layer caches 2 x 16 x 128 x 2 B = 8,192 B per token.
     * Layers 5, 11, ..., 59 are global: 10 of them; 52 local layers stop at 1,024 tokens.
     */
    @Test
    void gemma3KvCacheFollowsItsLayerPattern() {
        Estimate e = ENGINE.estimate(Scenarios.inference("gemma-3-27b", WeightFormat.BF16, "h100-sxm", 1, 32_000, 768));
        Map<String, Long> byContext = e.kvCacheBytesPerTokenByContext();
        assertThat(byContext.get("1024")).isEqualTo(62L * 8192);                       // every layer holds it all
        assertThat(byContext.get("32768")).isEqualTo(10L * 8192 + 52L * 8192 * 1024 / 32768); // 95,232
        assertThat(byContext.get("131072")).isEqualTo(10L * 8192 + 52L * 8192 * 1024 / 131072); // 85,248
        assertThat(e.kvCacheBytesPerToken()).isEqualTo(95_232L); // the scenario's 32,768 tokens

        // In memory, with vLLM's 16-token blocks: a moving window straddles 1,024 / 16 + 1 = 65 blocks.
        long paged = ENGINE.estimate(Scenarios.inference("gemma-3-27b", WeightFormat.BF16, "h100-sxm", 1, 32_000, 768))
                .memory().kvCacheBytes();
        assertThat(paged).isEqualTo(10L * 32_768 * 8192 + 52L * 1_040 * 8192);
    }

    /**
     * gpt-oss-120b (openai/gpt-oss model card, arXiv 2508.10925, Table 1: 116.83B total, 5.13B active, checkpoint
     * 60.8 GiB). The card's active count leaves out the input embedding (a lookup), so it is compared with the
     * derived active count less one 201,088 x 2,880 table.
     */
    @Test
    void gptOss120bCountsAndCheckpoint() {
        var a = Scenarios.CATALOG.requireModel("gpt-oss-120b").architecture();
        ParameterCounter.Count count = ParameterCounter.count(a);
        assertThat((double) count.total()).isCloseTo(116.83e9, withinPercentage(0.1));
        assertThat((double) count.active() - 201_088L * 2880).isCloseTo(5.13e9, withinPercentage(1));
        // --weights mxfp4: experts at 4.25 bits, attention, router, embeddings and head in BF16, as it ships.
        Estimate e = ENGINE.estimate(Scenarios.inference("gpt-oss-120b", WeightFormat.MXFP4, "h100-sxm", 1, 1, 1));
        assertThat(e.memory().weightsBytes() / GIB).isCloseTo(60.8, withinPercentage(1));
    }

    /**
     * gpt-oss layers alternate a 128-token banded window and full attention (config.json layer_types): at 128k
     * tokens the 18 banded layers hold 128 tokens each, the 18 full ones all of them; 8 KV heads of 64.
     */
    @Test
    void gptOssBandedLayersHoldTheirWindow() {
        Estimate e = ENGINE.estimate(Scenarios.inference("gpt-oss-120b", WeightFormat.MXFP4, "h100-sxm", 1, 131_000, 72));
        long perLayer = 2L * 8 * 64 * 2;
        assertThat(e.kvCacheBytesPerTokenByContext().get("131072")).isEqualTo(18 * perLayer + 18 * perLayer * 128 / 131_072);
    }

    /**
     * Llama 4 Scout (meta-llama/llama-models, models/llama4: chunked attention of 8,192 tokens on three of four
     * layers, every fourth layer global without RoPE; config.json: 48 layers, 8 KV heads of 128). One layer caches
     * 2 x 8 x 128 x 2 B = 4,096 B per token; at 131,072 tokens 36 chunked layers hold one chunk each.
     */
    @Test
    void llama4ScoutKvWithChunkedAttention() {
        Scenario s = unpaged(Scenarios.inference("llama-4-scout", WeightFormat.BF16, "h100-sxm", 1, 131_072 - 1024, 1024));
        Estimate e = ENGINE.estimate(s);
        long global = 12L * 131_072 * 4096;
        long chunked = 36L * 8192 * 4096;
        assertThat(e.memory().kvCacheBytes()).isEqualTo(global + chunked); // 7.65 GB instead of 25.8 GB
        assertThat(e.kvCacheBytesPerTokenByContext().get("131072")).isEqualTo((global + chunked) / 131_072);
    }

    /** DeepSeek-V3: 61 layers x (512 + 64) x 2 bytes = 70,272 bytes per token at any context (MLA, no windows). */
    @Test
    void deepSeekV3MlaKvIsUnchanged() {
        Estimate e = ENGINE.estimate(Scenarios.inference("deepseek-v3", WeightFormat.FP8, "h200", 1, 100, 1));
        assertThat(e.kvCacheBytesPerToken()).isEqualTo(70_272L);
        assertThat(e.kvCacheBytesPerTokenByContext()).containsOnly(Map.entry("1024", 70_272L),
                Map.entry("8192", 70_272L), Map.entry("32768", 70_272L), Map.entry("131072", 70_272L));
    }

    /**
     * OpenAI, openai/gpt-oss README (2025-08-05): "making gpt-oss-120b run on a single H100 GPU" and "This version
     * can be run on a single 80GB GPU"; here with vLLM's 90 % reservation and the model's full 131,072 tokens.
     */
    @Test
    void gptOss120bInMxfp4FitsOne80GbGpu() {
        Estimate e = ENGINE.estimate(Scenarios.inference("gpt-oss-120b", WeightFormat.MXFP4, "h100-sxm", 1, 130_000, 1072));
        assertThat(e.fit().fits()).as("%s", e.memory()).isTrue();
    }

    /** Same README: "the gpt-oss-20b model run within 16GB of memory": a 16 GB card under llama.cpp, 32k tokens. */
    @Test
    void gptOss20bFitsIn16Gb() {
        Scenario s = Scenarios.inference("gpt-oss-20b", WeightFormat.MXFP4, "rtx-4080", 1, 31_744, 1024);
        s = new Scenario(s.model(), s.workload(), s.training(), s.precision(), s.shape(), s.parallelism(), s.kvCache(),
                s.hardware(), RuntimeProfile.LLAMA_CPP, s.overheads(), s.efficiencies());
        Estimate e = ENGINE.estimate(s);
        assertThat(e.fit().fits()).as("%s", e.memory()).isTrue();
    }

    /**
     * Meta, Llama 4 model card (meta-llama/llama-models, models/llama4/MODEL_CARD.md): Scout "can fit within a
     * single H100 GPU with on-the-fly int4 quantization"; at an 8k prompt under vLLM.
     */
    @Test
    void llama4ScoutInInt4FitsOneH100() {
        Estimate e = ENGINE.estimate(Scenarios.inference("llama-4-scout", WeightFormat.INT4, "h100-sxm", 1, 8192, 1024));
        assertThat(e.fit().fits()).as("%s", e.memory()).isTrue();
        // and not in BF16, which needs about 218 GB of weights
        Estimate bf16 = ENGINE.estimate(Scenarios.inference("llama-4-scout", WeightFormat.BF16, "h100-sxm", 1, 8192, 1024));
        assertThat(bf16.fit().fits()).isFalse();
    }

    /** Decode reads the experts a batch touches: E (1 - (1 - k/E)^b) under uniform routing, so more with the batch. */
    @Test
    void decodeReadsMoreExpertsAsTheBatchGrows() {
        double one = ENGINE.estimate(Scenarios.inference("gpt-oss-120b", WeightFormat.MXFP4, "h100-sxm", 1, 1024, 256))
                .performance().timePerOutputTokenSeconds();
        double sixteen = ENGINE.estimate(Scenarios.inference("gpt-oss-120b", WeightFormat.MXFP4, "h100-sxm", 16, 1024, 256))
                .performance().timePerOutputTokenSeconds();
        assertThat(sixteen).isGreaterThan(one * 1.5); // 4 of 128 experts at b = 1, 52 at b = 16
    }

    /**
     * NVFP4 (W4A4) runs on FP4 tensor cores where the GPU has them; MXFP4 experts meet 8-bit activations there
     * (vLLM's FlashInfer kernels for gpt-oss on Blackwell), so the FP8 rate; on Hopper both are dequantised to
     * BF16, and the assumptions say which.
     */
    @Test
    void fp4ComputeOnlyWhereTheGpuAndTheRuntimeUseIt() {
        Estimate hopper = ENGINE.estimate(Scenarios.inference("gpt-oss-120b", WeightFormat.MXFP4, "h100-sxm", 1, 1024, 256));
        Estimate blackwell = ENGINE.estimate(Scenarios.inference("gpt-oss-120b", WeightFormat.MXFP4, "b200", 1, 1024, 256));
        Estimate nvfp4 = ENGINE.estimate(Scenarios.inference("llama-3.3-70b", WeightFormat.NVFP4, "b200", 1, 1024, 256));
        assertThat(hopper.assumptions().get("computePrecision").value()).isEqualTo("bf16");
        assertThat(hopper.assumptions().get("computePrecision").source()).contains("dequantised");
        assertThat(blackwell.assumptions().get("computePrecision").value()).isEqualTo("fp8");
        assertThat(nvfp4.assumptions().get("computePrecision").value()).isEqualTo("fp4");
    }

    /**
     * GLM-5.1 (config.json: MLA with kv_lora_rank 512 + rope 64, an indexer of 128-dim keys on all 78 layers): the
     * latent is 576 x 2 B = 1,152 B per token and layer, the indexer key 128 B in FP8 + a 4 B scale = 132 B
     * (DeepSeek-V3.2's cache layout); it stays FP8 when the KV cache is FP8.
     */
    @Test
    void glm5IndexerKeepsItsOwnCache() {
        Estimate bf16 = ENGINE.estimate(Scenarios.inference("glm-5.1", WeightFormat.FP8, "h200", 1, 4096, 1));
        assertThat(bf16.kvCacheBytesPerTokenByContext().get("131072")).isEqualTo(78L * (1152 + 132));
        Scenario fp8 = new Scenario(Scenario.ModelSpec.catalog("glm-5.1"), Workload.INFERENCE, null,
                new Scenario.Precision(WeightFormat.FP8, null, NumberFormat.FP8, null), new Scenario.Shape(1, 4096, 1),
                null, null, new Scenario.Hardware("h200", 1), null, null, null);
        assertThat(ENGINE.estimate(fp8).kvCacheBytesPerTokenByContext().get("1024")).isEqualTo(78L * (576 + 132));
    }

    /**
     * DeepSeek-V4-Flash (config.json compress_ratios: 2 layers of 0 = a 128-token window, 21 of ratio 4 with the
     * indexer, 20 of ratio 128; one K=V head of 512, so 1,024 B per entry in BF16). At 131,072 tokens: sliding
     * 2 x 128 x 1,024 / 131,072 = 2 B; CSA 21 x ((1,024 + 132) / 4 + 128 x 1,024 / 131,072) = 6,090 B; HCA
     * 20 x (1,024 / 128 + 1) = 180 B: 6,272 B per token, against 43 x 1,024 = 44,032 B uncompressed.
     */
    @Test
    void deepSeekV4CompressesItsCacheLayerByLayer() {
        Estimate e = ENGINE.estimate(Scenarios.inference("deepseek-v4-flash", WeightFormat.FP8_BLOCK, "h200", 1, 4096, 1));
        assertThat(e.kvCacheBytesPerTokenByContext().get("131072")).isEqualTo(6_272L);
        // --no-sliding-window: the two window layers keep every token; compressed layers keep their design
        Scenario all = Scenarios.withKvPolicy(Scenarios.inference("deepseek-v4-flash", WeightFormat.FP8_BLOCK, "h200", 1,
                4096, 1), new Scenario.KvCachePolicy(false, null, null));
        assertThat(ENGINE.estimate(all).kvCacheBytesPerTokenByContext().get("131072")).isEqualTo(6_272L - 2 + 2 * 1024);
    }

    /**
     * Gemma 4 26B-A4B (config.json: 25 sliding layers of 1,024 with 8 KV heads of 256; 5 global layers with 2 KV
     * heads of 512 whose keys are the values, attention_k_eq_v): 8,192 B and 2 x 512 x 1 x 2 B = 2,048 B per
     * token and layer.
     */
    @Test
    void gemma4GlobalLayersCacheOneTensorForKeysAndValues() {
        Estimate e = ENGINE.estimate(Scenarios.inference("gemma-4-26b-a4b", WeightFormat.BF16, "h100-sxm", 1, 4096, 1));
        assertThat(e.kvCacheBytesPerTokenByContext().get("1024")).isEqualTo(25L * 8192 + 5L * 2048);
        assertThat(e.kvCacheBytesPerTokenByContext().get("131072")).isEqualTo(25L * 8192 * 1024 / 131_072 + 5L * 2048);
    }

    /**
     * Nemotron 3 Nano's 52 blocks are Mamba, attention or MoE, not alike: split over 4 stages, the third holds more
     * MoE blocks than the first holds with the embedding, and the estimate reports that stage.
     */
    @Test
    void aHybridsHeaviestPipelineStageMayBeInTheMiddle() {
        Scenario s = Scenarios.withParallelism(Scenarios.inference("nemotron-3-nano-30b-a3b", WeightFormat.BF16, "h200",
                64, 131_071, 1), Scenarios.parallel(1, 4, 1, 0));
        Estimate e = ENGINE.estimate(s);
        assertThat(e.memory().stage()).isEqualTo("middle");
    }

    /**
     * Qwen3.5-27B (config.json: 16 full-attention layers of 4 KV heads x 256, 48 Gated DeltaNet layers with 16 key
     * heads and 48 value heads of 128, conv kernel 4, mamba_ssm_dtype float32). One sequence of 32,768 tokens:
     * full layers 16 x 32,768 x 4,096 B; each linear layer a state of 48 x 128 x 128 = 786,432 elements at 4 B and
     * a convolution window of 3 x (2 x 16 x 128 + 48 x 128) = 30,720 elements at 2 B, whatever the context.
     */
    @Test
    void qwen35LinearLayersKeepAFixedStatePerSequence() {
        Estimate e = ENGINE.estimate(unpaged(Scenarios.inference("qwen3.5-27b", WeightFormat.BF16, "h100-sxm", 1, 32_767, 1)));
        long state = 48L * (786_432 * 4 + 30_720 * 2);
        assertThat(e.memory().kvCacheBytes()).isEqualTo(16L * 32_768 * 4096 + state);
        assertThat(e.kvCacheBytesPerTokenByContext().get("1024")).isEqualTo(Math.round(16 * 4096 + state / 1024.0));
        // two sequences hold two states
        Estimate two = ENGINE.estimate(unpaged(Scenarios.inference("qwen3.5-27b", WeightFormat.BF16, "h100-sxm", 2, 32_767, 1)));
        assertThat(two.memory().kvCacheBytes()).isEqualTo(2 * e.memory().kvCacheBytes());
    }

    /**
     * Nemotron 3 Nano 30B-A3B (config.json: 6 attention blocks of 2 KV heads x 128; 23 Mamba-2 blocks of 64 heads x
     * 64 with state 128, 8 groups, conv kernel 4, mamba_ssm_cache_dtype float32): per sequence 23 x (524,288 x 4 B
     * + 18,432 x 2 B) = 49,082,368 B of state, so at 1,024 tokens 6 x 1,024 + 49,082,368 / 1,024 = 54,076 B/token.
     */
    @Test
    void nemotronMambaBlocksKeepAFixedState() {
        Estimate e = ENGINE.estimate(Scenarios.inference("nemotron-3-nano-30b-a3b", WeightFormat.BF16, "h100-sxm", 1, 1000, 24));
        assertThat(e.kvCacheBytesPerTokenByContext().get("1024")).isEqualTo(54_076L);
        assertThat(e.assumptions().get("recurrentStateBytes").value()).isEqualTo(4.0);
    }
}
