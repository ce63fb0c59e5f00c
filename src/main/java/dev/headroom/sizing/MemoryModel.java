package dev.headroom.sizing;

import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.ParameterCounter;

/**
 * Per-GPU memory of one pipeline stage, as a function of batch, sequence lengths and the tensor/pipeline split.
 * Everything that does not depend on those is resolved once in the constructor, so the fit searches can call
 * {@link #stageTotal} many times per estimate (the engine targets a million estimates a second).
 *
 * <p>Formulas and their sources are in shared/reference/sizing.md §3: weights §3.2, KV cache §3.3, training
 * activations from Korthikanti et al. 2022 Table 2 generalised to grouped-query attention and gated FFNs
 * (term by term: norms' inputs, the inputs of the QKV and FFN matmuls and the dropout masks are replicated
 * across tensor-parallel ranks unless sequence parallelism shards them; Q, K, V, the attention output, the
 * FFN's inner tensors and the attention scores are sharded), inference activations as the peak of one layer
 * during prefill (buffers are reused layer to layer), gradients and optimizer states §3.5 (ZeRO 1/2/3).
 */
final class MemoryModel {
    /** Memory of one stage, in bytes. Components that do not apply are 0 here; the engine maps them to null. */
    record Breakdown(double weights, double kvCache, double activations, double gradients, double optimizer,
                     double overhead) {
        double total() {
            return weights + kvCache + activations + gradients + optimizer + overhead;
        }
    }

    final boolean training;
    final boolean hasArchitecture;
    final int layers;
    final double hidden;
    final double heads;
    final double kvHeads;
    final double headDim;
    final double vocab;
    final boolean tied;
    final double positionParams;
    final int denseLayers;
    final double attentionPerLayer;
    final double normsPerLayerParams;
    final double denseFfnPerLayer;
    final double expertsPerMoeLayer;
    final double sharedPerMoeLayer;
    final double expertFfnWidth;
    final double experts;
    final double activeExperts;
    final double sharedExperts;
    final double denseFfnWidth;
    final double ffnMatrices;
    final int normsPerLayer;
    final boolean mla;
    final double mlaLatent;
    final double window;
    final double windowLayerShare;
    final double largestLayerParams;
    final double totalParams;

    final double layerBits;
    final double embeddingBits;
    final double outputBits;
    final double normBytes;
    final double kvBytes;
    final double activationBytes;
    final boolean flashAttention;
    final boolean dropout;
    final boolean sequenceParallel;
    final Recompute recompute;
    final int virtualStages;
    final int expertParallel;
    final int dataParallel;
    final int zeroStage;
    final int gradientAccumulation;

    final FinetuneMethod method;
    final double loraAttentionPerLayer;
    final double loraDenseFfnPerLayer;
    final double loraSharedPerMoeLayer;
    final double loraExpertsPerMoeLayer;
    final double gradientBytes;
    final double optimizerBytes;
    final boolean offloadOptimizer;
    final double dequantWorkspaceParams;

    final double cudaContext;
    final double workspace;
    final double multiGpuWorkspace;
    final double cudaGraphs;
    final double fragmentation;
    final int pagedBlock;
    final double sharedPrefix;
    final int prefillChunk;

