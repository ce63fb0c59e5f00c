package dev.headroom.catalog;

import dev.headroom.catalog.ModelArchitecture.Mla;
import dev.headroom.catalog.ModelArchitecture.Moe;
import dev.headroom.catalog.ModelArchitecture.OutputLora;
import dev.headroom.catalog.ModelArchitecture.PerLayerEmbedding;
import dev.headroom.catalog.ModelArchitecture.QkNorm;
import dev.headroom.catalog.ModelArchitecture.Recurrent;
import dev.headroom.catalog.ModelArchitecture.SparseAttention;
import java.util.List;

/**
 * Counts parameters from the architecture, layer by layer ({@link LayerPlan}), so the sizing engine can place
 * each part (embeddings and the vision tower stay on the first pipeline stage, the head on the last, experts split
 * under expert parallelism) and so the catalog can check every entry against its published count.
 *
 * <p>Tensor shapes follow the reference implementations: transformers' modeling files for attention with
 * per-head or whole-width q/k norms, sinks (gpt-oss) and output gates (Qwen3-Next); Gated DeltaNet as in
 * transformers' Qwen3-Next (in_proj_qkvz, in_proj_ba, a depthwise conv1d without bias, A_log, dt_bias, a
 * gated RMSNorm over the value head, out_proj); Mamba-2 as in Nemotron-H (in_proj to z, x, B, C and dt,
 * conv1d with bias, A_log, D, dt_bias, a gated RMSNorm over the inner width, out_proj); the DeepSeek-V3.2
 * indexer (wq_b from the query latent, wk, a LayerNorm on its key, weights_proj); DeepSeek-V4's KV compressors
 * (kv_proj, gate_proj, a position bias of ratio rows, kv_norm; twice as wide where windows overlap), its indexer
 * whose keys come from a compressor of the same kind, its low-rank query, grouped low-rank output projection and
 * hyper-connections; Gemma 4's per-layer embeddings and KV-shared layers.
 */
public final class ParameterCounter {

    private ParameterCounter() {
    }

    /**
     * @param embedding       token embedding, untied output head and learned positions
     * @param attention       all layers' token mixers: attention, linear attention, Mamba, indexers
     * @param denseFfn        FFN parameters of dense layers
     * @param expertFfn       routed experts of all MoE layers (all experts, not only the active ones)
     * @param sharedFfn       shared experts and routers of all MoE layers: used by every token
     * @param norms           all normalisation weights (and biases)
     * @param activeExpertFfn routed-expert parameters one token touches
     * @param vision          a vision tower and projector in the same checkpoint (counted in the total)
     * @param mtp             multi-token-prediction modules: in the checkpoint, not in the total (model cards
     *                        leave them out), loaded only for MTP speculative decoding
     */
    public record Count(long embedding, long attention, long denseFfn, long expertFfn, long sharedFfn,
                        long norms, long activeExpertFfn, long vision, long mtp) {

        /** The language model alone: what most model cards publish. */
        public long text() {
            return embedding + attention + denseFfn + expertFfn + sharedFfn + norms;
        }

        /** Everything the checkpoint holds for serving without MTP: the language model and any vision tower. */
        public long total() {
            return text() + vision;
        }

        /** Parameters one text token uses: the language model but the routed experts it is not sent to. */
        public long active() {
            return text() - expertFfn + activeExpertFfn;
        }
    }

    public static Count count(ModelArchitecture a) {
        long hidden = a.hiddenSize();
        long embedding = (long) a.vocabSize() * hidden;
        if (!Boolean.TRUE.equals(a.tiedEmbeddings())) {
            embedding += (long) a.vocabSize() * hidden;
        }
        embedding += (long) orZero(a.learnedPositions()) * hidden;
        embedding += perLayerEmbeddingTables(a);

        long attention = 0;
        long denseFfn = 0;
        long expertFfn = 0;
        long sharedFfn = 0;
        long activeExpertFfn = 0;
        long norms = 0;
        List<LayerPlan.Layer> layers = LayerPlan.of(a);
        for (LayerPlan.Layer layer : layers) {
            LayerCount count = layer(a, layer);
            attention += count.mixer();
            denseFfn += count.denseFfn();
            expertFfn += count.experts();
            sharedFfn += count.shared();
            activeExpertFfn += count.activeExperts();
            norms += count.norms();
        }
        norms += a.norm().vectors() * hidden; // the final norm
        attention += hyperConnectionHead(a);
        long mtp = orZero(a.mtpLayers()) * mtpModule(a, layers.get(layers.size() - 1));
        long vision = a.visionParameters() == null ? 0 : a.visionParameters();
        return new Count(embedding, attention, denseFfn, expertFfn, sharedFfn, norms, activeExpertFfn, vision, mtp);
    }

