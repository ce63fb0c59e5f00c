package dev.headroom.catalog.hf;

import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.ModelArchitecture.Attention;
import dev.headroom.catalog.ModelArchitecture.Ffn;
import dev.headroom.catalog.ModelArchitecture.LayerGroup;
import dev.headroom.catalog.ModelArchitecture.Mla;
import dev.headroom.catalog.ModelArchitecture.Moe;
import dev.headroom.catalog.ModelArchitecture.OutputLora;
import dev.headroom.catalog.ModelArchitecture.QkNorm;
import dev.headroom.catalog.ModelArchitecture.SparseAttention;
import java.util.ArrayList;
import java.util.List;

/**
 * DeepSeek's line: MLA with DeepSeek-MoE (V3, Kimi K2), plus the DSA indexer (V3.2, GLM-5), and V4's single
 * shared K=V head with compressed caches, a low-rank query, a grouped low-rank output, sinks and
 * hyper-connections (transformers' modular_deepseek_v4.py; the research note deepseek_v4.md has the shapes).
 */
final class DeepSeekFamilies {
    private DeepSeekFamilies() {
    }

    /** DeepSeek-V3 and Kimi K2 (whose config.json names DeepseekV3ForCausalLM). */
    static ModelArchitecture v3(HfConfig c) {
        Builder b = mlaMoe(c);
        return b.build();
    }

    /** DeepSeek-V3.2: V3 with an indexer on every layer. */
    static ModelArchitecture v32(HfConfig c) {
        Builder b = mlaMoe(c);
        b.sparseAttention = indexer(c);
        return b.build();
    }

    /**
     * GLM-5: V3.2's layout; indexer_types (or index_topk_pattern, "F"/"S") say which layers keep their own indexer;
     * without either, layer i has one when max(i - index_skip_topk_offset + 1, 0) is a multiple of index_topk_freq
     * (transformers' GlmMoeDsaConfig).
     */
    static ModelArchitecture glmMoeDsa(HfConfig c) {
        Builder b = mlaMoe(c);
        b.sparseAttention = indexer(c);
        List<Boolean> own = new ArrayList<>();
        List<String> types = c.strings("indexer_types");
        String letters = c.text("index_topk_pattern");
        if (types != null) {
            types.forEach(t -> own.add(!t.equals("shared")));
        } else if (letters != null) {
            letters.chars().forEach(ch -> own.add(ch != 'S'));
        } else {
            int freq = Math.max(1, c.integer("index_topk_freq"));
            int offset = c.integer("index_skip_topk_offset");
            for (int i = 0; i < b.layers; i++) {
                own.add(Math.max(i - offset + 1, 0) % freq == 0);
            }
        }
        if (own.contains(false)) {
            List<LayerGroup> perLayer = new ArrayList<>();
            for (int i = 0; i < b.layers; i++) {
                boolean indexed = own.get(Math.min(i, own.size() - 1));
                perLayer.add(new LayerGroup(1, Attention.FULL, null, null, null, null, null,
                        ffnIn(b.pattern, i), null, indexed, null, null));
            }
            b.pattern = Builder.runs(perLayer);
        }
        return b.build();
    }

    /**
     * The V3 body: MLA, first_k_dense_replace dense layers, then MoE every moe_layer_freq-th layer (transformers
     * counts that from layer 0, the pattern spells it out where it is not 1), MTP modules.
     */
    private static Builder mlaMoe(HfConfig c) {
        Builder b = Builder.sizes(c, false);
        b.ffnSize = c.integer("intermediate_size");
        b.moe = new Moe(c.integer("n_routed_experts"), c.integer("num_experts_per_tok"),
                c.integerOr("n_shared_experts", 0, "no shared expert"), c.integer("moe_intermediate_size"),
                c.integerOr("first_k_dense_replace", 0, "no dense layers"));
        b.mla = new Mla(c.integerOr("q_lora_rank", 0, "queries without a low-rank bottleneck"),
                c.integer("kv_lora_rank"), c.integer("qk_nope_head_dim"), c.integer("qk_rope_head_dim"),
                c.integer("v_head_dim"));
        b.kvHeads = b.heads; // MLA caches one latent per token; num_key_value_heads is unused
        b.headDim = b.mla.qkNopeHeadDim() + b.mla.qkRopeHeadDim();
        b.mtpLayers = Builder.positive(c.optionalInteger("num_nextn_predict_layers"));
        int freq = c.has("moe_layer_freq") ? c.integer("moe_layer_freq") : 1;
        if (freq > 1) {
            List<LayerGroup> perLayer = new ArrayList<>();
            for (int i = 0; i < b.layers; i++) {
                boolean moe = i >= b.moe.denseLayers() && i % freq == 0;
                perLayer.add(new LayerGroup(1, Attention.FULL, null, null, null, null, null,
                        moe ? Ffn.MOE : Ffn.DENSE));
            }
            b.pattern = Builder.runs(perLayer);
        }
        return b;
    }

