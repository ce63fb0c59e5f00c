package dev.headroom.catalog.hf;

import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.ModelArchitecture.Attention;
import dev.headroom.catalog.ModelArchitecture.LayerGroup;
import dev.headroom.catalog.ModelArchitecture.Moe;
import dev.headroom.catalog.ModelArchitecture.PerLayerEmbedding;
import dev.headroom.catalog.ModelArchitecture.QkNorm;
import java.util.ArrayList;
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
        int window = c.integer("sliding_window");
        if ("all".equals(c.text("use_bidirectional_attention"))) {
            window = window / 2 + 1; // transformers' Gemma4TextConfig: bidirectional layers see half each way
        }
        int globalHeadDim = c.integer("global_head_dim");
        boolean keyIsValue = c.flag("attention_k_eq_v", false);
        Integer globalKvHeads = keyIsValue ? c.optionalInteger("num_global_key_value_heads") : null;
        int shared = c.integer("num_kv_shared_layers");
        boolean doubleWide = c.flag("use_double_wide_mlp", false);
        List<String> types = c.strings("layer_types");
        if (types == null) {
            types = new ArrayList<>();
            for (int i = 0; i < b.layers; i++) {
                types.add((i + 1) % 6 == 0 ? "full_attention" : "sliding_attention");
            }
            c.note("layer_types: absent, Gemma4TextConfig default (every 6th layer full) applied");
        }
        if (!types.isEmpty() && !types.get(types.size() - 1).equals("full_attention")) {
            types = new ArrayList<>(types);
            types.set(types.size() - 1, "full_attention");
            c.note("layer_types: the last layer is full attention in Gemma 4 whatever the list says");
        }
        List<LayerGroup> perLayer = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            boolean full = types.get(i).equals("full_attention");
            boolean sharesKv = shared > 0 && i >= b.layers - shared;
            perLayer.add(new LayerGroup(1, full ? Attention.FULL : Attention.SLIDING, full ? null : window,
                    full && globalKvHeads != null ? globalKvHeads : null, full ? globalHeadDim : null,
                    full && keyIsValue ? true : null, null, null, null, null, sharesKv ? true : null,
                    sharesKv && doubleWide ? 2 * b.ffnSize : null));
        }
        b.pattern = Builder.runs(perLayer);
        if (c.flag("enable_moe_block", false)) {
            b.moe = new Moe(c.integer("num_experts"), c.integer("top_k_experts"), 1,
                    c.integer("moe_intermediate_size"), 0, null, b.ffnSize);
            b.normsPerLayer += 3;
        }
        int perLayerWidth = c.integer("hidden_size_per_layer_input");
        if (perLayerWidth > 0) {
            b.perLayerEmbedding = new PerLayerEmbedding(c.integer("vocab_size_per_layer_input"), perLayerWidth);
        }
        return b.build();
    }
}
