package dev.headroom.catalog.hf;

import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.ModelArchitecture.Attention;
import dev.headroom.catalog.ModelArchitecture.LayerGroup;
import dev.headroom.catalog.ModelArchitecture.Moe;
import dev.headroom.catalog.ModelArchitecture.PerLayerEmbedding;
import dev.headroom.catalog.ModelArchitecture.QkNorm;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Gemma 4 text (transformers' modeling_gemma4.py; research note gemma4.md). Sliding layers use head_dim and
 * num_key_value_heads; full layers use global_head_dim and, with attention_k_eq_v, num_global_key_value_heads and
 * one tensor for keys and values. The last num_kv_shared_layers layers reuse earlier layers' K/V; with
 * use_double_wide_mlp their MLP is twice as wide. enable_moe_block adds experts beside the dense MLP (counted as a
 * shared expert of intermediate_size) and three norms a layer; hidden_size_per_layer_input > 0 adds per-layer
 * embeddings. The router's scale vectors (hidden_size + experts per layer) are left out: under 0.001 %.
 */
final class Gemma4Family {
    private Gemma4Family() {
    }

    static ModelArchitecture text(HfConfig c) {
        Builder b = Builder.standard(c, true);
        b.ffnSize = c.integer("intermediate_size");
        b.attentionBias = c.flag("attention_bias", false);
        b.outputProjectionBias = b.attentionBias;
        b.qkNorm = QkNorm.PER_HEAD;
        b.normsPerLayer = 4;
        Integer window = b.window(c, "sliding_window");
        if (window != null && "all".equals(c.text("use_bidirectional_attention"))) {
            window = window / 2 + 1; // transformers' Gemma4TextConfig: bidirectional layers see half each way
        }
        int globalHeadDim = c.positive("global_head_dim");
        boolean keyIsValue = c.flag("attention_k_eq_v", false);
        Integer globalKvHeads = keyIsValue && c.has("num_global_key_value_heads")
                ? Builder.kvHeads(c, "num_global_key_value_heads", b.heads, 0, null) : null;
        int shared = c.between("num_kv_shared_layers", 0, b.layers - 1,
                "num_hidden_layers - 1: a shared layer reuses an earlier layer's keys and values");
        boolean doubleWide = c.flag("use_double_wide_mlp", false);
        List<String> types = DenseFamilies.slidingOrFullTypes(c, b.layers);
        if (types == null && !c.hasProblem("layer_types")) {
            types = new ArrayList<>();
            for (int i = 0; i < b.layers; i++) {
                types.add((i + 1) % 6 == 0 ? "full_attention" : "sliding_attention");
            }
            c.note("layer_types", "absent, Gemma4TextConfig default (every 6th layer full) applied");
        }
        if (types == null) {
            return b.build(); // the problems are reported
        }
        if (!types.isEmpty() && !types.get(types.size() - 1).equals("full_attention")) {
            types = new ArrayList<>(types);
            types.set(types.size() - 1, "full_attention");
            c.note("layer_types", "the last layer is full attention in Gemma 4 whatever the list says");
        }
        int firstShared = c.hasProblem("num_kv_shared_layers") ? types.size() : Math.max(0, types.size() - shared);
        for (String type : new LinkedHashSet<>(types.subList(firstShared, types.size()))) {
            if (!types.subList(0, firstShared).contains(type)) {
                c.problem("num_kv_shared_layers", shared, "leaves no earlier " + type + " layer to share keys and"
                        + " values with");
            }
        }
        List<LayerGroup> perLayer = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            boolean global = types.get(i).equals("full_attention");
            boolean sliding = !global && window != null;
            boolean sharesKv = i >= firstShared;
            perLayer.add(new LayerGroup(1, sliding ? Attention.SLIDING : Attention.FULL, sliding ? window : null,
                    global && globalKvHeads != null ? globalKvHeads : null, global ? globalHeadDim : null,
                    global && keyIsValue ? true : null, null, null, null, null, sharesKv ? true : null,
                    sharesKv && doubleWide ? 2 * b.ffnSize : null));
        }
        b.pattern = Builder.runs(perLayer);
        if (c.flag("enable_moe_block", false)) {
            int experts = Builder.experts(c, "num_experts");
            b.moe = new Moe(experts, Builder.activeExperts(c, "top_k_experts", "num_experts", experts), 1,
                    c.positive("moe_intermediate_size"), 0, null, b.ffnSize);
            b.normsPerLayer += 3;
        }
        int perLayerWidth = c.integer("hidden_size_per_layer_input");
        if (perLayerWidth > 0) {
            b.perLayerEmbedding = new PerLayerEmbedding(c.integer("vocab_size_per_layer_input"), perLayerWidth);
        }
        return b.build();
    }
}
