package dev.headroom.sizing;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How weights are stored, with their true effective bits per weight: block scales and zero points included, and
 * the tensors a format keeps at higher precision (embeddings and output head, and for GGUF "_M" mixes the
 * attention V and FFN down projections of half the layers).
 *
 * <p>Block sizes: ggml's {@code static_assert}s (Q8_0 = 34 B / 32 weights = 8.5 bits; Q4_0 = 18 B / 32 = 4.5;
 * Q4_K = 144 B / 256 = 4.5; Q5_K = 176 / 256 = 5.5; Q6_K = 210 / 256 = 6.5625; Q3_K = 110 / 256 = 3.4375;
 * Q2_K = 84 / 256 = 2.625). Which tensors get more bits: llama.cpp {@code llama_tensor_get_type}
 * (output.weight at Q6_K; attn_v and ffn_down at Q6_K on "use_more_bits" layers, about half of them, for
 * Q4_K_M/Q5_K_M; at Q4_K/Q3_K on every layer for Q3_K_M/Q2_K). GPTQ/AWQ: 4-bit weights plus an fp16 scale and
 * a packed 4-bit zero per group, 4 + 20/g bits. NF4: fp32 absmax per 64 weights, 4.5 bits; with double
 * quantization 8-bit absmax plus an fp32 per 256 of those, 4.127 bits (Dettmers et al., QLoRA,
 * arXiv:2305.14314 §3). Weight-only formats keep embeddings and the output head in 16 bits and compute in
 * fp16; FP8 is W8A8 on tensor cores where the GPU has them (vLLM keeps lm_head in 16 bits).
 *
 * <p>This generation's block formats: MXFP4 (OCP Microscaling spec v1.0: FP4 E2M1 elements in blocks of 32 with
 * one 8-bit E8M0 scale, 4 + 8/32 = 4.25 bits); NVFP4 (NVIDIA: FP4 E2M1 in blocks of 16 with an FP8 E4M3 scale,
 * 4 + 8/16 = 4.5 bits, plus one FP32 scale per tensor, negligible); FP8 with 128 x 128 blocks and one FP32 scale
 * each (DeepSeek-V3's release format, {@code weight_block_size [128, 128]}: 8 + 32/16384 bits). MXFP4 is an
 * expert format: gpt-oss ships only its MoE expert weights in MXFP4 and keeps attention, router, embeddings and
 * head in BF16 ({@code modules_to_not_convert} in its config.json), and vLLM's Mxfp4Config quantizes only the
 * fused-MoE layers; on a model without experts it covers every linear layer.
 */
public enum WeightFormat implements Labeled {
    FP32("fp32", 32, 32, 0, 32, 32, Compute.FP32),
    FP16("fp16", 16, 16, 0, 16, 16, Compute.FP16),
    BF16("bf16", 16, 16, 0, 16, 16, Compute.BF16),
    FP8("fp8", 8, 8, 0, 16, 16, Compute.FP8),
    INT8("int8", 8, 8, 0, 16, 16, Compute.FP16),
    INT4("int4", 4, 4, 0, 16, 16, Compute.FP16),
    NF4("nf4", 4.5, 4.5, 0, 16, 16, Compute.FP16),
    NF4_DOUBLE_QUANT("nf4-dq", 4 + 8.0 / 64 + 32.0 / (64 * 256), 4 + 8.0 / 64 + 32.0 / (64 * 256), 0, 16, 16,
            Compute.FP16),
    GPTQ_INT4("gptq-int4", 4, 4, 0, 16, 16, Compute.FP16),
    AWQ_INT4("awq-int4", 4, 4, 0, 16, 16, Compute.FP16),
    Q8_0("q8_0", 8.5, 8.5, 0, 8.5, 8.5, Compute.FP16),
    Q6_K("q6_k", 6.5625, 6.5625, 0, 6.5625, 6.5625, Compute.FP16),
    Q5_K_M("q5_k_m", 5.5, 6.5625, 0.5, 5.5, 6.5625, Compute.FP16),
    Q4_K_M("q4_k_m", 4.5, 6.5625, 0.5, 4.5, 6.5625, Compute.FP16),
    Q4_0("q4_0", 4.5, 4.5, 0, 4.5, 6.5625, Compute.FP16),
    Q3_K_M("q3_k_m", 3.4375, 4.5, 1.0, 3.4375, 6.5625, Compute.FP16),
    Q2_K("q2_k", 2.625, 3.4375, 1.0, 2.625, 6.5625, Compute.FP16),
    MXFP4("mxfp4", 4.25, 4.25, 0, 16, 16, Compute.FP4),
    NVFP4("nvfp4", 4.5, 4.5, 0, 16, 16, Compute.FP4),
    FP8_BLOCK("fp8-block", 8 + 32.0 / (128 * 128), 8 + 32.0 / (128 * 128), 0, 16, 16, Compute.FP8);

    /** Which tensor-core rate the matrix multiplications run at. */
    public enum Compute { FP32, FP16, BF16, FP8, FP4 }

    /** Group size GPTQ, AWQ and int4 use unless the user says otherwise. */
    public static final int DEFAULT_GROUP_SIZE = 128;

    private final String label;
    private final double baseBits;
    private final double upgradedBits;
    private final double upgradedLayerShare;
    private final double embeddingBits;
    private final double outputBits;
    private final Compute compute;

    WeightFormat(String label, double baseBits, double upgradedBits, double upgradedLayerShare, double embeddingBits,
                 double outputBits, Compute compute) {
        this.label = label;
        this.baseBits = baseBits;
        this.upgradedBits = upgradedBits;
        this.upgradedLayerShare = upgradedLayerShare;
        this.embeddingBits = embeddingBits;
        this.outputBits = outputBits;
        this.compute = compute;
    }

    @Override
    @JsonValue
    public String label() {
        return label;
    }

    /** Whether the bits depend on a quantization group size. */
    public boolean grouped() {
        return this == GPTQ_INT4 || this == AWQ_INT4 || this == INT4;
    }

    /** Bits per weight of the bulk of the transformer layers, scales and zero points included. */
    public double baseBits(int groupSize) {
        return switch (this) {
            case GPTQ_INT4, AWQ_INT4 -> 4 + 20.0 / groupSize; // fp16 scale + packed 4-bit zero per group
            case INT4 -> 4 + 16.0 / groupSize;                // symmetric: fp16 scale only
            default -> baseBits;
        };
    }

    /** Bits of the tensors a GGUF mix keeps at higher precision (attention V, FFN down). */
    public double upgradedBits() {
        return upgradedLayerShare == 0 ? baseBits : upgradedBits;
    }

    /** Share of layers whose attention V and FFN down projections get {@link #upgradedBits()}. */
    public double upgradedLayerShare() {
        return upgradedLayerShare;
    }

    public double embeddingBits() {
        return embeddingBits;
    }

    public double outputBits() {
        return outputBits;
    }

    public Compute compute() {
        return compute;
    }

    /** Whether, on a model with experts, only the routed experts are stored in this format (the rest in BF16). */
    public boolean expertsOnly() {
        return this == MXFP4;
    }

    /** Formats whose weights the model is trained in (fine-tuning quantized weights needs LoRA/QLoRA). */
    public boolean trainable() {
        return this == FP32 || this == FP16 || this == BF16;
    }
}
