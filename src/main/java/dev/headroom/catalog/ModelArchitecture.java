package dev.headroom.catalog;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * A decoder-only transformer as its config.json describes it. Field names follow the catalog schema
 * (catalogs/README.md), not any one framework's config keys. The newer fields are null where a model does
 * not have the feature, so older entries read unchanged.
 *
 * @param headDim             per-head dimension of queries and keys (for MLA: nope + rope part)
 * @param ffnSize             dense FFN width; for MoE models the width of the dense layers
 * @param learnedPositions    rows of a learned position table (OPT, GPT-3), 0 for RoPE/ALiBi
 * @param layerPattern        what each layer mixes tokens with and which FFN it has, as groups that repeat until
 *                            every layer is covered; null means every layer is full attention (see {@link LayerPlan})
 * @param recurrent           shape of the linear-attention or Mamba layers of a hybrid; null when it has none
 * @param sparseAttention     an indexer that picks the tokens each query attends to (DSA); null when none
 * @param qkNorm              normalisation of queries and keys before attention; null means none
 * @param attentionSinks      one learned sink logit per head and layer (gpt-oss)
 * @param attentionOutputGate the query projection also produces a sigmoid gate on the attention output
 *                            (Qwen3-Next, Qwen3.5): q_proj is twice as wide
 * @param mtpLayers           multi-token-prediction modules after the last layer (DeepSeek-V3, GLM-4.5): weights
 *                            that exist in the checkpoint but are loaded only for MTP speculative decoding
 * @param hyperConnections    residual streams of hyper-connections (DeepSeek-V4 hc_mult); null or 1 means plain.
 *                            Each layer then mixes the streams before attention and before the FFN, each site with
 *                            fn [(2 + n) n, n hidden], base [(2 + n) n] and 3 scales; the head has fn [n, n hidden],
 *                            base [n] and 1 scale (transformers' DeepseekV4 mHC)
 * @param visionParameters    parameters of a vision tower and projector in the same checkpoint; null when none
 * @param queryLoraRank       queries go through a low-rank bottleneck of this width (q_a_proj, an RMSNorm, q_b_proj)
 *                            outside MLA (DeepSeek-V4 q_lora_rank); null means a plain q_proj
 * @param outputLora          the attention output goes through a grouped low-rank projection (DeepSeek-V4
 *                            o_groups, o_lora_rank); null means a plain o_proj
 * @param perLayerEmbedding   a second, per-layer token embedding fed into every layer (Gemma 4 PLE); null when none
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
        List<LayerGroup> layerPattern,
        Moe moe,
        Mla mla,
        Recurrent recurrent,
        SparseAttention sparseAttention,
        QkNorm qkNorm,
        Boolean attentionSinks,
        Boolean attentionOutputGate,
        Integer mtpLayers,
        Integer hyperConnections,
        Long visionParameters,
        Integer queryLoraRank,
        OutputLora outputLora,
        PerLayerEmbedding perLayerEmbedding) {

    public ModelArchitecture {
        layerPattern = layerPattern == null ? null : List.copyOf(layerPattern);
    }

    /** The architecture without the low-rank query, grouped output and per-layer embedding. */
    public ModelArchitecture(Integer layers, Integer hiddenSize, Integer attentionHeads, Integer kvHeads,
                             Integer headDim, Integer ffnSize, FfnKind ffnKind, Integer vocabSize,
                             Boolean tiedEmbeddings, Integer maxContextTokens, PositionEmbedding positionEmbedding,
                             Integer learnedPositions, NormKind norm, Integer normsPerLayer, Boolean attentionBias,
                             Boolean outputProjectionBias, Boolean mlpBias, List<LayerGroup> layerPattern, Moe moe,
                             Mla mla, Recurrent recurrent, SparseAttention sparseAttention, QkNorm qkNorm,
                             Boolean attentionSinks, Boolean attentionOutputGate, Integer mtpLayers,
                             Integer hyperConnections, Long visionParameters) {
        this(layers, hiddenSize, attentionHeads, kvHeads, headDim, ffnSize, ffnKind, vocabSize, tiedEmbeddings,
                maxContextTokens, positionEmbedding, learnedPositions, norm, normsPerLayer, attentionBias,
                outputProjectionBias, mlpBias, layerPattern, moe, mla, recurrent, sparseAttention, qkNorm,
                attentionSinks, attentionOutputGate, mtpLayers, hyperConnections, visionParameters, null, null, null);
    }

    /** The architecture of a plain transformer: every newer feature absent. */
    public static ModelArchitecture plain(Integer layers, Integer hiddenSize, Integer attentionHeads, Integer kvHeads,
                                          Integer headDim, Integer ffnSize, FfnKind ffnKind, Integer vocabSize,
                                          Boolean tiedEmbeddings, Integer maxContextTokens) {
        return new ModelArchitecture(layers, hiddenSize, attentionHeads, kvHeads, headDim, ffnSize, ffnKind, vocabSize,
                tiedEmbeddings, maxContextTokens, PositionEmbedding.ROPE, 0, NormKind.RMSNORM, 2, false, false, false,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    public boolean hasExperts() {
        return moe != null;
    }

    public ModelArchitecture withLayerPattern(List<LayerGroup> pattern) {
        return new ModelArchitecture(layers, hiddenSize, attentionHeads, kvHeads, headDim, ffnSize, ffnKind, vocabSize,
                tiedEmbeddings, maxContextTokens, positionEmbedding, learnedPositions, norm, normsPerLayer,
                attentionBias, outputProjectionBias, mlpBias, pattern, moe, mla, recurrent, sparseAttention, qkNorm,
                attentionSinks, attentionOutputGate, mtpLayers, hyperConnections, visionParameters, queryLoraRank,
                outputLora, perLayerEmbedding);
    }

    /** The same model with another shape: every other feature (pattern, biases, MLA, sinks, low-rank parts) stays. */
    public ModelArchitecture withShape(Integer newLayers, Integer newHidden, Integer newHeads, Integer newKvHeads,
                                       Integer newHeadDim, Integer newFfnSize, FfnKind newFfnKind, Integer newVocab,
                                       Integer newMaxContext) {
        return new ModelArchitecture(newLayers, newHidden, newHeads, newKvHeads, newHeadDim, newFfnSize, newFfnKind,
                newVocab, tiedEmbeddings, newMaxContext, positionEmbedding, learnedPositions, norm, normsPerLayer,
                attentionBias, outputProjectionBias, mlpBias, layerPattern, moe, mla, recurrent, sparseAttention, qkNorm,
                attentionSinks, attentionOutputGate, mtpLayers, hyperConnections, visionParameters, queryLoraRank,
                outputLora, perLayerEmbedding);
    }

    public ModelArchitecture withMoe(Moe newMoe) {
        return new ModelArchitecture(layers, hiddenSize, attentionHeads, kvHeads, headDim, ffnSize, ffnKind, vocabSize,
                tiedEmbeddings, maxContextTokens, positionEmbedding, learnedPositions, norm, normsPerLayer,
                attentionBias, outputProjectionBias, mlpBias, layerPattern, newMoe, mla, recurrent, sparseAttention,
                qkNorm, attentionSinks, attentionOutputGate, mtpLayers, hyperConnections, visionParameters,
                queryLoraRank, outputLora, perLayerEmbedding);
    }

    /**
     * Mixture of experts.
     *
     * @param denseLayers         leading layers that keep a dense FFN of {@code ffnSize} (first_k_dense_replace)
     * @param layerStep           every n-th layer after those is MoE, the others dense (decoder_sparse_step,
     *                            interleave_moe_layer_step); null means 1
     * @param sharedExpertFfnSize width of each shared expert where it differs from {@code expertFfnSize}
     *                            (Qwen2-MoE's shared_expert_intermediate_size, Gemma 4's dense MLP beside the experts)
     * @param hashRoutedLayers    leading MoE layers that route by a fixed token-to-expert table instead of scores
     *                            (DeepSeek-V4 num_hash_layers): a buffer of vocabSize x activeExperts integers per
     *                            layer (int64 in transformers), held in memory but not counted as parameters
     */
    public record Moe(Integer experts, Integer activeExperts, Integer sharedExperts, Integer expertFfnSize,
                      Integer denseLayers, Integer layerStep, Integer sharedExpertFfnSize, Integer hashRoutedLayers) {

        public Moe(Integer experts, Integer activeExperts, Integer sharedExperts, Integer expertFfnSize,
                   Integer denseLayers) {
            this(experts, activeExperts, sharedExperts, expertFfnSize, denseLayers, null, null, null);
        }

        public Moe(Integer experts, Integer activeExperts, Integer sharedExperts, Integer expertFfnSize,
                   Integer denseLayers, Integer layerStep, Integer sharedExpertFfnSize) {
            this(experts, activeExperts, sharedExperts, expertFfnSize, denseLayers, layerStep, sharedExpertFfnSize,
                    null);
        }

        /** The same mixture with other counts: the layer rule, shared-expert width and hash routing stay. */
        public Moe withCounts(Integer newExperts, Integer newActive, Integer newExpertFfnSize) {
            return new Moe(newExperts, newActive, sharedExperts, newExpertFfnSize, denseLayers, layerStep,
                    sharedExpertFfnSize, hashRoutedLayers);
        }

        public int step() {
            return layerStep == null || layerStep < 1 ? 1 : layerStep;
        }

        public int shared() {
            return sharedExperts == null ? 0 : sharedExperts;
        }

        public int sharedWidth() {
            return sharedExpertFfnSize != null ? sharedExpertFfnSize : expertFfnSize;
        }
    }

    /** Multi-head latent attention (DeepSeek-V2/V3): low-rank compressed KV. */
    public record Mla(Integer qLoraRank, Integer kvLoraRank, Integer qkNopeHeadDim, Integer qkRopeHeadDim,
                      Integer vHeadDim) {
    }

    /**
     * A run of layers. The groups of a pattern repeat in order until every layer has one.
     *
     * @param count          consecutive layers of this kind (at least 1)
     * @param attention      what the layers mix tokens with
     * @param window         tokens a sliding layer sees, or the chunk a chunked layer attends within; on a full
     *                       layer with {@code kvCompression}, the recent tokens it also keeps uncompressed
     *                       (DeepSeek-V4: 128)
     * @param kvHeads        KV heads of these layers where they differ from the model's (Gemma 4 global layers)
     * @param headDim        head size of these layers where it differs from the model's
     * @param keyEqualsValue the layers cache one tensor that serves as key and value (Gemma 4 attention_k_eq_v)
     * @param kvCompression  the cache keeps one entry per this many tokens (DeepSeek-V4 compress_ratios); null is 1
     * @param ffn            the layers' FFN where it is not the model's rule (Nemotron-H mixer-only blocks)
     * @param overlappingCompression the compressor pools overlapping windows of twice the ratio, so its
     *                       projections and position bias are twice as wide (DeepSeek-V4's ratio-4 layers)
     * @param indexer        whether these layers carry the sparse-attention indexer; null means every attention
     *                       layer does when the model has one (GLM-5's "shared" layers reuse the previous top-k)
     * @param sharedKv       the layers reuse an earlier layer's keys and values: no K/V projections and nothing
     *                       cached (Gemma 4 num_kv_shared_layers)
     * @param ffnSize        dense FFN width of these layers where it differs from the model's (Gemma 4
     *                       use_double_wide_mlp on KV-shared layers)
     */
    public record LayerGroup(Integer count, Attention attention, Integer window, Integer kvHeads, Integer headDim,
                             Boolean keyEqualsValue, Integer kvCompression, Ffn ffn, Boolean overlappingCompression,
                             Boolean indexer, Boolean sharedKv, Integer ffnSize) {

        public LayerGroup(Integer count, Attention attention, Integer window, Integer kvHeads, Integer headDim,
                          Boolean keyEqualsValue, Integer kvCompression, Ffn ffn) {
            this(count, attention, window, kvHeads, headDim, keyEqualsValue, kvCompression, ffn, null, null, null,
                    null);
        }

        public static LayerGroup of(int count, Attention attention, Integer window) {
            return new LayerGroup(count, attention, window, null, null, null, null, null);
        }
    }

    /**
     * A grouped low-rank output projection: the heads' outputs fall into {@code groups} groups, each projected to
     * {@code rank} (o_a_proj, block-diagonal: rank x heads x headDim weights in all), then all groups together to
     * the hidden size (o_b_proj: hidden x groups x rank).
     */
    public record OutputLora(Integer groups, Integer rank) {
    }

    /**
     * Per-layer embeddings (Gemma 4): a table of {@code vocab} rows holding {@code width} values for every layer,
     * a projection of the hidden state to the same width for every layer and its norm; each layer gates the
     * width-sized input in and projects it back (per_layer_input_gate, per_layer_projection) with one more norm.
     */
    public record PerLayerEmbedding(Integer vocab, Integer width) {
    }

    public enum Attention {
        /** Attends to every earlier token: the cache grows with the context. */
        FULL("full"),
        /** Attends to the last {@code window} tokens: the cache stops growing at the window. */
        SLIDING("sliding"),
        /** Attends within fixed chunks of {@code window} tokens (Llama 4): at most one chunk is cached. */
        CHUNKED("chunked"),
        /** Linear attention with a fixed-size recurrent state (Gated DeltaNet). */
        LINEAR("linear"),
        /** A Mamba-2 state-space layer: a fixed-size state and a short convolution. */
        MAMBA("mamba"),
        /** No token mixer: an FFN-only block (Nemotron-H "-" and "E" blocks). */
        NONE("none");

        private final String label;

        Attention(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }

        public boolean cachesTokens() {
            return this == FULL || this == SLIDING || this == CHUNKED;
        }

        public boolean recurrent() {
            return this == LINEAR || this == MAMBA;
        }
    }

    public enum Ffn {
        DENSE("dense"),
        MOE("moe"),
        NONE("none");

        private final String label;

        Ffn(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }
    }

    /**
     * Linear-attention (Gated DeltaNet) or Mamba-2 layers. Both keep a state of valueHeads x keyHeadDim x
     * valueHeadDim per sequence and a convolution window of convKernel - 1 steps over the q, k, v channels.
     * For Mamba-2: keyHeads = n_groups, keyHeadDim = ssm_state_size, valueHeads = mamba_num_heads, valueHeadDim =
     * mamba_head_dim.
     *
     * @param stateBytes bytes per element of the state as the config declares it (Qwen3.5 mamba_ssm_dtype,
     *                   Nemotron-H mamba_ssm_cache_dtype: float32 is 4); null means the model's dtype. The
     *                   convolution window stays in the model's dtype either way.
     */
    public record Recurrent(Integer keyHeads, Integer valueHeads, Integer keyHeadDim, Integer valueHeadDim,
                            Integer convKernel, Integer stateBytes) {

        /** A state kept in the model's dtype. */
        public Recurrent(Integer keyHeads, Integer valueHeads, Integer keyHeadDim, Integer valueHeadDim,
                         Integer convKernel) {
            this(keyHeads, valueHeads, keyHeadDim, valueHeadDim, convKernel, null);
        }

        /** Channels the short convolution runs over: q and k (or B and C) and v (or x). */
        public long convChannels() {
            return 2L * keyHeads * keyHeadDim + (long) valueHeads * valueHeadDim;
        }

        /** State elements per sequence and layer. */
        public long stateElements() {
            return (long) valueHeads * keyHeadDim * valueHeadDim;
        }
    }

    /**
     * DeepSeek Sparse Attention: a light indexer scores earlier tokens and each query attends to the top
     * {@code topK}. The indexer caches one key of {@code indexHeadDim} per token and layer.
     */
    public record SparseAttention(Integer indexHeads, Integer indexHeadDim, Integer topK) {
    }

    public enum QkNorm {
        /** RMSNorm over each head: headDim weights for q and for k (Qwen3, Gemma 3). */
        PER_HEAD("per-head"),
        /** RMSNorm over the whole projection: heads x headDim and kvHeads x headDim weights (OLMo 2). */
        WHOLE("whole"),
        /** L2 normalisation without weights (Llama 4). */
        UNWEIGHTED("unweighted"),
        /** A weighted RMSNorm over the (shared) key head only, queries normalised without weights (DeepSeek-V4). */
        KEY("key");

        private final String label;

        QkNorm(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }
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

        public int matrices() {
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
        public int vectors() {
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
