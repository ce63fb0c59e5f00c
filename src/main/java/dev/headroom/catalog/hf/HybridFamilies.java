package dev.headroom.catalog.hf;

import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.ModelArchitecture.Attention;
import dev.headroom.catalog.ModelArchitecture.FfnKind;
import dev.headroom.catalog.ModelArchitecture.Ffn;
import dev.headroom.catalog.ModelArchitecture.LayerGroup;
import dev.headroom.catalog.ModelArchitecture.Moe;
import dev.headroom.catalog.ModelArchitecture.QkNorm;
import dev.headroom.catalog.ModelArchitecture.Recurrent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hybrids of attention and fixed-state layers: Qwen3.5 (Gated DeltaNet and gated full attention, transformers'
 * modular_qwen3_5.py) and Nemotron-H (Mamba-2, attention, MLP and MoE blocks of one mixer each,
 * modular_nemotron_h.py).
 */
final class HybridFamilies {
    private HybridFamilies() {
    }

    /**
     * Qwen3.5 text, dense or MoE: layer_types where given, else every full_attention_interval-th layer full; full
     * layers have per-head q/k norms and an output gate in q_proj; MoE layers (all of them) add one shared expert.
     */
    static ModelArchitecture qwen35(HfConfig c, boolean moe) {
        Builder b = Builder.standard(c, false);
        b.qkNorm = QkNorm.PER_HEAD;
        b.attentionBias = c.flag("attention_bias", false);
        b.outputProjectionBias = b.attentionBias;
        b.attentionOutputGate = c.flag("attn_output_gate", true);
        b.recurrent = new Recurrent(c.integer("linear_num_key_heads"), c.integer("linear_num_value_heads"),
                c.integer("linear_key_head_dim"), c.integer("linear_value_head_dim"),
                c.integer("linear_conv_kernel_dim"));
        b.mtpLayers = Builder.positive(c.optionalInteger("mtp_num_hidden_layers"));
        if (moe) {
            int shared = c.integer("shared_expert_intermediate_size");
            b.moe = new Moe(c.integer("num_experts"), c.integer("num_experts_per_tok"), shared > 0 ? 1 : 0,
                    c.integer("moe_intermediate_size"), 0, null, shared > 0 ? shared : null);
            b.ffnSize = shared > 0 ? shared : b.moe.expertFfnSize(); // no dense layers
        } else {
            b.ffnSize = c.integer("intermediate_size");
        }
        List<String> types = c.strings("layer_types");
        if (types == null) {
            int interval = Math.max(1, c.integer("full_attention_interval"));
            types = new ArrayList<>();
            for (int i = 0; i < b.layers; i++) {
                types.add((i + 1) % interval == 0 ? "full_attention" : "linear_attention");
            }
        }
        List<LayerGroup> perLayer = new ArrayList<>();
        for (String type : types) {
            switch (type) {
                case "linear_attention" -> perLayer.add(LayerGroup.of(1, Attention.LINEAR, null));
                case "full_attention" -> perLayer.add(LayerGroup.of(1, Attention.FULL, null));
                default -> c.problem("layer_types", type, "must be linear_attention or full_attention");
            }
        }
        b.pattern = perLayer.isEmpty() ? null : Builder.runs(perLayer);
        return b.build();
    }

    /** Nemotron-H block letters of hybrid_override_pattern and the names of layers_block_type. */
    private static final Map<String, LayerGroup> NEMOTRON_BLOCKS = Map.of(
            "mamba", new LayerGroup(1, Attention.MAMBA, null, null, null, null, null, Ffn.NONE),
            "attention", new LayerGroup(1, Attention.FULL, null, null, null, null, null, Ffn.NONE),
            "mlp", new LayerGroup(1, Attention.NONE, null, null, null, null, null, Ffn.DENSE),
            "moe", new LayerGroup(1, Attention.NONE, null, null, null, null, null, Ffn.MOE));
    private static final Map<String, String> NEMOTRON_NAMES = Map.of("M", "mamba", "*", "attention", "-", "mlp",
            "E", "moe", "linear_attention", "mamba", "full_attention", "attention");