    /** Parameters of one layer's token mixer. */
    public static long mixer(ModelArchitecture a, LayerPlan.Layer layer) {
        return switch (layer.attention()) {
            case FULL, SLIDING, CHUNKED -> attention(a, layer) + compressor(a, layer, layer.headDim())
                    + (layer.indexer() ? indexer(a, layer) : 0);
            case LINEAR -> gatedDeltaNet(a.hiddenSize(), a.recurrent());
            case MAMBA -> mamba2(a.hiddenSize(), a.recurrent());
            case NONE -> 0;
        } + hyperConnectionSites(a) + perLayerInput(a);
    }

    private static long attention(ModelArchitecture a, LayerPlan.Layer layer) {
        long hidden = a.hiddenSize();
        long heads = a.attentionHeads();
        Mla mla = a.mla();
        if (mla != null) {
            long qkDim = mla.qkNopeHeadDim() + mla.qkRopeHeadDim();
            long q = orZero(mla.qLoraRank()) > 0
                    ? hidden * mla.qLoraRank() + mla.qLoraRank() + (long) mla.qLoraRank() * heads * qkDim
                    : hidden * heads * qkDim;
            long kv = hidden * (mla.kvLoraRank() + mla.qkRopeHeadDim()) + mla.kvLoraRank()
                    + (long) mla.kvLoraRank() * heads * (mla.qkNopeHeadDim() + mla.vHeadDim());
            long out = heads * mla.vHeadDim() * hidden;
            return q + kv + out;
        }
        long headDim = layer.headDim();
        long qWidth = heads * headDim;
        long kvWidth = (long) layer.kvHeads() * headDim;
        long qProjection = qWidth * (Boolean.TRUE.equals(a.attentionOutputGate()) ? 2 : 1);
        long query = orZero(a.queryLoraRank()) > 0
                ? hidden * a.queryLoraRank() + a.queryLoraRank() + (long) a.queryLoraRank() * qProjection
                : hidden * qProjection;
        OutputLora lora = a.outputLora();
        long output = lora != null ? (long) lora.rank() * qWidth + hidden * lora.groups() * lora.rank()
                : qWidth * hidden;
        long weights = query + layer.kvFactor() * hidden * kvWidth + output;
        long biases = (Boolean.TRUE.equals(a.attentionBias()) ? qWidth + layer.kvFactor() * kvWidth : 0)
                + (Boolean.TRUE.equals(a.outputProjectionBias()) ? hidden : 0);
        boolean ownKeys = layer.kvFactor() > 0; // a KV-shared layer has no k_norm either
        long qkNorm = switch (a.qkNorm() == null ? QkNorm.UNWEIGHTED : a.qkNorm()) {
            case PER_HEAD -> headDim + (ownKeys ? headDim : 0);
            case WHOLE -> qWidth + (ownKeys ? kvWidth : 0);
            case KEY -> ownKeys ? headDim : 0;
            case UNWEIGHTED -> 0;
        };
        long sinks = Boolean.TRUE.equals(a.attentionSinks()) ? heads : 0;
        return weights + biases + qkNorm + sinks;
    }

    /**
     * The KV compressor of a layer that caches one entry per {@code compression} tokens: kv_proj and gate_proj
     * from the hidden state, a position bias of one row per pooled token, an RMSNorm of the pooled entry. Overlapping
     * windows double the projected width.
     */
    private static long compressor(ModelArchitecture a, LayerPlan.Layer layer, long width) {
        if (layer.compression() <= 1) {
            return 0;
        }
        long projected = (layer.overlappingCompression() ? 2 : 1) * width;
        return 2 * a.hiddenSize() * projected + (long) layer.compression() * projected + width;
    }

    /**
     * The DSA indexer: queries from the query latent (or the hidden state) and head weights; its one key comes from
     * wk and a LayerNorm (DeepSeek-V3.2, GLM-5) or, where the layer compresses its KV, from a compressor of the same
     * kind (DeepSeek-V4).
     */
    private static long indexer(ModelArchitecture a, LayerPlan.Layer layer) {
        SparseAttention s = a.sparseAttention();
        long hidden = a.hiddenSize();
        long qIn = a.mla() != null && orZero(a.mla().qLoraRank()) > 0 ? a.mla().qLoraRank()
                : orZero(a.queryLoraRank()) > 0 ? a.queryLoraRank() : hidden;
        long width = (long) s.indexHeads() * s.indexHeadDim();
        long key = layer.compression() > 1 ? compressor(a, layer, s.indexHeadDim())
                : hidden * s.indexHeadDim() + 2L * s.indexHeadDim();
        return qIn * width + key + hidden * s.indexHeads();
    }

    /** Hyper-connection weights of one layer: one mixing site before the mixer, one before the FFN. */
    private static long hyperConnectionSites(ModelArchitecture a) {
        long n = orZero(a.hyperConnections());
        if (n <= 1) {
            return 0;
        }
        return 2 * ((2 + n) * n * n * a.hiddenSize() + (2 + n) * n + 3);
    }

