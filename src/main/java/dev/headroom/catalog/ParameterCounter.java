package dev.headroom.catalog;

import dev.headroom.catalog.ModelArchitecture.Mla;
import dev.headroom.catalog.ModelArchitecture.Moe;

/**
 * Counts parameters from the architecture, component by component, so the sizing engine can place each part
 * (embeddings stay on the first/last pipeline stage, experts split under expert parallelism) and so the
 * catalog can check every entry against its published count.
 */
public final class ParameterCounter {

    private ParameterCounter() {
    }

    /**
     * @param embedding   token embedding, untied output head and learned positions
     * @param attention   all layers' attention projections (and their biases)
     * @param denseFfn    FFN parameters of dense layers
     * @param expertFfn   routed experts of all MoE layers (all experts, not only the active ones)
     * @param sharedFfn   shared experts and routers of all MoE layers: used by every token
     * @param norms       all normalisation weights (and biases)
     * @param activeExpertFfn routed-expert parameters one token touches
     */
    public record Count(long embedding, long attention, long denseFfn, long expertFfn, long sharedFfn,
                        long norms, long activeExpertFfn) {

        public long total() {
            return embedding + attention + denseFfn + expertFfn + sharedFfn + norms;
        }

        /** Parameters one token uses: everything but the routed experts it is not sent to. */
        public long active() {
            return total() - expertFfn + activeExpertFfn;
        }
    }

    public static Count count(ModelArchitecture a) {
        long hidden = a.hiddenSize();
        int layers = a.layers();

        long embedding = (long) a.vocabSize() * hidden;
        if (!Boolean.TRUE.equals(a.tiedEmbeddings())) {
            embedding += (long) a.vocabSize() * hidden;
        }
        embedding += (long) orZero(a.learnedPositions()) * hidden;

        long attention = layers * attentionPerLayer(a);

        Moe moe = a.moe();
        int denseLayers = moe == null ? layers : orZero(moe.denseLayers());
        int moeLayers = layers - denseLayers;
        long denseFfn = denseLayers * ffn(a, a.ffnSize());
        long expertFfn = 0;
        long sharedFfn = 0;
        long activeExpertFfn = 0;
        if (moe != null) {
            long oneExpert = ffn(a, moe.expertFfnSize());
            expertFfn = (long) moeLayers * moe.experts() * oneExpert;
            activeExpertFfn = (long) moeLayers * moe.activeExperts() * oneExpert;
            long router = hidden * moe.experts();
            sharedFfn = (long) moeLayers * (orZero(moe.sharedExperts()) * oneExpert + router);
        }

        long normVectors = (long) layers * a.normsPerLayer() + 1; // + the final norm
        long norms = normVectors * a.norm().vectors() * hidden;

        return new Count(embedding, attention, denseFfn, expertFfn, sharedFfn, norms, activeExpertFfn);
    }

    private static long attentionPerLayer(ModelArchitecture a) {
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
        long qWidth = heads * a.headDim();
        long kvWidth = (long) a.kvHeads() * a.headDim();
        long weights = hidden * qWidth + 2 * hidden * kvWidth + qWidth * hidden;
        long biases = (Boolean.TRUE.equals(a.attentionBias()) ? qWidth + 2 * kvWidth : 0)
                + (Boolean.TRUE.equals(a.outputProjectionBias()) ? hidden : 0);
        return weights + biases;
    }

    /** One FFN block of the given width: 2 or 3 matrices, plus biases where the model has them. */
    private static long ffn(ModelArchitecture a, long width) {
        long hidden = a.hiddenSize();
        int matrices = a.ffnKind().matrices();
        long weights = matrices * hidden * width;
        long biases = Boolean.TRUE.equals(a.mlpBias()) ? (matrices - 1) * width + hidden : 0;
        return weights + biases;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
