package dev.headroom.catalog.hf;

import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.ModelArchitecture.Attention;
import dev.headroom.catalog.ModelArchitecture.LayerGroup;
import dev.headroom.catalog.ModelArchitecture.QkNorm;
import java.util.ArrayList;
import java.util.List;

/**
 * Dense decoders: the Llama layout and the families that differ from it by a few tensors. Shapes follow
 * transformers' modeling files (Qwen3 and Gemma 3 per-head q/k norms, OLMo 2 whole-width q/k norms and post-norms
 * only, Gemma 2/3 four norms a layer).
 */
final class DenseFamilies {
    private DenseFamilies() {
    }

    /** llama, mistral, granite, phi3: q/k/v/o biases follow attention_bias, MLP biases mlp_bias. */
    static ModelArchitecture llama(HfConfig c) {
        Builder b = Builder.standard(c, false);
        b.ffnSize = c.integer("intermediate_size");
        b.attentionBias = c.flag("attention_bias", false);
        b.outputProjectionBias = b.attentionBias;
        b.mlpBias = c.flag("mlp_bias", false);
        Integer window = windowOf(c);
        if (window != null) {
            b.pattern = List.of(LayerGroup.of(1, Attention.SLIDING, window));
        }
        return b.build();
    }

    /** Qwen2 puts biases on q, k and v only. */
    static ModelArchitecture qwen2(HfConfig c) {
        Builder b = Builder.standard(c, false);
        b.ffnSize = c.integer("intermediate_size");
        b.attentionBias = true;
        b.pattern = qwenSliding(c, b.layers);
        return b.build();
    }

    /** Qwen3: Llama with a per-head RMSNorm on queries and keys. */
    static ModelArchitecture qwen3(HfConfig c) {
        Builder b = Builder.standard(c, false);
        b.ffnSize = c.integer("intermediate_size");
        b.attentionBias = c.flag("attention_bias", false);
        b.outputProjectionBias = b.attentionBias;
        b.qkNorm = QkNorm.PER_HEAD;
        b.pattern = qwenSliding(c, b.layers);
        return b.build();
    }

    /** OLMo 2: q/k norms over the whole projection; norms after attention and after the MLP, none before. */
    static ModelArchitecture olmo2(HfConfig c) {
        Builder b = Builder.standard(c, false);
        b.ffnSize = c.integer("intermediate_size");
        b.attentionBias = c.flag("attention_bias", false);
        b.outputProjectionBias = b.attentionBias;
        b.qkNorm = QkNorm.WHOLE;
        return b.build();
    }

    /** Gemma 2: tied embeddings, four norms a layer, sliding and global layers alternating. */
    static ModelArchitecture gemma2(HfConfig c) {
        Builder b = Builder.standard(c, true);
        b.ffnSize = c.integer("intermediate_size");
        b.attentionBias = c.flag("attention_bias", false);
        b.normsPerLayer = 4;
        Integer window = windowOf(c);
        if (window != null) {
            b.pattern = List.of(LayerGroup.of(1, Attention.SLIDING, window), LayerGroup.of(1, Attention.FULL, null));
        }
        return b.build();
    }

    /**
     * Gemma 3 text: Gemma 2 plus per-head q/k norms; layer_types where given, else every
     * sliding_window_pattern-th layer global (transformers' Gemma3TextConfig).
     */
    static ModelArchitecture gemma3(HfConfig c) {
        Builder b = Builder.standard(c, true);
        b.ffnSize = c.integer("intermediate_size");
        b.attentionBias = c.flag("attention_bias", false);
        b.outputProjectionBias = b.attentionBias;
        b.normsPerLayer = 4;
        b.qkNorm = QkNorm.PER_HEAD;
        int window = c.integer("sliding_window");
        List<String> types = c.strings("layer_types");
        if (types == null) {
            int every = c.integer("sliding_window_pattern");
            types = new ArrayList<>();
            for (int i = 0; i < b.layers; i++) {
                types.add((i + 1) % Math.max(1, every) == 0 ? "full_attention" : "sliding_attention");
            }
        }
        b.pattern = slidingOrFull(c, types, window);
        return b.build();
    }

    /** Layer types "sliding_attention" and "full_attention" as a pattern. */
    static List<LayerGroup> slidingOrFull(HfConfig c, List<String> types, int window) {
        List<LayerGroup> perLayer = new ArrayList<>();
        for (String type : types) {
            switch (type) {
                case "sliding_attention" -> perLayer.add(LayerGroup.of(1, Attention.SLIDING, window));
                case "full_attention" -> perLayer.add(LayerGroup.of(1, Attention.FULL, null));
                default -> c.problem("layer_types", type, "must be sliding_attention or full_attention");
            }
        }
        return perLayer.isEmpty() ? null : Builder.runs(perLayer);
    }

    /** Mistral, Mixtral and Phi-3 attend within sliding_window on every layer when it is set. */
    static Integer windowOf(HfConfig c) {
        return Builder.positive(c.has("sliding_window") ? c.integer("sliding_window") : null);
    }

    /**
     * Qwen2/Qwen3 (and their MoE variants) carry a window that is off unless use_sliding_window is true; then layers
     * from max_window_layers on slide (transformers' Qwen2 layer_types rule).
     */
    static List<LayerGroup> qwenSliding(HfConfig c, int layers) {
        if (!c.flag("use_sliding_window", false)) {
            return null;
        }
        Integer window = windowOf(c);
        if (window == null) {
            return null;
        }
        int from = c.integerOr("max_window_layers", layers, "every layer");
        List<LayerGroup> perLayer = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            perLayer.add(i >= from ? LayerGroup.of(1, Attention.SLIDING, window) : LayerGroup.of(1, Attention.FULL, null));
        }
        List<LayerGroup> pattern = Builder.runs(perLayer);
        return Builder.allPlainFull(pattern) ? null : pattern;
    }

    static ModelArchitecture.Attention attentionOf(String type) {
        return type.equals("sliding_attention") ? Attention.SLIDING : Attention.FULL;
    }
}