    /** The hyper-connection head that folds the residual streams back into one before the final norm. */
    private static long hyperConnectionHead(ModelArchitecture a) {
        long n = orZero(a.hyperConnections());
        return n <= 1 ? 0 : n * n * a.hiddenSize() + n + 1;
    }

    /** The per-layer embedding table, the hidden state's projection to it and that projection's norm. */
    private static long perLayerEmbeddingTables(ModelArchitecture a) {
        PerLayerEmbedding p = a.perLayerEmbedding();
        if (p == null || orZero(p.width()) == 0) {
            return 0;
        }
        long allLayers = (long) a.layers() * p.width();
        return (long) p.vocab() * allLayers + allLayers * a.hiddenSize() + p.width();
    }

    /** Per layer: the gate that takes the per-layer input in, its projection back and the norm after it. */
    private static long perLayerInput(ModelArchitecture a) {
        PerLayerEmbedding p = a.perLayerEmbedding();
        if (p == null || orZero(p.width()) == 0) {
            return 0;
        }
        return 2L * a.hiddenSize() * p.width() + a.hiddenSize();
    }

    static long gatedDeltaNet(long hidden, Recurrent r) {
        long qk = 2L * r.keyHeads() * r.keyHeadDim();
        long v = (long) r.valueHeads() * r.valueHeadDim();
        long inProjection = hidden * (qk + 2 * v + 2L * r.valueHeads()); // q, k, v, z and the b, a gates
        long conv = r.convChannels() * r.convKernel();
        return inProjection + conv + 2L * r.valueHeads() + r.valueHeadDim() + v * hidden;
    }

    static long mamba2(long hidden, Recurrent r) {
        long inner = (long) r.valueHeads() * r.valueHeadDim();
        long bc = 2L * r.keyHeads() * r.keyHeadDim();
        long inProjection = hidden * (2 * inner + bc + r.valueHeads()); // z, x, B, C, dt
        long conv = r.convChannels() * r.convKernel() + r.convChannels();
        return inProjection + conv + 3L * r.valueHeads() + inner + inner * hidden;
    }

    /**
     * Parameters of one layer by part, as the memory model places them: the token mixer, a dense FFN, routed
     * experts (all, and those one token uses), shared experts with the router, and norms.
     */
    public record LayerCount(long mixer, long denseFfn, long experts, long activeExperts, long shared, long norms) {
    }

    public static LayerCount layer(ModelArchitecture a, LayerPlan.Layer layer) {
        Ffn ffn = ffn(a, layer);
        return new LayerCount(mixer(a, layer), ffn.dense, ffn.experts, ffn.activeExperts, ffn.shared,
                layerNorms(a, layer));
    }

    private record Ffn(long dense, long experts, long shared, long activeExperts) {
    }

    private static Ffn ffn(ModelArchitecture a, LayerPlan.Layer layer) {
        return switch (layer.ffn()) {
            case DENSE -> new Ffn(ffnBlock(a, layer.ffnSize()), 0, 0, 0);
            case MOE -> {
                Moe moe = a.moe();
                long oneExpert = ffnBlock(a, moe.expertFfnSize());
                long router = (long) a.hiddenSize() * moe.experts();
                yield new Ffn(0, moe.experts() * oneExpert, moe.shared() * ffnBlock(a, moe.sharedWidth()) + router,
                        moe.activeExperts() * oneExpert);
            }
            case NONE -> new Ffn(0, 0, 0, 0);
        };
    }

    /** One FFN block of the given width: 2 or 3 matrices, plus biases where the model has them. */
    public static long ffnBlock(ModelArchitecture a, long width) {
        long hidden = a.hiddenSize();
        int matrices = a.ffnKind().matrices();
        long weights = matrices * hidden * width;
        long biases = Boolean.TRUE.equals(a.mlpBias()) ? (matrices - 1) * width + hidden : 0;
        return weights + biases;
    }

    /** Norms of one layer (Nemotron-H blocks hold one mixer or one FFN, so they have one norm each). */
    private static long layerNorms(ModelArchitecture a, LayerPlan.Layer layer) {
        return (long) a.normsPerLayer() * a.norm().vectors() * a.hiddenSize();
    }

    /**
     * One DeepSeek-style MTP module: a layer like the last one, norms of the embedding and the hidden state, and
     * the projection of both back to the hidden size; it shares the embedding and the output head.
     */
    private static long mtpModule(ModelArchitecture a, LayerPlan.Layer last) {
        long hidden = a.hiddenSize();
        Ffn ffn = ffn(a, last);
        return mixer(a, last) + ffn.dense + ffn.experts + ffn.shared + layerNorms(a, last)
                + 2 * hidden * hidden + 3 * a.norm().vectors() * hidden;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
