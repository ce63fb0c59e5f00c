package dev.headroom.catalog.hf;

import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.ModelArchitecture.Attention;
import dev.headroom.catalog.ModelArchitecture.Ffn;
import dev.headroom.catalog.ModelArchitecture.LayerGroup;
import dev.headroom.catalog.ModelArchitecture.Moe;
import dev.headroom.catalog.ModelArchitecture.NormKind;
import dev.headroom.catalog.ModelArchitecture.QkNorm;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Mixtures of experts on a standard attention layer. Router biases (gpt-oss: one per expert and layer), Qwen2-MoE's
 * shared-expert gate (hidden_size per layer) and Phi-3.5-MoE's lm_head bias are left out: each is under 0.01 % of
 * the model.
 */
final class MoeFamilies {
    private MoeFamilies() {
    }

    /** Mixtral: every layer routes to num_local_experts experts of intermediate_size. */
    static ModelArchitecture mixtral(HfConfig c) {
        Builder b = Builder.standard(c, false);
        b.ffnSize = c.integer("intermediate_size");
        b.moe = localExperts(c, b.ffnSize);
        Integer window = DenseFamilies.windowOf(c, b);
        if (window != null) {
            b.pattern = List.of(LayerGroup.of(1, Attention.SLIDING, window));
        }
        return b.build();
    }

    /** num_local_experts experts of {@code width}, num_experts_per_tok of them per token, on every layer. */
    private static Moe localExperts(HfConfig c, int width) {
        int experts = Builder.experts(c, "num_local_experts");
        return new Moe(experts, Builder.activeExperts(c, "num_experts_per_tok", "num_local_experts", experts), 0,
                width, 0);
    }

    /** Phi-3.5-MoE: the Mixtral layout with LayerNorms (weight and bias) and attention biases. */
    static ModelArchitecture phimoe(HfConfig c) {
        Builder b = Builder.standard(c, false);
        b.ffnSize = c.integer("intermediate_size");
        b.moe = localExperts(c, b.ffnSize);
        b.norm = NormKind.LAYERNORM;
        b.attentionBias = c.flag("attention_bias", false);
        b.outputProjectionBias = b.attentionBias;
        Integer window = DenseFamilies.windowOf(c, b);
        if (window != null) {
            b.pattern = List.of(LayerGroup.of(1, Attention.SLIDING, window));
        }
        return b.build();
    }

    /** MiniMax-M2: every layer MoE with experts of intermediate_size; q/k norms over the whole projection. */
    static ModelArchitecture minimaxM2(HfConfig c) {
        Builder b = Builder.standard(c, false);
        b.ffnSize = c.integer("intermediate_size");
        // MiniMaxM2Config maps num_experts to num_local_experts
        String expertsKey = c.has("num_experts") && !c.has("num_local_experts") ? "num_experts" : "num_local_experts";
        int experts = Builder.experts(c, expertsKey);
        b.moe = new Moe(experts, Builder.activeExperts(c, "num_experts_per_tok", expertsKey, experts), 0, b.ffnSize,
                0);
        b.qkNorm = QkNorm.WHOLE;
        return b.build();
    }

    /**
     * Qwen2-MoE and Qwen3-MoE: layer i is MoE when (i + 1) is a multiple of decoder_sparse_step and i is not in
     * mlp_only_layers; Qwen2-MoE adds one shared expert of shared_expert_intermediate_size and biases on q, k, v;
     * Qwen3-MoE has per-head q/k norms and no shared expert.
     */
    static ModelArchitecture qwenMoe(HfConfig c, boolean qwen3) {
        Builder b = Builder.standard(c, false);
        b.ffnSize = c.integer("intermediate_size");
        int shared = 0;
        Integer sharedWidth = null;
        if (qwen3) {
            b.qkNorm = QkNorm.PER_HEAD;
            b.attentionBias = c.flag("attention_bias", false);
            b.outputProjectionBias = b.attentionBias;
        } else {
            b.attentionBias = c.flag("qkv_bias", true);
            sharedWidth = c.integer("shared_expert_intermediate_size");
            shared = sharedWidth > 0 ? 1 : 0;
        }
        int step = c.between("decoder_sparse_step", 1, b.layers, "num_hidden_layers");
        int experts = Builder.experts(c, "num_experts");
        b.moe = new Moe(experts, Builder.activeExperts(c, "num_experts_per_tok", "num_experts", experts), shared,
                c.positive("moe_intermediate_size"), 0, step, shared > 0 ? sharedWidth : null);
        Set<Integer> dense = c.layerIndexes("mlp_only_layers", b.layers);
        List<LayerGroup> sliding = DenseFamilies.qwenSliding(c, b);
        if (dense != null && !dense.isEmpty()) {
            List<LayerGroup> perLayer = new ArrayList<>();
            for (int i = 0; i < b.layers; i++) {
                Ffn ffn = dense.contains(i) ? Ffn.DENSE : null;
                perLayer.add(new LayerGroup(1, Attention.FULL, null, null, null, null, null, ffn));
            }
            b.pattern = Builder.runs(perLayer);
            if (sliding != null) {
                c.note("use_sliding_window with mlp_only_layers: the window is not applied (every layer counted full)");
            }
        } else {
            b.pattern = sliding;
        }
        return b.build();
    }