    MemoryModel(Scenario scenario, ResolvedModel model, WeightFormat weights, RuntimeOverheads overheads) {
        training = scenario.workload().isTraining();
        hasArchitecture = model.hasArchitecture();
        Scenario.Parallelism parallelism = scenario.parallelism();
        Scenario.Training train = scenario.training();
        Scenario.Precision precision = scenario.precision();
        ModelArchitecture a = model.architecture();
        ParameterCounter.Count count = model.count();
        totalParams = model.parameters();

        if (a != null) {
            layers = a.layers();
            hidden = a.hiddenSize();
            heads = a.attentionHeads();
            kvHeads = a.kvHeads();
            headDim = a.headDim();
            vocab = a.vocabSize();
            tied = Boolean.TRUE.equals(a.tiedEmbeddings());
            positionParams = (a.learnedPositions() == null ? 0 : a.learnedPositions()) * hidden;
            ModelArchitecture.Moe moe = a.moe();
            denseLayers = moe == null ? layers : (moe.denseLayers() == null ? 0 : moe.denseLayers());
            int moeLayers = layers - denseLayers;
            attentionPerLayer = (double) count.attention() / layers;
            normsPerLayerParams = (double) (count.norms()) / layers; // final norm folded in: one vector, negligible
            denseFfnPerLayer = denseLayers == 0 ? 0 : (double) count.denseFfn() / denseLayers;
            expertsPerMoeLayer = moeLayers == 0 ? 0 : (double) count.expertFfn() / moeLayers;
            sharedPerMoeLayer = moeLayers == 0 ? 0 : (double) count.sharedFfn() / moeLayers;
            expertFfnWidth = moe == null ? 0 : moe.expertFfnSize();
            experts = moe == null ? 0 : moe.experts();
            activeExperts = moe == null ? 0 : moe.activeExperts();
            sharedExperts = moe == null || moe.sharedExperts() == null ? 0 : moe.sharedExperts();
            denseFfnWidth = a.ffnSize();
            ffnMatrices = a.ffnKind() == ModelArchitecture.FfnKind.GATED ? 3 : 2;
            normsPerLayer = a.normsPerLayer();
            mla = a.mla() != null;
            mlaLatent = mla ? a.mla().kvLoraRank() + a.mla().qkRopeHeadDim() : 0;
            boolean windowed = scenario.kvCache().slidingWindow() && a.slidingWindow() != null;
            window = windowed ? a.slidingWindow() : Double.POSITIVE_INFINITY;
            windowLayerShare = !windowed ? 0
                    : a.slidingWindowLayers() == null ? 1.0 : (double) a.slidingWindowLayers() / layers;
            largestLayerParams = attentionPerLayer + Math.max(denseFfnPerLayer, expertsPerMoeLayer + sharedPerMoeLayer);
        } else {
            layers = 1;
            hidden = heads = kvHeads = headDim = vocab = positionParams = 0;
            tied = false;
            denseLayers = 1;
            attentionPerLayer = normsPerLayerParams = expertsPerMoeLayer = sharedPerMoeLayer = 0;
            denseFfnPerLayer = totalParams; // one "layer" holding everything
            expertFfnWidth = experts = activeExperts = sharedExperts = denseFfnWidth = 0;
            ffnMatrices = 3;
            normsPerLayer = 0;
            mla = false;
            mlaLatent = 0;
            window = Double.POSITIVE_INFINITY;
            windowLayerShare = 0;
            largestLayerParams = model.largestLayerParameters(); // 0 when unknown; the engine warns
        }

        int groupSize = precision.groupSize();
        double base = weights.baseBits(groupSize);
        double upgradedShare = a == null ? 0 : weights.upgradedLayerShare() * upgradableShare(count, a);
        layerBits = base * (1 - upgradedShare) + weights.upgradedBits() * upgradedShare;
        embeddingBits = weights.embeddingBits();
        outputBits = weights.outputBits();
        normBytes = training ? Math.max(2, weights.baseBits(groupSize) / 8) : 2;
        kvBytes = precision.kvCache().bytes();
        activationBytes = precision.activations().bytes();
        flashAttention = parallelism.flashAttention();
        dropout = parallelism.dropout();
        sequenceParallel = parallelism.sequenceParallel();
        recompute = train.recompute();
        virtualStages = parallelism.virtualStages();
        expertParallel = parallelism.expertParallel();
        dataParallel = parallelism.data();
        zeroStage = training ? parallelism.zeroStage() : 0;
        gradientAccumulation = train.gradientAccumulation();

        method = scenario.workload() == Workload.FINETUNE ? train.method() : FinetuneMethod.FULL;
        boolean lora = a != null && method != FinetuneMethod.FULL;
        loraAttentionPerLayer = lora ? loraAttention(a, train) : 0;
        loraDenseFfnPerLayer = lora ? loraFfn(a, train, a.ffnSize()) : 0;
        double loraExpert = lora && a.moe() != null ? loraFfn(a, train, a.moe().expertFfnSize()) : 0;
        loraSharedPerMoeLayer = lora && a.moe() != null && a.moe().sharedExperts() != null
                ? a.moe().sharedExperts() * loraExpert : 0;
        loraExpertsPerMoeLayer = lora && a.moe() != null ? a.moe().experts() * loraExpert : 0;
        gradientBytes = train.gradientPrecision().bytes();
        boolean fp32Weights = method == FinetuneMethod.FULL ? weights == WeightFormat.FP32
                : precision.activations() == NumberFormat.FP32;
        optimizerBytes = train.optimizer().stateBytesPerParameter() + (train.masterWeights() && !fp32Weights ? 4 : 0);
        offloadOptimizer = parallelism.offloadOptimizer();
        dequantWorkspaceParams = method == FinetuneMethod.QLORA && a != null
                ? hidden * Math.max(denseFfnWidth, expertFfnWidth) : 0;

        cudaContext = overheads.cudaContextBytes();
        workspace = overheads.workspaceBytes();
        multiGpuWorkspace = overheads.multiGpuWorkspaceBytes();
        cudaGraphs = training ? 0 : overheads.cudaGraphBytes();
        fragmentation = overheads.fragmentation();
        Integer block = scenario.kvCache().pagedBlockTokens();
        pagedBlock = block != null ? block : overheads.pagedBlockTokens();
        sharedPrefix = scenario.kvCache().sharedPrefixTokens();
        prefillChunk = overheads.prefillChunkTokens();
    }

