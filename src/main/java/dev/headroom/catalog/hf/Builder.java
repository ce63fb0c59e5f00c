package dev.headroom.catalog.hf;

import dev.headroom.catalog.LayerPlan;
import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.ModelArchitecture.FfnKind;
import dev.headroom.catalog.ModelArchitecture.LayerGroup;
import dev.headroom.catalog.ModelArchitecture.Mla;
import dev.headroom.catalog.ModelArchitecture.Moe;
import dev.headroom.catalog.ModelArchitecture.NormKind;
import dev.headroom.catalog.ModelArchitecture.OutputLora;
import dev.headroom.catalog.ModelArchitecture.PerLayerEmbedding;
import dev.headroom.catalog.ModelArchitecture.PositionEmbedding;
import dev.headroom.catalog.ModelArchitecture.QkNorm;
import dev.headroom.catalog.ModelArchitecture.Recurrent;
import dev.headroom.catalog.ModelArchitecture.SparseAttention;
import java.util.ArrayList;
import java.util.List;

/**
 * The architecture being filled in by a family reader, starting from a plain pre-norm RMSNorm transformer with
 * a gated FFN, two norms a layer and no biases; each reader changes what its model type does differently.
 */
final class Builder {
    int layers;
    int hidden;
    int heads;
    int kvHeads;
    int headDim;
    int ffnSize;
    FfnKind ffnKind = FfnKind.GATED;
    int vocab;
    boolean tied;
    int context;
    NormKind norm = NormKind.RMSNORM;
    int normsPerLayer = 2;
    boolean attentionBias;
    boolean outputProjectionBias;
    boolean mlpBias;
    List<LayerGroup> pattern;
    Moe moe;
    Mla mla;
    Recurrent recurrent;
    SparseAttention sparseAttention;
    QkNorm qkNorm;
    Boolean attentionSinks;
    Boolean attentionOutputGate;
    Integer mtpLayers;
    Integer hyperConnections;
    Long visionParameters;
    Integer queryLoraRank;
    OutputLora outputLora;
    PerLayerEmbedding perLayerEmbedding;

    /**
     * The standard keys: sizes, vocabulary, context, tied embeddings; num_key_value_heads absent means one KV
     * head per query head and head_dim absent means hidden_size / num_attention_heads, as in transformers.
     */
    static Builder standard(HfConfig c, boolean tiedByDefault) {
        Builder b = sizes(c, tiedByDefault);
        b.kvHeads = kvHeads(c, "num_key_value_heads", b.heads, b.heads, "one KV head per attention head");
        b.headDim = c.has("head_dim") ? c.positive("head_dim") : c.integerOr("head_dim",
                b.heads > 0 ? b.hidden / b.heads : 0, "hidden_size / num_attention_heads");
        return b;
    }

    /** The standard keys but the KV heads and head size, which MLA and DeepSeek-V4 set their own way. */
    static Builder sizes(HfConfig c, boolean tiedByDefault) {
        Builder b = new Builder();
        b.hidden = c.positive("hidden_size");
        b.heads = c.positive("num_attention_heads");
        b.layers = c.positive("num_hidden_layers");
        b.vocab = c.positive("vocab_size");
        b.context = c.positive("max_position_embeddings");
        b.tied = c.flag("tie_word_embeddings", tiedByDefault);
        return b;
    }

    /**
     * KV heads read from {@code key} (absent: {@code fallback}, saying {@code rule}): from 1 to the attention heads,
     * and dividing them, since each KV head serves an equal share of query heads. Not checked against heads that
     * are themselves wrong.
     */
    static int kvHeads(HfConfig c, String key, int heads, int fallback, String rule) {
        int kv = c.has(key) || rule == null ? c.positive(key) : c.integerOr(key, fallback, rule);
        if (heads < 1 || c.hasProblem(key) || c.hasProblem("num_attention_heads")) {
            return kv;
        }
        if (kv > heads || heads % kv != 0) {
            c.problem(key, kv, "must divide num_attention_heads (" + heads + ")");
        }
        return kv;
    }

