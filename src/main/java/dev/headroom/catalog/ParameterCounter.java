package dev.headroom.catalog;

import dev.headroom.catalog.ModelArchitecture.Mla;
import dev.headroom.catalog.ModelArchitecture.Moe;
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
 * indexer (wq_b from the query latent, wk, a LayerNorm on its key, weights_proj).
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

        long attention = 0;
        long denseFfn = 0;
        long expertFfn = 0;
        long sharedFfn = 0;
        long activeExpertFfn = 0;
        long norms = 0;
        List<LayerPlan.Layer> layers = LayerPlan.of(a);
        for (LayerPlan.Layer layer : layers) {
            attention += mixer(a, layer);
            Ffn ffn = ffn(a, layer);
            denseFfn += ffn.dense;
            expertFfn += ffn.experts;
            sharedFfn += ffn.shared;
            activeExpertFfn += ffn.activeExperts;
            norms += layerNorms(a, layer);
        }
        norms += a.norm().vectors() * hidden; // the final norm
        long mtp = orZero(a.mtpLayers()) * mtpModule(a, layers.get(layers.size() - 1));
        long vision = a.visionParameters() == null ? 0 : a.visionParameters();
        return new Count(embedding, attention, denseFfn, expertFfn, sharedFfn, norms, activeExpertFfn, vision, mtp);
    }

    /** Parameters of one layer's token mixer. */
    public static long mixer(ModelArchitecture a, LayerPlan.Layer layer) {
        return switch (layer.attention()) {
            case FULL, SLIDING, CHUNKED -> attention(a, layer) + (layer.indexed() ? indexer(a) : 0);
            case LINEAR -> gatedDeltaNet(a.hiddenSize(), a.recurrent());
            case MAMBA -> mamba2(a.hiddenSize(), a.recurrent());
            case NONE -> 0;
        };
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
        long qProjection = hidden * qWidth * (Boolean.TRUE.equals(a.attentionOutputGate()) ? 2 : 1);
        long weights = qProjection + layer.kvFactor() * hidden * kvWidth + qWidth * hidden;
        long biases = (Boolean.TRUE.equals(a.attentionBias()) ? qWidth + layer.kvFactor() * kvWidth : 0)
                + (Boolean.TRUE.equals(a.outputProjectionBias()) ? hidden : 0);
        long qkNorm = a.qkNorm() == QkNorm.PER_HEAD ? 2 * headDim
                : a.qkNorm() == QkNorm.WHOLE ? qWidth + kvWidth : 0;
        long sinks = Boolean.TRUE.equals(a.attentionSinks()) ? heads : 0;
        return weights + biases + qkNorm + sinks;
    }

    /** The DSA indexer: queries from the query latent (or the hidden state), one key, a LayerNorm, head weights. */
    private static long indexer(ModelArchitecture a) {
        SparseAttention s = a.sparseAttention();
        if (s == null) {
            return 0;
        }
        long hidden = a.hiddenSize();
        long qIn = a.mla() != null && orZero(a.mla().qLoraRank()) > 0 ? a.mla().qLoraRank() : hidden;
        long width = (long) s.indexHeads() * s.indexHeadDim();
        return qIn * width + hidden * s.indexHeadDim() + 2L * s.indexHeadDim() + hidden * s.indexHeads();
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

    private record Ffn(long dense, long experts, long shared, long activeExperts) {
    }

    private static Ffn ffn(ModelArchitecture a, LayerPlan.Layer layer) {
        return switch (layer.ffn()) {
            case DENSE -> new Ffn(ffnBlock(a, a.ffnSize()), 0, 0, 0);
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
