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
        b.recurrent = new Recurrent(c.positive("linear_num_key_heads"), c.positive("linear_num_value_heads"),
                c.positive("linear_key_head_dim"), c.positive("linear_value_head_dim"),
                c.positive("linear_conv_kernel_dim"), stateBytes(c, "mamba_ssm_dtype", null, null));
        b.mtpLayers = Builder.nullIfZero(c.optionalInteger("mtp_num_hidden_layers"));
        if (moe) {
            int shared = c.integer("shared_expert_intermediate_size");
            int experts = Builder.experts(c, "num_experts");
            b.moe = new Moe(experts, Builder.activeExperts(c, "num_experts_per_tok", "num_experts", experts),
                    shared > 0 ? 1 : 0, c.positive("moe_intermediate_size"), 0, null, shared > 0 ? shared : null);
            b.ffnSize = shared > 0 ? shared : b.moe.expertFfnSize(); // no dense layers
        } else {
            b.ffnSize = c.positive("intermediate_size");
        }
        List<String> types = c.layerWords("layer_types", b.layers, "one per layer (num_hidden_layers = " + b.layers
                + ")", List.of("linear_attention", "full_attention"));
        if (types == null && !c.hasProblem("layer_types")) {
            int interval = c.positive("full_attention_interval");
            types = new ArrayList<>();
            for (int i = 0; i < b.layers && interval > 0; i++) {
                types.add((i + 1) % interval == 0 ? "full_attention" : "linear_attention");
            }
        }
        List<LayerGroup> perLayer = new ArrayList<>();
        for (String type : types == null ? List.<String>of() : types) {
            perLayer.add(LayerGroup.of(1, type.equals("linear_attention") ? Attention.LINEAR : Attention.FULL, null));
        }
        b.pattern = perLayer.isEmpty() ? null : Builder.runs(perLayer);
        return b.build();
    }

    /** Bytes per element of the dtype names a config uses for recurrent states. */
    private static final Map<String, Integer> STATE_DTYPES = Map.of("float32", 4, "bfloat16", 2, "float16", 2);

    /**
     * Bytes per element of the recurrent state from a dtype key ({@code classDefault} where the config class
     * {@code className} has one, else the model's dtype: null); either way the note says which applied.
     */
    private static Integer stateBytes(HfConfig c, String key, String className, String classDefault) {
        String dtype = c.text(key);
        if (dtype == null) {
            if (c.hasProblem(key)) {
                return null;
            }
            c.note(key, "absent, " + (classDefault == null ? "the state is taken in the model's dtype"
                    : className + " default " + classDefault + " applied"));
            return classDefault == null ? null : STATE_DTYPES.get(classDefault);
        }
        Integer bytes = STATE_DTYPES.get(dtype);
        if (bytes == null) {
            c.problem(key, dtype, "must be one of float32, bfloat16, float16");
        }
        return bytes;
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
        List<String> blocks = blocks(c);
        List<LayerGroup> perLayer = new ArrayList<>();
        for (String block : blocks) {
            perLayer.add(NEMOTRON_BLOCKS.get(NEMOTRON_NAMES.getOrDefault(block, block)));
        }
        Builder b = new Builder();
        b.layers = perLayer.size();
        b.hidden = c.positive("hidden_size");
        b.heads = c.positive("num_attention_heads");
        b.vocab = c.positive("vocab_size");
        b.context = c.positive("max_position_embeddings");
        b.kvHeads = Builder.kvHeads(c, "num_key_value_heads", b.heads, b.heads, "one KV head per attention head");
        b.headDim = c.has("head_dim") ? c.positive("head_dim") : c.integerOr("head_dim",
                b.heads > 0 ? b.hidden / b.heads : 0, "hidden_size / num_attention_heads");
        b.tied = c.flag("tie_word_embeddings", false);
        b.normsPerLayer = 1;
        b.ffnKind = FfnKind.PLAIN;
        b.ffnSize = c.integer("intermediate_size");
        b.mlpBias = c.flag("mlp_bias", false);
        b.attentionBias = c.flag("attention_bias", false);
        b.outputProjectionBias = b.attentionBias;
        int groups = c.has("mamba_n_groups") ? c.positive("mamba_n_groups") : c.positive("n_groups");
        int kernel = c.has("mamba_d_conv") ? c.positive("mamba_d_conv") : c.positive("conv_kernel");
        b.recurrent = new Recurrent(groups, c.positive("mamba_num_heads"), c.positive("ssm_state_size"),
                c.positive("mamba_head_dim"), kernel, stateBytes(c, "mamba_ssm_cache_dtype", "NemotronHConfig", "float32"));
        if (perLayer.stream().anyMatch(g -> g.ffn() == Ffn.MOE)) {
            if (c.has("moe_latent_size")) {
                c.problem("moe_latent_size", c.node("moe_latent_size"),
                        "is not supported yet: experts in a latent space are not counted");
            }
            int sharedWidth = c.integer("moe_shared_expert_intermediate_size");
            // NemotronHMoE holds one shared MLP of moe_shared_expert_intermediate_size whatever n_shared_experts says
            int shared = c.integer("n_shared_experts") > 0 ? 1 : 0;
            int experts = Builder.experts(c, "n_routed_experts");
            b.moe = new Moe(experts, Builder.activeExperts(c, "num_experts_per_tok", "n_routed_experts", experts),
                    shared, c.positive("moe_intermediate_size"), 0, null, sharedWidth);
        }
        b.mtpLayers = Builder.nullIfZero(c.optionalInteger("num_nextn_predict_layers"));
        b.pattern = perLayer.isEmpty() ? null : Builder.runs(perLayer);
        return b.build();
    }

    /**
     * The block names: layers_block_type (or layer_types), else the letters of hybrid_override_pattern, else the
     * class default. Where num_hidden_layers is given as well it must agree: vLLM's NemotronHConfig asserts that
     * the pattern has num_hidden_layers letters (transformers' newer class only warns).
     */
    private static List<String> blocks(HfConfig c) {
        Integer declared = c.has("num_hidden_layers") ? c.positive("num_hidden_layers") : null;
        int count = declared == null || c.hasProblem("num_hidden_layers") ? 0 : declared;
        String countRule = "one per layer (num_hidden_layers = " + count + ")";
        List<String> names = List.of("mamba", "attention", "mlp", "moe", "linear_attention", "full_attention");
        for (String key : List.of("layers_block_type", "layer_types")) {
            if (c.has(key)) {
                List<String> blocks = c.layerWords(key, count, countRule, names);
                return blocks == null ? List.of() : blocks;
            }
        }
        if (!c.has("hybrid_override_pattern")) {
            c.note("hybrid_override_pattern: absent, NemotronHConfig default (mamba, moe, attention, mlp) applied");
            return List.of("mamba", "moe", "attention", "mlp");
        }
        String letters = c.layerLetters("hybrid_override_pattern", count, countRule, "M*-E");
        return letters == null ? List.of() : letters.chars().mapToObj(ch -> String.valueOf((char) ch)).toList();
    }
}
