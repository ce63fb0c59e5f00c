package dev.headroom.catalog.hf;

import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.ModelArchitecture.Attention;
import dev.headroom.catalog.ModelArchitecture.Ffn;
import dev.headroom.catalog.ModelArchitecture.LayerGroup;
import dev.headroom.catalog.ModelArchitecture.Moe;
import dev.headroom.catalog.ModelArchitecture.NormKind;
import dev.headroom.catalog.ModelArchitecture.QkNorm;
import java.util.ArrayList;
import java.util.HashSet;
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
        b.moe = new Moe(c.integer("num_local_experts"), c.integer("num_experts_per_tok"), 0, b.ffnSize, 0);
        Integer window = DenseFamilies.windowOf(c);
        if (window != null) {
            b.pattern = List.of(LayerGroup.of(1, Attention.SLIDING, window));
        }
        return b.build();
    }

    /** Phi-3.5-MoE: the Mixtral layout with LayerNorms (weight and bias) and attention biases. */
    static ModelArchitecture phimoe(HfConfig c) {
        Builder b = Builder.standard(c, false);
        b.ffnSize = c.integer("intermediate_size");
        b.moe = new Moe(c.integer("num_local_experts"), c.integer("num_experts_per_tok"), 0, b.ffnSize, 0);
        b.norm = NormKind.LAYERNORM;
        b.attentionBias = c.flag("attention_bias", false);
        b.outputProjectionBias = b.attentionBias;
        Integer window = DenseFamilies.windowOf(c);
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
        int experts = c.has("num_experts") && !c.has("num_local_experts") ? c.integer("num_experts")
                : c.integer("num_local_experts");
        b.moe = new Moe(experts, c.integer("num_experts_per_tok"), 0, b.ffnSize, 0);
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
        int step = c.integer("decoder_sparse_step");
        b.moe = new Moe(c.integer("num_experts"), c.integer("num_experts_per_tok"), shared,
                c.integer("moe_intermediate_size"), 0, step, shared > 0 ? sharedWidth : null);
        List<Integer> mlpOnly = c.integers("mlp_only_layers");
        List<LayerGroup> sliding = DenseFamilies.qwenSliding(c, b.layers);
        if (mlpOnly != null && !mlpOnly.isEmpty()) {
            Set<Integer> dense = new HashSet<>(mlpOnly);
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
        b.moe = new Moe(c.integer("num_local_experts"), c.integer("num_experts_per_tok"), 0, b.ffnSize, 0);
        int window = c.integer("sliding_window");
        List<String> types = c.strings("layer_types");
        if (types == null) {
            types = new ArrayList<>();
            for (int i = 0; i < b.layers; i++) {
                types.add((i + 1) % 2 == 1 ? "sliding_attention" : "full_attention");
            }
            c.note("layer_types: absent, GptOssConfig default (even layers sliding, odd layers full) applied");
        }
        b.pattern = DenseFamilies.slidingOrFull(c, types, window);
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
        int expertWidth = c.integer("intermediate_size");
        int step = c.integer("interleave_moe_layer_step");
        b.moe = new Moe(c.integer("num_local_experts"), c.integer("num_experts_per_tok"), 1, expertWidth, 0, step,
                null);
        if (c.flag("use_qk_norm", false)) {
            b.qkNorm = QkNorm.UNWEIGHTED;
        }
        int chunk = c.integer("attention_chunk_size");
        List<Integer> moeLayers = c.integers("moe_layers");
        Set<Integer> moeSet = moeLayers == null || moeLayers.isEmpty() ? null : new HashSet<>(moeLayers);
        List<Integer> rope = c.integers("no_rope_layers");
        List<String> types = c.strings("layer_types");
        int interval = rope == null || rope.isEmpty() ? c.integer("no_rope_layer_interval") : 0;
        List<LayerGroup> perLayer = new ArrayList<>();
        for (int i = 0; i < b.layers; i++) {
            boolean chunked = types != null ? types.get(Math.min(i, types.size() - 1)).equals("chunked_attention")
                    : rope != null && !rope.isEmpty() ? rope.get(Math.min(i, rope.size() - 1)) != 0
                    : (i + 1) % Math.max(1, interval) != 0;
            Ffn ffn = moeSet == null ? null : moeSet.contains(i) ? Ffn.MOE : Ffn.DENSE;
            perLayer.add(new LayerGroup(1, chunked ? Attention.CHUNKED : Attention.FULL, chunked ? chunk : null,
                    null, null, null, null, ffn));
        }
        b.pattern = Builder.runs(perLayer);
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
        b.moe = new Moe(c.integer("n_routed_experts"), c.integer("num_experts_per_tok"),
                c.integer("n_shared_experts"), c.integer("moe_intermediate_size"),
                c.integer("first_k_dense_replace"));
        b.mtpLayers = Builder.positive(c.optionalInteger("num_nextn_predict_layers"));
        return b.build();
    }
}
