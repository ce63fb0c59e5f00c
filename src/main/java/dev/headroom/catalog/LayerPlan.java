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
     * @param window      tokens a sliding or chunked layer keeps; 0 when the layer keeps them all; on a
     *                    compressed full layer, the recent tokens it keeps uncompressed besides
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
        int compression = g.kvCompression() == null || g.kvCompression() < 1 ? 1 : g.kvCompression();
        boolean windowed = attention == Attention.SLIDING || attention == Attention.CHUNKED
                || (attention == Attention.FULL && compression > 1);
        int window = windowed && g.window() != null ? g.window() : 0;
        int kvHeads = g.kvHeads() != null ? g.kvHeads() : a.kvHeads();
        int headDim = g.headDim() != null ? g.headDim() : a.headDim();
        int kvFactor = Boolean.TRUE.equals(g.sharedKv()) ? 0 : Boolean.TRUE.equals(g.keyEqualsValue()) ? 1 : 2;
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
     * The attention pattern in words. A pattern that repeats is stated as its cycle, with the totals over the model:
     * "5 sliding (1,024) : 1 full, repeated over 62 layers (52 sliding, 10 full)" for Gemma 3 27B (the last cycle
     * may be cut short); one kind of layer is "32 full"; layers in no repeating order are counted by kind. The CLI's
     * entry text and the Plan wizard both show this, so a pattern reads the same everywhere.
     */
    public static String describeAttention(ModelArchitecture a) {
        List<Layer> layers = of(a);
        List<String> kinds = new ArrayList<>();
        for (Layer layer : layers) {
            kinds.add(kindOf(layer, true));
        }
        List<String> counted = counted(kinds);
        if (counted.size() <= 1) {
            return counted.isEmpty() ? "no layers" : counted.get(0);
        }
        int period = period(kinds);
        // Twice round at least, or it is not a cycle anyone would call one.
        if (period * 2 > kinds.size()) {
            return String.join(", ", counted) + ", in no repeating order";
        }
        // The cycle names the windows already; the totals only say how many of each kind.
        List<String> plain = new ArrayList<>();
        for (Layer layer : layers) {
            plain.add(kindOf(layer, false));
        }
        return runs(kinds.subList(0, period)) + ", repeated over " + kinds.size() + " layers ("
                + String.join(", ", counted(plain)) + ")";
    }

    /** "n kind" for each kind, in order of first appearance. */
    private static List<String> counted(List<String> kinds) {
        Map<String, Integer> totals = new LinkedHashMap<>();
        kinds.forEach(kind -> totals.merge(kind, 1, Integer::sum));
        List<String> counted = new ArrayList<>();
        totals.forEach((kind, n) -> counted.add(n + " " + kind));
        return counted;
    }

    /**
     * What a layer mixes tokens with, as the descriptions name it: "sliding (1,024)", "compressed /4 + 128 raw", "FFN-only"; without
     * {@code detail}, the kind alone ("sliding").
     */
    private static String kindOf(Layer layer, boolean detail) {
        boolean compressed = layer.compression() > 1;
        String kind = layer.attention() == Attention.NONE ? "FFN-only" : compressed ? "compressed"
                : layer.attention().label();
        if (!detail) {
            return kind;
        }
        if (compressed) {
            kind += " /" + layer.compression();
            return layer.window() > 0 ? kind + String.format(Locale.ROOT, " + %,d raw", layer.window()) : kind;
        }
        if (layer.window() > 0) {
            kind += String.format(Locale.ROOT, " (%,d)", layer.window());
        }
        return kind;
    }

    /** The shortest p with kinds[i] = kinds[i mod p] for every layer; the layer count when nothing repeats. */
    public static <T> int period(List<T> kinds) {
        for (int p = 1; p < kinds.size(); p++) {
            boolean repeats = true;
            for (int i = p; i < kinds.size() && repeats; i++) {
                repeats = kinds.get(i).equals(kinds.get(i - p));
            }
            if (repeats) {
                return p;
            }
        }
        return kinds.size();
    }

    /** Consecutive equal kinds counted: [s, s, s, f] is "3 sliding : 1 full". */
    private static String runs(List<String> kinds) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= kinds.size(); i++) {
            if (i == kinds.size() || !kinds.get(i).equals(kinds.get(start))) {
                parts.add((i - start) + " " + kinds.get(start));
                start = i;
            }
        }
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
