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
        String perLayer = "one per layer (num_hidden_layers = " + b.layers + ")";
        List<Boolean> own = new ArrayList<>();
        List<String> types = c.layerWords("indexer_types", b.layers, perLayer, List.of("full", "shared"));
        String letters = types != null || c.hasProblem("indexer_types") ? null
                : c.layerLetters("index_topk_pattern", b.layers, perLayer, "FS");
        if (types != null) {
            types.forEach(t -> own.add(t.equals("full")));
        } else if (letters != null) {
            letters.chars().forEach(ch -> own.add(ch == 'F'));
        } else if (!c.has("indexer_types") && !c.has("index_topk_pattern")) {
            int freq = c.positive("index_topk_freq");
            int offset = c.integer("index_skip_topk_offset");
            for (int i = 0; i < b.layers && freq > 0; i++) {
                own.add(Math.max(i - offset + 1, 0) % freq == 0);
            }
        }
        if (own.size() == b.layers && own.contains(false)) {
            List<LayerGroup> groups = new ArrayList<>();
            for (int i = 0; i < b.layers; i++) {
                groups.add(new LayerGroup(1, Attention.FULL, null, null, null, null, null,
                        ffnIn(b.pattern, i), null, own.get(i), null, null));
            }
            b.pattern = Builder.runs(groups);
        }
        return b.build();
    }

    /**
     * The V3 body: MLA, first_k_dense_replace dense layers, then MoE every moe_layer_freq-th layer (transformers
     * counts that from layer 0, the pattern spells it out where it is not 1), MTP modules.
     */
    private static Builder mlaMoe(HfConfig c) {
        Builder b = Builder.sizes(c, false);
        b.ffnSize = c.positive("intermediate_size");
        int experts = Builder.experts(c, "n_routed_experts");
        int dense = c.has("first_k_dense_replace")
                ? c.between("first_k_dense_replace", 0, b.layers - 1, "num_hidden_layers - 1")
                : c.integerOr("first_k_dense_replace", 0, "no dense layers");
        b.moe = new Moe(experts, Builder.activeExperts(c, "num_experts_per_tok", "n_routed_experts", experts),
                c.integerOr("n_shared_experts", 0, "no shared expert"), c.positive("moe_intermediate_size"), dense);
        b.mla = new Mla(c.integerOr("q_lora_rank", 0, "queries without a low-rank bottleneck"),
                c.positive("kv_lora_rank"), c.positive("qk_nope_head_dim"), c.positive("qk_rope_head_dim"),
                c.positive("v_head_dim"));
        b.kvHeads = b.heads; // MLA caches one latent per token; num_key_value_heads is unused
        b.headDim = b.mla.qkNopeHeadDim() + b.mla.qkRopeHeadDim();
        b.mtpLayers = Builder.nullIfZero(c.optionalInteger("num_nextn_predict_layers"));
        // DeepseekV3 tests layer_idx % moe_layer_freq: 0 divides by zero there
        int freq = c.has("moe_layer_freq") ? c.positive("moe_layer_freq") : 1;
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
        return new SparseAttention(c.positive("index_n_heads"), c.positive("index_head_dim"), c.positive("index_topk"));
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
        b.headDim = c.positive("head_dim");
        b.kvHeads = Builder.kvHeads(c, "num_key_value_heads", b.heads, 0, null);
        int expertWidth = c.positive("moe_intermediate_size");
        b.ffnSize = expertWidth; // no dense layers; the shared expert has the experts' width
        int experts = Builder.experts(c, "n_routed_experts");
        b.moe = new Moe(experts, Builder.activeExperts(c, "num_experts_per_tok", "n_routed_experts", experts),
                c.integer("n_shared_experts"), expertWidth, 0, null, null,
                c.between("num_hash_layers", 0, b.layers, "num_hidden_layers"));
        b.queryLoraRank = c.positive("q_lora_rank");
        int groups = c.positive("o_groups");
        if (b.heads > 0 && groups > 0 && !c.hasProblem("num_attention_heads") && b.heads % groups != 0) {
            c.problem("o_groups", groups, "must divide num_attention_heads (" + b.heads + ")");
        }
        b.outputLora = new OutputLora(groups, c.positive("o_lora_rank"));
        b.attentionSinks = true;
        b.qkNorm = QkNorm.KEY;
        b.attentionBias = c.flag("attention_bias", false);
        b.hyperConnections = c.positive("hc_mult");
        b.mtpLayers = Builder.nullIfZero(c.integer("num_nextn_predict_layers"));
        b.sparseAttention = indexer(c);
        int window = c.positive("sliding_window");
        int csa = c.has("compress_rate_csa") ? c.positive("compress_rate_csa") : 4;
        int hca = c.has("compress_rate_hca") ? c.positive("compress_rate_hca") : 128;
        String perLayer = "one per layer (num_hidden_layers = " + b.layers + ")";
        List<String> kinds = c.layerWords("layer_types", b.layers, perLayer, List.of("sliding_attention",
                "compressed_sparse_attention", "heavily_compressed_attention"));
        if (kinds == null && !c.has("layer_types")) {
            List<Integer> ratios = c.layerNumbers("compress_ratios", b.layers, 1, b.layers + " entries, one per layer,"
                    + " or " + (b.layers + 1) + " with the MTP layer's last", List.of(0, csa, hca));
            if (ratios != null) {
                kinds = new ArrayList<>();
                for (int r : ratios.subList(0, b.layers)) { // transformers drops the MTP layer's entry
                    kinds.add(r == 0 ? "sliding_attention" : r == csa ? "compressed_sparse_attention"
                            : "heavily_compressed_attention");
                }
            } else if (!c.has("compress_ratios")) {
                kinds = new ArrayList<>();
                for (int i = 0; i < b.layers; i++) {
                    kinds.add(i < 2 || i % 2 == 0 ? "heavily_compressed_attention" : "compressed_sparse_attention");
                }
                c.note("compress_ratios: absent, DeepseekV4Config default (2 HCA layers, then CSA and HCA alternating)"
                        + " applied");
            }
        }
        List<LayerGroup> layers = new ArrayList<>();
        for (String kind : kinds == null ? List.<String>of() : kinds) {
            layers.add(switch (kind) {
                case "sliding_attention" -> new LayerGroup(1, Attention.SLIDING, window, null, null, true, null, null,
                        null, false, null, null);
                case "compressed_sparse_attention" -> new LayerGroup(1, Attention.FULL, window, null, null, true, csa,
                        null, true, true, null, null);
                default -> new LayerGroup(1, Attention.FULL, window, null, null, true, hca, null, false, false, null,
                        null);
            });
        }
        b.pattern = layers.isEmpty() ? null : Builder.runs(layers);
        return b.build();
    }

    /** The FFN layer {@code index} has in a pattern already built (moe_layer_freq); null leaves it to the MoE rule. */
    private static Ffn ffnIn(List<LayerGroup> pattern, int index) {
        if (pattern == null) {
            return null;
        }
        int n = 0;
        for (int k = 0; ; k++) { // the groups repeat in order until every layer has one
            LayerGroup g = pattern.get(k % pattern.size());
            if (index < n + g.count()) {
                return g.ffn();
            }
            n += g.count();
        }
    }
}
