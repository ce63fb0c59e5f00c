package dev.headroom.catalog.hf;

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
import java.util.Objects;

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
        b.kvHeads = c.integerOr("num_key_value_heads", b.heads, "one KV head per attention head");
        b.headDim = c.integerOr("head_dim", b.heads > 0 ? b.hidden / b.heads : 0,
                "hidden_size / num_attention_heads");
        return b;
    }

    /** The standard keys but the KV heads and head size, which MLA and DeepSeek-V4 set their own way. */
    static Builder sizes(HfConfig c, boolean tiedByDefault) {
        Builder b = new Builder();
        b.hidden = c.integer("hidden_size");
        b.heads = c.integer("num_attention_heads");
        b.layers = c.integer("num_hidden_layers");
        b.vocab = c.integer("vocab_size");
        b.context = c.integer("max_position_embeddings");
        b.tied = c.flag("tie_word_embeddings", tiedByDefault);
        return b;
    }

    ModelArchitecture build() {
        return new ModelArchitecture(layers, hidden, heads, kvHeads, headDim, ffnSize, ffnKind, vocab, tied, context,
                PositionEmbedding.ROPE, 0, norm, normsPerLayer, attentionBias, outputProjectionBias, mlpBias, pattern,
                moe, mla, recurrent, sparseAttention, qkNorm, attentionSinks, attentionOutputGate, mtpLayers,
                hyperConnections, visionParameters, queryLoraRank, outputLora, perLayerEmbedding);
    }

    /** One group per layer, merged into runs of equal neighbours; a uniform model keeps a one-group pattern. */
    static List<LayerGroup> runs(List<LayerGroup> perLayer) {
        List<LayerGroup> out = new ArrayList<>();
        for (LayerGroup g : perLayer) {
            if (!out.isEmpty() && sameKind(out.get(out.size() - 1), g)) {
                LayerGroup last = out.remove(out.size() - 1);
                out.add(withCount(last, last.count() + g.count()));
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

    static Integer positive(Integer value) {
        return value == null || value <= 0 ? null : value;
    }

    @Override
    public String toString() {
        return Objects.toString(build());
    }
}
