package dev.headroom.catalog;

import dev.headroom.catalog.ModelArchitecture.Attention;
import dev.headroom.catalog.ModelArchitecture.Ffn;
import dev.headroom.catalog.ModelArchitecture.LayerGroup;
import dev.headroom.catalog.ModelArchitecture.Moe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The architecture expanded layer by layer: what each layer mixes tokens with, its KV shape and its FFN. The
 * parameter counter, the memory model and the speed model all read layers from here, so a pattern means the same
 * thing everywhere.
 *
 * <p>FFN rule where a layer group does not set one: a model without experts is dense everywhere; with experts,
 * the first {@code denseLayers} layers are dense and after them layer i is MoE when (i + 1) is a multiple of
 * {@code layerStep} (transformers' Qwen2-MoE {@code decoder_sparse_step} and Llama 4's
 * {@code interleave_moe_layer_step} read the same way).
 */
public final class LayerPlan {

    /**
     * One layer.
     *
     * @param window      tokens a sliding or chunked layer keeps; 0 when the layer keeps them all
     * @param kvFactor    2 when keys and values are cached apart, 1 when one tensor serves both, 0 when the
     *                    layer reuses an earlier layer's (nothing projected, nothing cached)
     * @param compression the cache keeps one entry per this many tokens
     * @param overlappingCompression the compressor pools overlapping windows (twice as wide projections)
     * @param indexer     the layer carries the sparse-attention indexer (and caches its keys)
     * @param ffnSize     width of the layer's dense FFN
     */
    public record Layer(int index, Attention attention, int window, int kvHeads, int headDim, int kvFactor,
                        int compression, Ffn ffn, boolean overlappingCompression, boolean indexer, int ffnSize) {
    }

    private LayerPlan() {
    }

    public static List<Layer> of(ModelArchitecture a) {
        int layers = a.layers();
        List<LayerGroup> pattern = a.layerPattern() == null || a.layerPattern().isEmpty()
                ? List.of(LayerGroup.of(1, Attention.FULL, null)) : a.layerPattern();
        List<Layer> out = new ArrayList<>(layers);
        int group = 0;
        int usedOfGroup = 0;
        for (int i = 0; i < layers; i++) {
            LayerGroup g = pattern.get(group);
            out.add(layer(a, i, g));
            usedOfGroup++;
            if (usedOfGroup >= Math.max(1, g.count() == null ? 1 : g.count())) {
                usedOfGroup = 0;
                group = (group + 1) % pattern.size();
            }
        }
        return out;
    }

    private static Layer layer(ModelArchitecture a, int index, LayerGroup g) {
        Attention attention = g.attention() == null ? Attention.FULL : g.attention();
        int window = attention == Attention.SLIDING || attention == Attention.CHUNKED
                ? (g.window() == null ? 0 : g.window()) : 0;
        int kvHeads = g.kvHeads() != null ? g.kvHeads() : a.kvHeads();
        int headDim = g.headDim() != null ? g.headDim() : a.headDim();
        int kvFactor = Boolean.TRUE.equals(g.sharedKv()) ? 0 : Boolean.TRUE.equals(g.keyEqualsValue()) ? 1 : 2;
        int compression = g.kvCompression() == null || g.kvCompression() < 1 ? 1 : g.kvCompression();
        Ffn ffn = g.ffn() != null ? g.ffn() : defaultFfn(a.moe(), index);
        boolean indexer = attention.cachesTokens() && a.sparseAttention() != null
                && (g.indexer() == null || g.indexer());
        int ffnSize = g.ffnSize() != null ? g.ffnSize() : a.ffnSize() == null ? 0 : a.ffnSize();
        return new Layer(index, attention, window, kvHeads, headDim, kvFactor, compression, ffn,
                Boolean.TRUE.equals(g.overlappingCompression()), indexer, ffnSize);
    }

    static Ffn defaultFfn(Moe moe, int index) {
        if (moe == null) {
            return Ffn.DENSE;
        }
        int dense = moe.denseLayers() == null ? 0 : moe.denseLayers();
        return index >= dense && (index + 1) % moe.step() == 0 ? Ffn.MOE : Ffn.DENSE;
    }

    /** Whether any layer keeps less than the whole context, so KV bytes per token depend on the context. */
    public static boolean kvVariesWithContext(ModelArchitecture a) {
        for (Layer layer : of(a)) {
            if (layer.window() > 0 || layer.attention().recurrent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The attention pattern in words, e.g. "5 sliding (1,024) : 1 full" for Gemma 3, "36 full" for Llama,
     * "48 linear : 16 full" for Qwen3.5; runs of equal layers are counted over the whole model.
     */
    public static String describeAttention(ModelArchitecture a) {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (Layer layer : of(a)) {
            String kind = layer.attention().label();
            if (layer.window() > 0) {
                kind += String.format(Locale.ROOT, " (%,d)", layer.window());
            }
            if (layer.compression() > 1) {
                kind += " /" + layer.compression();
            }
            kinds.merge(kind, 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        kinds.forEach((kind, n) -> parts.add(n + " " + kind));
        return String.join(" : ", parts);
    }

    /** The FFN layout in words: "48 MoE (16 experts, 1 active)", "3 dense + 58 MoE (256 experts, 8 active, 1 shared)". */
    public static String describeFfn(ModelArchitecture a) {
        int dense = 0;
        int moe = 0;
        int none = 0;
        for (Layer layer : of(a)) {
            switch (layer.ffn()) {
                case DENSE -> dense++;
                case MOE -> moe++;
                default -> none++;
            }
        }
        List<String> parts = new ArrayList<>();
        if (dense > 0) {
            parts.add(dense + " dense");
        }
        if (moe > 0) {
            Moe m = a.moe();
            parts.add(moe + " MoE (" + m.experts() + " experts, " + m.activeExperts() + " active"
                    + (m.shared() > 0 ? ", " + m.shared() + " shared" : "") + ")");
        }
        if (none > 0) {
            parts.add(none + " without FFN");
        }
        return String.join(" + ", parts);
    }
}