    private static SparseAttention indexer(HfConfig c) {
        return new SparseAttention(c.integer("index_n_heads"), c.integer("index_head_dim"), c.integer("index_topk"));
    }

    /**
     * DeepSeek-V4. Layer kinds from layer_types, or from the older compress_ratios list (0 sliding, the CSA rate
     * compressed with overlapping windows and an indexer, the HCA rate compressed without; transformers truncates the
     * list to num_hidden_layers, the last entry of V4-Flash's 44 belongs to the MTP layer); without either, two HCA
     * layers then CSA and HCA alternating. Each layer keeps a sliding window of raw entries besides the compressed
     * ones: a compressed group's window is that raw window, its kvCompression the pooling ratio.
     */
    static ModelArchitecture v4(HfConfig c) {
        Builder b = Builder.sizes(c, false);
        b.headDim = c.integer("head_dim");
        b.kvHeads = c.integer("num_key_value_heads");
        int expertWidth = c.integer("moe_intermediate_size");
        b.ffnSize = expertWidth; // no dense layers; the shared expert has the experts' width
        b.moe = new Moe(c.integer("n_routed_experts"), c.integer("num_experts_per_tok"),
                c.integer("n_shared_experts"), expertWidth, 0, null, null, c.integer("num_hash_layers"));
        b.queryLoraRank = c.integer("q_lora_rank");
        b.outputLora = new OutputLora(c.integer("o_groups"), c.integer("o_lora_rank"));
        b.attentionSinks = true;
        b.qkNorm = QkNorm.KEY;
        b.attentionBias = c.flag("attention_bias", false);
        b.hyperConnections = c.integer("hc_mult");
        b.mtpLayers = Builder.positive(c.integer("num_nextn_predict_layers"));
        b.sparseAttention = indexer(c);
        int window = c.integer("sliding_window");
        int csa = c.has("compress_rate_csa") ? c.integer("compress_rate_csa") : 4;
        int hca = c.has("compress_rate_hca") ? c.integer("compress_rate_hca") : 128;
        List<String> kinds = c.strings("layer_types");
        if (kinds == null) {
            List<Integer> ratios = c.integers("compress_ratios");
            kinds = new ArrayList<>();
            for (int i = 0; i < b.layers; i++) {
                if (ratios == null) {
                    kinds.add(i < 2 || i % 2 == 0 ? "heavily_compressed_attention" : "compressed_sparse_attention");
                } else if (i < ratios.size()) {
                    int r = ratios.get(i);
                    kinds.add(r == 0 ? "sliding_attention" : r == csa ? "compressed_sparse_attention"
                            : r == hca ? "heavily_compressed_attention" : "ratio " + r);
                }
            }
            if (ratios == null) {
                c.note("compress_ratios: absent, DeepseekV4Config default (2 HCA layers, then CSA and HCA alternating)"
                        + " applied");
            }
        }
        List<LayerGroup> perLayer = new ArrayList<>();
        for (String kind : kinds.subList(0, Math.min(kinds.size(), b.layers))) {
            switch (kind) {
                case "sliding_attention" -> perLayer.add(new LayerGroup(1, Attention.SLIDING, window, null, null,
                        true, null, null, null, false, null, null));
                case "compressed_sparse_attention" -> perLayer.add(new LayerGroup(1, Attention.FULL, window, null,
                        null, true, csa, null, true, true, null, null));
                case "heavily_compressed_attention" -> perLayer.add(new LayerGroup(1, Attention.FULL, window, null,
                        null, true, hca, null, false, false, null, null));
                default -> c.problem("compress_ratios", kind, "each entry must be 0, " + csa + " (CSA) or " + hca
                        + " (HCA)");
            }
        }
        if (perLayer.size() < b.layers && !perLayer.isEmpty()) {
            c.problem("compress_ratios", kinds.size(), "must give one entry for each of the " + b.layers + " layers");
        }
        b.pattern = perLayer.isEmpty() ? null : Builder.runs(perLayer);
        return b.build();
    }

    /** The FFN group i has in an already spelled-out pattern (moe_layer_freq); null leaves it to the MoE rule. */
    private static Ffn ffnIn(List<LayerGroup> pattern, int index) {
        if (pattern == null) {
            return null;
        }
        int n = 0;
        for (LayerGroup g : pattern) {
            if (index < n + g.count()) {
                return g.ffn();
            }
            n += g.count();
        }
        return null;
    }
}