    /** Share of layer weights in attention V and FFN down projections: the tensors GGUF "_M" mixes upgrade. */
    private static double upgradableShare(ParameterCounter.Count count, ModelArchitecture a) {
        double layerLinear = count.attention() + count.denseFfn() + count.expertFfn() + count.sharedFfn();
        double v = (double) a.layers() * a.hiddenSize() * a.kvHeads() * a.headDim();
        double matrices = a.ffnKind() == ModelArchitecture.FfnKind.GATED ? 3 : 2;
        double down = (count.denseFfn() + count.expertFfn() + count.sharedFfn()) / matrices;
        return a.mla() != null ? down / layerLinear : Math.min(1, (v + down) / layerLinear);
    }

    /**
     * LoRA adds r x (d_in + d_out) per adapted matrix (Hu et al. 2021). With MLA (DeepSeek) the projections are
     * low-rank themselves: q = q_a (h to qLoraRank) then q_b, k = kv_a (h to latent + rope), v = kv_b (latent to
     * heads x (nope + v)).
     */
    private static double loraAttention(ModelArchitecture a, Scenario.Training train) {
        double r = train.loraRank();
        double h = a.hiddenSize();
        double heads = a.attentionHeads();
        double total = 0;
        for (LoraTarget target : train.loraTargets()) {
            if (a.mla() != null) {
                ModelArchitecture.Mla m = a.mla();
                double qRank = m.qLoraRank() == null ? 0 : m.qLoraRank();
                double qk = m.qkNopeHeadDim() + m.qkRopeHeadDim();
                total += switch (target) {
                    case Q -> qRank > 0 ? r * (h + qRank) + r * (qRank + heads * qk) : r * (h + heads * qk);
                    case K -> r * (h + m.kvLoraRank() + m.qkRopeHeadDim());
                    case V -> r * (m.kvLoraRank() + heads * (m.qkNopeHeadDim() + m.vHeadDim()));
                    case O -> r * (heads * m.vHeadDim() + h);
                    default -> 0;
                };
            } else {
                double q = heads * a.headDim();
                double kv = (double) a.kvHeads() * a.headDim();
                total += switch (target) {
                    case Q -> r * (h + q);
                    case K, V -> r * (h + kv);
                    case O -> r * (q + h);
                    default -> 0;
                };
            }
        }
        return total;
    }