    /**
     * gpt-oss: q/k/v/o biases (attention_bias), a sink logit per head, experts with biases, sliding and full layers
     * per layer_types (default: even layers slide).
     */
    static ModelArchitecture gptOss(HfConfig c) {
        Builder b = Builder.standard(c, false);
        b.ffnSize = c.integer("intermediate_size");
        b.attentionBias = c.flag("attention_bias", true);
        b.outputProjectionBias = b.attentionBias;
        b.mlpBias = true;
        b.attentionSinks = true;
        b.moe = localExperts(c, b.ffnSize);
        Integer window = b.window(c, "sliding_window");
        List<String> types = DenseFamilies.slidingOrFullTypes(c, b.layers);
        if (types == null && !c.hasProblem("layer_types")) {
            types = new ArrayList<>();
            for (int i = 0; i < b.layers; i++) {
                types.add((i + 1) % 2 == 1 ? "sliding_attention" : "full_attention");
            }
            c.note("layer_types: absent, GptOssConfig default (even layers sliding, odd layers full) applied");
        }
        b.pattern = DenseFamilies.slidingOrFull(types, window);
        return b.build();
    }

    /**
     * Llama 4 text: experts and one shared expert of intermediate_size on MoE layers (every
     * interleave_moe_layer_step-th, or those in moe_layers), a dense MLP of intermediate_size_mlp on the others;
     * RoPE layers attend within attention_chunk_size chunks, every no_rope_layer_interval-th layer (NoPE) attends
     * globally. An empty no_rope_layers list is replaced by that default, as transformers does.
     */
    static ModelArchitecture llama4(HfConfig c) {
        Builder b = Builder.standard(c, false);
        b.attentionBias = c.flag("attention_bias", false);
        b.outputProjectionBias = b.attentionBias;
        b.ffnSize = c.integer("intermediate_size_mlp");
        int expertWidth = c.positive("intermediate_size");
        int step = c.between("interleave_moe_layer_step", 1, b.layers, "num_hidden_layers");
        int experts = Builder.experts(c, "num_local_experts");
        b.moe = new Moe(experts, Builder.activeExperts(c, "num_experts_per_tok", "num_local_experts", experts), 1,
                expertWidth, 0, step, null);
        if (c.flag("use_qk_norm", false)) {
            b.qkNorm = QkNorm.UNWEIGHTED;
        }
        int chunk = c.positive("attention_chunk_size");
        String perLayer = "one per layer (num_hidden_layers = " + b.layers + ")";
        // Llama4TextConfig: moe_layers given (even empty) names the MoE layers; absent, the step rule applies
        Set<Integer> moeSet = c.layerIndexes("moe_layers", b.layers);
        List<String> types = c.layerWords("layer_types", b.layers, perLayer,
                List.of("chunked_attention", "full_attention"));
        boolean ropeEmpty = c.has("no_rope_layers") && c.node("no_rope_layers").isEmpty();
        List<Integer> rope = types != null || c.hasProblem("layer_types") || ropeEmpty ? null
                : c.layerNumbers("no_rope_layers", b.layers, 0, b.layers + " entries, " + perLayer
                        + " (1: RoPE and chunked, 0: NoPE and global)", List.of(0, 1));
        int interval = types == null && rope == null ? c.positive("no_rope_layer_interval") : 1;
        List<LayerGroup> groups = new ArrayList<>();
        for (int i = 0; i < b.layers; i++) {
            boolean chunked = types != null ? types.get(i).equals("chunked_attention")
                    : rope != null ? rope.get(i) != 0
                    : (i + 1) % Math.max(1, interval) != 0;
            Ffn ffn = moeSet == null ? null : moeSet.contains(i) ? Ffn.MOE : Ffn.DENSE;
            groups.add(new LayerGroup(1, chunked ? Attention.CHUNKED : Attention.FULL, chunked ? chunk : null,
                    null, null, null, null, ffn));
        }
        b.pattern = Builder.runs(groups);
        return b.build();
    }

    /**
     * GLM-4.5/4.6: q/k/v biases (attention_bias, o_proj without), optional per-head q/k norms (use_qk_norm),
     * first_k_dense_replace dense layers, then DeepSeek-style MoE with n_shared_experts shared experts.
     */
    static ModelArchitecture glm4Moe(HfConfig c) {
        Builder b = Builder.standard(c, false);
        b.ffnSize = c.integer("intermediate_size");
        b.attentionBias = c.flag("attention_bias", false);
        if (c.flag("use_qk_norm", false)) {
            b.qkNorm = QkNorm.PER_HEAD;
        }
        int experts = Builder.experts(c, "n_routed_experts");
        b.moe = new Moe(experts, Builder.activeExperts(c, "num_experts_per_tok", "n_routed_experts", experts),
                c.integer("n_shared_experts"), c.positive("moe_intermediate_size"),
                c.between("first_k_dense_replace", 0, b.layers - 1, "num_hidden_layers - 1"));
        b.mtpLayers = Builder.nullIfZero(c.optionalInteger("num_nextn_predict_layers"));
        return b.build();
    }
}
