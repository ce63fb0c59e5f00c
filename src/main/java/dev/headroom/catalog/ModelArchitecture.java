package dev.headroom.catalog;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A decoder-only transformer as its config.json describes it. Field names follow the catalog schema
 * (catalogs/README.md), not any one framework's config keys.
 *
 * @param headDim             per-head dimension of queries and keys (for MLA: nope + rope part)
 * @param ffnSize             dense FFN width; for MoE models the width of the dense layers
 * @param learnedPositions    rows of a learned position table (OPT, GPT-3), 0 for RoPE/ALiBi
 * @param slidingWindowLayers layers that use the sliding window; null means all (when a window is set)
 */
public record ModelArchitecture(
        Integer layers,
        Integer hiddenSize,
        Integer attentionHeads,
        Integer kvHeads,
        Integer headDim,
        Integer ffnSize,
        FfnKind ffnKind,
        Integer vocabSize,
        Boolean tiedEmbeddings,
        Integer maxContextTokens,
        PositionEmbedding positionEmbedding,
        Integer learnedPositions,
        NormKind norm,
        Integer normsPerLayer,
        Boolean attentionBias,
        Boolean outputProjectionBias,
        Boolean mlpBias,
        Integer slidingWindow,
        Integer slidingWindowLayers,
        Moe moe,
        Mla mla) {

    public boolean hasExperts() {
        return moe != null;
    }

    /** Mixture of experts. {@code denseLayers} leading layers keep a dense FFN of {@code ffnSize}. */
    public record Moe(Integer experts, Integer activeExperts, Integer sharedExperts, Integer expertFfnSize,
                      Integer denseLayers) {
    }

    /** Multi-head latent attention (DeepSeek-V2/V3): low-rank compressed KV. */
    public record Mla(Integer qLoraRank, Integer kvLoraRank, Integer qkNopeHeadDim, Integer qkRopeHeadDim,
                      Integer vHeadDim) {
    }

    public enum FfnKind {
        /** SwiGLU / GeGLU: gate, up and down matrices. */
        GATED("gated"),
        /** GELU / ReLU MLP: up and down matrices. */
        PLAIN("plain");

        private final String label;

        FfnKind(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }

        int matrices() {
            return this == GATED ? 3 : 2;
        }
    }

    public enum NormKind {
        RMSNORM("rmsnorm"),
        LAYERNORM("layernorm");

        private final String label;

        NormKind(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }

        /** RMSNorm has a weight vector only; LayerNorm has weight and bias. */
        int vectors() {
            return this == RMSNORM ? 1 : 2;
        }
    }

    public enum PositionEmbedding {
        ROPE("rope"),
        LEARNED("learned"),
        ALIBI("alibi");

        private final String label;

        PositionEmbedding(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }
    }
}