    /** Adapters on one FFN (a dense FFN or one expert) of the given width: gate only where the FFN is gated. */
    private static double loraFfn(ModelArchitecture a, Scenario.Training train, double width) {
        double r = train.loraRank();
        double h = a.hiddenSize();
        double total = 0;
        for (LoraTarget target : train.loraTargets()) {
            total += switch (target) {
                case GATE -> a.ffnKind() == ModelArchitecture.FfnKind.GATED ? r * (h + width) : 0;
                case UP -> r * (h + width);
                case DOWN -> r * (width + h);
                default -> 0;
            };
        }
        return total;
    }

    /** Layers held by pipeline stage {@code stage} of {@code p}: the first stages take the remainder. */
    int layersOf(int stage, int p) {
        return layers / p + (stage < layers % p ? 1 : 0);
    }

    private int firstLayerOf(int stage, int p) {
        int base = layers / p;
        int extra = layers % p;
        return stage * base + Math.min(stage, extra);
    }

    /** The GPUs an expert is split over: expert parallelism when set, else tensor parallelism slices each expert. */
    private double expertShards(int t) {
        return expertParallel > 1 ? expertParallel : t;
    }

    /** Copies of each expert shard across the data-parallel group: what ZeRO can shard expert states over. */
    private double expertCopies(int t) {
        return expertParallel > 1 ? (double) t * dataParallel / expertParallel : dataParallel;
    }

    /**
     * Parameters (not bytes) of one stage on one GPU, before ZeRO-3.
     *
     * @param linear    attention, dense FFNs, shared experts and routers: split by tensor parallelism
     * @param experts   routed experts: split by expert (or tensor) parallelism
     */
    record StageParams(double linear, double experts, double norms, double embedding, double output, int layers,
                       int denseLayers, int moeLayers) {
        double total() {
            return linear + experts + norms + embedding + output;
        }
    }

    StageParams stageParams(int stage, int p, int t) {
        int n = layersOf(stage, p);
        int dense = denseLayersOf(stage, p);
        return new StageParams(linearParams(n, dense, t, p), expertParams(n - dense, t), normParams(n),
                embeddingParams(stage, t), outputParams(stage, p, t), n, dense, n - dense);
    }

    private int denseLayersOf(int stage, int p) {
        if (!hasArchitecture) {
            return 1;
        }
        int start = firstLayerOf(stage, p);
        return Math.max(0, Math.min(denseLayers, start + layersOf(stage, p)) - start);
    }

    /** Attention, dense FFNs, shared experts and routers of {@code n} layers; a bare parameter count splits evenly. */
    private double linearParams(int n, int dense, int t, int p) {
        if (!hasArchitecture) {
            return totalParams / ((double) t * p);
        }
        return (attentionPerLayer * n + denseFfnPerLayer * dense + sharedPerMoeLayer * (n - dense)) / t;
    }

    private double expertParams(int moeLayers, int t) {
        return expertsPerMoeLayer * moeLayers / expertShards(t);
    }

    private double normParams(int layers) {
        return normsPerLayerParams * layers;
    }

    private double embeddingParams(int stage, int t) {
        return stage == 0 ? vocab * hidden / t + positionParams : 0;
    }

    private double outputParams(int stage, int p, int t) {
        return stage == p - 1 && (!tied || p > 1) ? vocab * hidden / t : 0;
    }

    /** Weight bytes of one stage on one GPU, before ZeRO-3 sharding. */
    double weightBytes(StageParams params) {
        return weightBytes(params.linear(), params.experts(), params.norms(), params.embedding(), params.output());
    }

    private double weightBytes(double linear, double experts, double norms, double embedding, double output) {
        return (linear + experts) * layerBits / 8 + norms * normBytes + embedding * embeddingBits / 8
                + output * outputBits / 8;
    }