    /** Routed experts: at least 2, or it is not a mixture. */
    static int experts(HfConfig c, String key) {
        return c.atLeast(key, 2);
    }

    /** Experts each token goes to: 1 to the routed experts (not checked against a count that is itself wrong). */
    static int activeExperts(HfConfig c, String key, String expertsKey, int experts) {
        return c.between(key, 1, c.hasProblem(expertsKey) ? Integer.MAX_VALUE : experts, expertsKey);
    }

    /**
     * A sliding window read from {@code key}: at least 1 token. A window at or above max_position_embeddings never
     * drops a token, so it is no window: null, with a note, and the layers count as full attention.
     */
    Integer window(HfConfig c, String key) {
        int window = c.positive(key);
        if (c.hasProblem(key)) {
            return null;
        }
        if (context > 0 && window >= context) {
            c.note(key, window + " is at or above max_position_embeddings (" + context
                    + "), so no token ever leaves the window: counted as full attention");
            return null;
        }
        return window;
    }

    ModelArchitecture build() {
        return new ModelArchitecture(layers, hidden, heads, kvHeads, headDim, ffnSize, ffnKind, vocab, tied, context,
                PositionEmbedding.ROPE, 0, norm, normsPerLayer, attentionBias, outputProjectionBias, mlpBias, pattern,
                moe, mla, recurrent, sparseAttention, qkNorm, attentionSinks, attentionOutputGate, mtpLayers,
                hyperConnections, visionParameters, queryLoraRank, outputLora, perLayerEmbedding);
    }

    /**
     * One group per layer, stored as the shortest cycle that repeats to give every layer (the pattern repeats, see
     * LayerPlan; the last cycle may be cut short), each cycle as runs of equal neighbours: Qwen3.5-27B's 64 layers
     * are [3 linear, 1 full]. Layers in no order that repeats at least twice are spelled out as runs. A uniform
     * model keeps a one-group pattern.
     */
    static List<LayerGroup> runs(List<LayerGroup> perLayer) {
        List<LayerGroup> kinds = perLayer.stream().map(g -> withCount(g, 1)).toList();
        int period = LayerPlan.period(kinds);
        List<LayerGroup> cycle = period * 2 <= kinds.size() ? kinds.subList(0, period) : kinds;
        List<LayerGroup> out = new ArrayList<>();
        for (LayerGroup g : cycle) {
            if (!out.isEmpty() && sameKind(out.get(out.size() - 1), g)) {
                LayerGroup last = out.remove(out.size() - 1);
                out.add(withCount(last, last.count() + 1));
            } else {
                out.add(g);
            }
        }
        if (out.size() == 1) {
            out.set(0, withCount(out.get(0), 1)); // repeats to every layer either way
        }
        return out;
    }

    private static boolean sameKind(LayerGroup a, LayerGroup b) {
        return withCount(a, 1).equals(withCount(b, 1));
    }

    static LayerGroup withCount(LayerGroup g, int count) {
        return new LayerGroup(count, g.attention(), g.window(), g.kvHeads(), g.headDim(), g.keyEqualsValue(),
                g.kvCompression(), g.ffn(), g.overlappingCompression(), g.indexer(), g.sharedKv(), g.ffnSize());
    }

    /** True when every group of a pattern is plain full attention with the model's FFN rule: no pattern needed. */
    static boolean allPlainFull(List<LayerGroup> pattern) {
        return pattern.stream().allMatch(g -> withCount(g, 1).equals(
                LayerGroup.of(1, ModelArchitecture.Attention.FULL, null)));
    }

    /** A count where 0 means the part is absent (MTP layers): null then, as the catalog writes it. */
    static Integer nullIfZero(Integer value) {
        return value == null || value <= 0 ? null : value;
    }
}