    /**
     * Nemotron-H: each block is one RMSNorm and one mixer: Mamba-2 ("M"), attention ("*"), a ReLU² MLP ("-") or
     * MoE with ReLU² experts and one shared expert of moe_shared_expert_intermediate_size ("E"). The layer count is
     * the pattern's length (num_hidden_layers is deprecated in NemotronHConfig).
     */
    static ModelArchitecture nemotronH(HfConfig c) {
        List<String> blocks = c.strings("layers_block_type");
        if (blocks == null) {
            blocks = c.strings("layer_types");
        }
        if (blocks == null) {
            String letters = c.text("hybrid_override_pattern");
            if (letters == null) {
                blocks = List.of("mamba", "moe", "attention", "mlp");
                c.note("hybrid_override_pattern: absent, NemotronHConfig default (mamba, moe, attention, mlp) applied");
            } else {
                blocks = letters.chars().mapToObj(ch -> String.valueOf((char) ch)).toList();
            }
        }
        List<LayerGroup> perLayer = new ArrayList<>();
        for (String block : blocks) {
            LayerGroup group = NEMOTRON_BLOCKS.get(NEMOTRON_NAMES.getOrDefault(block, block));
            if (group == null) {
                c.problem("hybrid_override_pattern", block, "each block must be M, *, - or E (mamba, attention, mlp, moe)");
            } else {
                perLayer.add(group);
            }
        }
        Builder b = new Builder();
        b.layers = perLayer.size();
        b.hidden = c.integer("hidden_size");
        b.heads = c.integer("num_attention_heads");
        b.vocab = c.integer("vocab_size");
        b.context = c.integer("max_position_embeddings");
        b.kvHeads = c.integerOr("num_key_value_heads", b.heads, "one KV head per attention head");
        b.headDim = c.integerOr("head_dim", b.heads > 0 ? b.hidden / b.heads : 0, "hidden_size / num_attention_heads");
        b.tied = c.flag("tie_word_embeddings", false);
        b.normsPerLayer = 1;
        b.ffnKind = FfnKind.PLAIN;
        b.ffnSize = c.integer("intermediate_size");
        b.mlpBias = c.flag("mlp_bias", false);
        b.attentionBias = c.flag("attention_bias", false);
        b.outputProjectionBias = b.attentionBias;
        int groups = c.has("mamba_n_groups") ? c.integer("mamba_n_groups") : c.integer("n_groups");
        int kernel = c.has("mamba_d_conv") ? c.integer("mamba_d_conv") : c.integer("conv_kernel");
        b.recurrent = new Recurrent(groups, c.integer("mamba_num_heads"), c.integer("ssm_state_size"),
                c.integer("mamba_head_dim"), kernel);
        if (perLayer.stream().anyMatch(g -> g.ffn() == Ffn.MOE)) {
            if (c.has("moe_latent_size")) {
                c.problem("moe_latent_size", c.node("moe_latent_size"),
                        "is not supported yet: experts in a latent space are not counted");
            }
            int sharedWidth = c.integer("moe_shared_expert_intermediate_size");
            // NemotronHMoE holds one shared MLP of moe_shared_expert_intermediate_size whatever n_shared_experts says
            int shared = c.integer("n_shared_experts") > 0 ? 1 : 0;
            b.moe = new Moe(c.integer("n_routed_experts"), c.integer("num_experts_per_tok"), shared,
                    c.integer("moe_intermediate_size"), 0, null, sharedWidth);
        }
        b.mtpLayers = Builder.positive(c.optionalInteger("num_nextn_predict_layers"));
        b.pattern = perLayer.isEmpty() ? null : Builder.runs(perLayer);
        return b.build();
    }
}