    /** Bytes a forward pass reads: everything but the input embedding, of which a lookup touches a few rows. */
    double weightBytesRead(StageParams params) {
        double unread = tied ? 0 : params.embedding() * embeddingBits / 8;
        return weightBytes(params) - unread;
    }

    /** One unsharded layer on one tensor rank: what ZeRO-3 gathers before computing it. */
    private double largestLayerBytes(int t) {
        if (!hasArchitecture) {
            return largestLayerParams / t * layerBits / 8;
        }
        double layer = (attentionPerLayer + Math.max(denseFfnPerLayer, sharedPerMoeLayer)) / t
                + (experts > 0 ? expertsPerMoeLayer / expertShards(t) : 0);
        return layer * layerBits / 8;
    }

    Breakdown stage(int stage, int batch, int inputTokens, int outputTokens, int t, int p) {
        double[] parts = new double[6];
        evaluate(stage, batch, inputTokens, outputTokens, t, p, parts);
        return new Breakdown(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]);
    }

    /** The stage's total without building a breakdown: the fit searches call this many times per estimate. */
    double stageTotal(int stage, int batch, int inputTokens, int outputTokens, int t, int p) {
        return evaluate(stage, batch, inputTokens, outputTokens, t, p, null);
    }

    /**
     * Memory of one stage on one GPU. Writes weights, KV, activations, gradients, optimizer and overhead into
     * {@code parts} when it is not null, and returns their sum.
     */
    private double evaluate(int stage, int batch, int inputTokens, int outputTokens, int t, int p, double[] parts) {
        int n = layersOf(stage, p);
        int dense = denseLayersOf(stage, p);
        int moeLayers = n - dense;
        double linear = linearParams(n, dense, t, p);
        double experts = expertParams(moeLayers, t);
        double norms = normParams(n);
        double embedding = embeddingParams(stage, t);
        double output = outputParams(stage, p, t);
        double weights = weightBytes(linear, experts, norms, embedding, output);
        double kv = 0;
        double activations = 0;
        double gradients = 0;
        double optimizer = 0;
        if (training) {
            double trainableLinear;
            double trainableExperts;
            if (method == FinetuneMethod.FULL) {
                trainableLinear = linear + norms + embedding + output;
                trainableExperts = experts;
            } else {
                trainableLinear = (loraAttentionPerLayer * n + loraDenseFfnPerLayer * dense
                        + loraSharedPerMoeLayer * moeLayers) / t;
                trainableExperts = loraExpertsPerMoeLayer * moeLayers / expertShards(t);
                weights += (trainableLinear + trainableExperts) * activationBytes; // adapters in the compute dtype
            }
            // ZeRO shards gradients (stage 2+) and optimizer states (1+) over the GPUs holding the same shard.
            double expertCopies = expertCopies(t);
            double gradientLinear = zeroStage >= 2 ? dataParallel : 1;
            double gradientExperts = zeroStage >= 2 ? expertCopies : 1;
            double optimizerLinear = zeroStage >= 1 ? dataParallel : 1;
            double optimizerExperts = zeroStage >= 1 ? expertCopies : 1;
            gradients = (trainableLinear / gradientLinear + trainableExperts / gradientExperts) * gradientBytes;
            optimizer = offloadOptimizer ? 0
                    : (trainableLinear / optimizerLinear + trainableExperts / optimizerExperts) * optimizerBytes;
            if (zeroStage == 3 && method == FinetuneMethod.FULL && dataParallel > 1) {
                // Sharded weights plus the gathered copies of the layer being computed and the one prefetched for
                // the backward pass (llm-analysis, DeepSpeed's prefetch buffers); never more than unsharded.
                double expertBytes = experts * layerBits / 8;
                double sharded = (weights - expertBytes) / dataParallel + expertBytes / expertCopies
                        + 2 * largestLayerBytes(t); // gathered into buffers of their own, beside the shard
                weights = Math.min(weights, sharded);
            }
            if (hasArchitecture) {
                activations = trainingActivations(stage, p, t, batch, inputTokens, n, dense);
            }
        } else if (hasArchitecture) {
            kv = kvCache(n, batch, inputTokens, outputTokens, t);
            activations = inferenceActivations(stage, p, t, batch, inputTokens);
        }
        double gpusTalking = (double) t * p * (training ? dataParallel : 1);
        double fixed = cudaContext + (gpusTalking > 1 ? multiGpuWorkspace : workspace) + cudaGraphs;
        double overhead = fixed + fragmentation * (weights + kv + activations + gradients + optimizer);
        if (parts != null) {
            parts[0] = weights;
            parts[1] = kv;
            parts[2] = activations;
            parts[3] = gradients;
            parts[4] = optimizer;
            parts[5] = overhead;
        }
        return weights + kv + activations + gradients + optimizer + overhead;
    }

    /** The larger of the first and the last stage: the first holds embeddings and in-flight activations, the last the output head. */
    double peakTotal(int batch, int inputTokens, int outputTokens, int t, int p) {
        double first = stageTotal(0, batch, inputTokens, outputTokens, t, p);
        return p == 1 ? first : Math.max(first, stageTotal(p - 1, batch, inputTokens, outputTokens, t, p));
    }

    /** KV heads one GPU holds: heads split across tensor ranks, replicated when there are fewer heads than ranks. */
    double kvHeadsPerGpu(int t) {
        return kvHeads >= t ? kvHeads / t : 1;
    }

    /** KV bytes per token per layer on one GPU. MLA caches one latent per token, replicated across ranks (vLLM). */
    double kvPerTokenPerLayer(int t) {
        return mla ? mlaLatent * kvBytes : 2 * kvHeadsPerGpu(t) * headDim * kvBytes;
    }

    /** KV bytes per token of the whole model on one GPU (t = 1), without window caps: the published figure. */
    double kvBytesPerToken() {
        return kvPerTokenPerLayer(1) * layers;
    }

    /**
     * Tokens the cache stores for the batch when each sequence keeps {@code span} tokens of which the first
     * {@code shared} are a prefix common to all sequences (prefix caching shares whole blocks only).
     */
    double storedTokens(double span, double shared, int batch) {
        double perSequence = roundToBlock(span);
        if (shared <= 0) {
            return perSequence * batch;
        }
        double sharedBlocks = pagedBlock > 0 ? Math.floor(shared / pagedBlock) * pagedBlock : shared;
        return sharedBlocks + batch * (perSequence - sharedBlocks);
    }

    private double roundToBlock(double tokens) {
        return pagedBlock > 0 ? Math.ceil(tokens / pagedBlock) * pagedBlock : tokens;
    }

    /**
     * KV bytes of {@code stageLayers} layers on one GPU. A window layer keeps the last W tokens; of the shared
     * prompt prefix only the part still inside the window stays shared.
     */
    double kvCache(int stageLayers, int batch, int inputTokens, int outputTokens, int t) {
        double tokens = (double) inputTokens + outputTokens;
        double prefix = Math.min(sharedPrefix, inputTokens);
        double windowed = stageLayers * windowLayerShare;
        double full = stageLayers - windowed;
        double kv = full * storedTokens(tokens, prefix, batch);
        if (windowed > 0) {
            double span = Math.min(tokens, window);
            kv += windowed * storedTokens(span, Math.max(0, prefix - (tokens - span)), batch);
        }
        return kv * kvPerTokenPerLayer(t);
    }

    /** Attention span each query sees on average over the layers, after window caps (for s² terms). */
    double attendedTokens(double sequence) {
        return sequence * (1 - windowLayerShare) + Math.min(sequence, window) * windowLayerShare;
    }

    /**
     * Prefill peak of one layer: the residual stream, plus the larger of the attention and the FFN temporaries,
     * plus fp32 logits of the last position on the stage with the output head.
     */
    private double inferenceActivations(int stage, int p, int t, int batch, int inputTokens) {
        // Engines with chunked prefill push at most a token budget through one forward pass.
        double tokens = prefillChunk > 0 ? Math.min((double) batch * inputTokens, prefillChunk)
                : (double) batch * inputTokens;
        double b = activationBytes;
        double residual = 2 * tokens * hidden * b;
        double attention = tokens * (heads + 2 * kvHeads) * headDim * b / t + tokens * heads * headDim * b / t;
        if (!flashAttention) {
            // Eager attention materialises the whole s x s score matrix, masked or not.
            double sequences = prefillChunk > 0 ? Math.max(1, Math.min(batch, tokens / inputTokens)) : batch;
            attention += 2 * (heads / t) * sequences * (double) inputTokens * inputTokens * b;
        }
        double denseMlp = ffnMatrices * tokens * denseFfnWidth * b / t;
        double expertShards = expertParallel > 1 ? expertParallel : t;
        double moeMlp = experts == 0 ? 0
                : ffnMatrices * tokens * (activeExperts * expertFfnWidth / expertShards + sharedExperts * expertFfnWidth / t) * b;
        double logits = stage == p - 1 ? batch * vocab * 4 / t : 0;
        return residual + Math.max(attention, Math.max(denseMlp, moeMlp)) + logits;
    }

    /** Korthikanti Table 2, term by term, generalised (see the class comment). */
    private double trainingActivations(int stage, int p, int t, int microBatch, int sequence, int stageLayers,
                                       int dense) {
        double sbh = (double) sequence * microBatch * hidden;
        double sb = (double) sequence * microBatch;
        double b = activationBytes;
        double masks = dropout ? 2 * sbh : 0;
        double replicated = normsPerLayer * b * sbh + 2 * b * sbh + masks;
        double qkvo = b * sb * (2 * heads * headDim + 2 * kvHeads * headDim);
        double scores;
        if (flashAttention) {
            scores = 4 * heads * sb; // fp32 log-sum-exp per row
        } else if (recompute == Recompute.SELECTIVE) {
            scores = 0;
        } else {
            scores = heads * microBatch * (double) sequence * sequence * (b + (dropout ? 1 + b : 0)); // full s x s, masked or not
        }
        double denseInner = dense > 0 ? (ffnMatrices == 3 ? 3 : 2) * b * sb * denseFfnWidth : 0;
        double moeInner = dense < stageLayers && experts > 0
                ? (ffnMatrices == 3 ? 3 : 2) * b * sb * expertFfnWidth * (activeExperts + sharedExperts)
                + activeExperts * b * sbh + 4 * sb * experts
                : 0;
        double inner = Math.max(denseInner, moeInner);
        double replicatedShare = sequenceParallel ? 1.0 / t : 1.0;
        double perLayer = replicated * replicatedShare + (qkvo + scores + inner) / t;

        int inFlight = Math.min(p - stage, gradientAccumulation);
        double interleave = stage == 0 && p > 1 && virtualStages > 1 ? 1 + (p - 1.0) / (p * virtualStages) : 1;
        double layersStored;
        if (recompute == Recompute.FULL) {
            double checkpoint = b * sbh * replicatedShare;
            layersStored = stageLayers * checkpoint * inFlight * interleave + perLayer;
        } else {
            layersStored = stageLayers * perLayer * inFlight * interleave;
        }
        double extra = 0;
        if (stage == 0 && dropout) {
            extra += inFlight * sbh / t; // embedding dropout mask
        }
        if (stage == p - 1) {
            extra += 4 * sbh / t * (1 + vocab / hidden); // final norm, output and fp32 logits
        }
        if (dequantWorkspaceParams > 0) {
            extra += 2 * dequantWorkspaceParams / t; // one weight matrix dequantized to bf16 at a time
        }
        return layersStored + extra;
    }
}
