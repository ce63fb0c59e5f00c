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
        Integer window = windowOf(c, b);
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
        b.pattern = qwenSliding(c, b);
        return b.build();
    }

    /** Qwen3: Llama with a per-head RMSNorm on queries and keys. */
    static ModelArchitecture qwen3(HfConfig c) {
        Builder b = Builder.standard(c, false);
        b.ffnSize = c.integer("intermediate_size");
        b.attentionBias = c.flag("attention_bias", false);
        b.outputProjectionBias = b.attentionBias;
        b.qkNorm = QkNorm.PER_HEAD;
        b.pattern = qwenSliding(c, b);
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
        Integer window = windowOf(c, b);
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
        Integer window = b.window(c, "sliding_window");
        List<String> types = slidingOrFullTypes(c, b.layers);
        if (types == null && !c.hasProblem("layer_types")) {
            int every = c.positive("sliding_window_pattern");
            types = new ArrayList<>();
            for (int i = 0; i < b.layers && every > 0; i++) {
                types.add((i + 1) % every == 0 ? "full_attention" : "sliding_attention");
            }
        }
        b.pattern = slidingOrFull(types, window);
        return b.build();
    }

    /** layer_types of sliding_attention and full_attention, one per layer (transformers' layer_type_validation). */
    static List<String> slidingOrFullTypes(HfConfig c, int layers) {
        return c.layerWords("layer_types", layers, "one per layer (num_hidden_layers = " + layers + ")",
                List.of("sliding_attention", "full_attention"));
    }

    /**
     * Layer types "sliding_attention" and "full_attention" as a pattern; a null window (none, or one no context
     * reaches) makes the sliding layers full.
     */
    static List<LayerGroup> slidingOrFull(List<String> types, Integer window) {
        if (types == null || types.isEmpty()) {
            return null;
        }
        List<LayerGroup> perLayer = new ArrayList<>();
        for (String type : types) {
            boolean sliding = type.equals("sliding_attention") && window != null;
            perLayer.add(sliding ? LayerGroup.of(1, Attention.SLIDING, window)
                    : LayerGroup.of(1, Attention.FULL, null));
        }
        List<LayerGroup> pattern = Builder.runs(perLayer);
        return Builder.allPlainFull(pattern) ? null : pattern;
    }

    /**
     * Mistral, Mixtral and Phi-3 attend within sliding_window on every layer when it is set (null: no window); a
     * window must hold at least one token.
     */
    static Integer windowOf(HfConfig c, Builder b) {
        return c.has("sliding_window") ? b.window(c, "sliding_window") : null;
    }

    /**
     * Qwen2/Qwen3 (and their MoE variants) carry a window that is off unless use_sliding_window is true; then layers
     * from max_window_layers on slide (transformers' Qwen2 layer_types rule).
     */
    static List<LayerGroup> qwenSliding(HfConfig c, Builder b) {
        int layers = b.layers;
        if (!c.flag("use_sliding_window", false)) {
            return null; // sliding_window is then unused (Qwen2Config sets it to None)
        }
        Integer window = b.window(c, "sliding_window");
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
}
