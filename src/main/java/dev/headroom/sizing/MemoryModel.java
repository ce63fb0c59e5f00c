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
    final double loraParamsPerLayer;
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
        loraParamsPerLayer = a == null || method == FinetuneMethod.FULL ? 0 : loraPerLayer(a, train);
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
    }

    /** Share of layer weights in attention V and FFN down projections: the tensors GGUF "_M" mixes upgrade. */
    private static double upgradableShare(ParameterCounter.Count count, ModelArchitecture a) {
        double layerLinear = count.attention() + count.denseFfn() + count.expertFfn() + count.sharedFfn();
        double v = (double) a.layers() * a.hiddenSize() * a.kvHeads() * a.headDim();
        double matrices = a.ffnKind() == ModelArchitecture.FfnKind.GATED ? 3 : 2;
        double down = (count.denseFfn() + count.expertFfn() + count.sharedFfn()) / matrices;
        return a.mla() != null ? down / layerLinear : Math.min(1, (v + down) / layerLinear);
    }

    /** LoRA adds r x (d_in + d_out) per adapted matrix (Hu et al. 2021); experts each get their own adapters. */
    private static double loraPerLayer(ModelArchitecture a, Scenario.Training train) {
        double r = train.loraRank();
        double h = a.hiddenSize();
        double q = (double) a.attentionHeads() * a.headDim();
        double kv = (double) a.kvHeads() * a.headDim();
        double ffn = a.ffnSize();
        double ffnCopies = 1;
        if (a.moe() != null) {
            ffn = a.moe().expertFfnSize();
            ffnCopies = a.moe().experts() + (a.moe().sharedExperts() == null ? 0 : a.moe().sharedExperts());
        }
        double total = 0;
        for (LoraTarget target : train.loraTargets()) {
            total += switch (target) {
                case Q -> r * (h + q);
                case K, V -> r * (h + kv);
                case O -> r * (q + h);
                case GATE, UP -> a.ffnKind() == ModelArchitecture.FfnKind.GATED ? ffnCopies * r * (h + ffn) : 0;
                case DOWN -> ffnCopies * r * (ffn + h);
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

    /** Parameters (not bytes) of one stage on one GPU, before ZeRO-3: linear layers, experts, norms, embeddings. */
    double[] stageParams(int stage, int p, int t) {
        if (!hasArchitecture) {
            return new double[] {totalParams / ((double) t * p), 0, 0, 0};
        }
        int n = layersOf(stage, p);
        int start = firstLayerOf(stage, p);
        int dense = Math.max(0, Math.min(denseLayers, start + n) - start);
        int moeLayers = n - dense;
        double linear = (attentionPerLayer * n + denseFfnPerLayer * dense + sharedPerMoeLayer * moeLayers) / t;
        double expertShards = expertParallel > 1 ? expertParallel : t;
        double expertParams = expertsPerMoeLayer * moeLayers / expertShards;
        double norms = normsPerLayerParams * n;
        double embedding = stage == 0 ? vocab * hidden / t + positionParams : 0;
        double output = stage == p - 1 && (!tied || p > 1) ? vocab * hidden / t : 0;
        return new double[] {linear + expertParams, norms, embedding, output};
    }

    /** Weight bytes of one stage on one GPU, before ZeRO-3 sharding. */
    double weightBytes(double[] params) {
        return params[0] * layerBits / 8 + params[1] * normBytes + params[2] * embeddingBits / 8
                + params[3] * outputBits / 8;
    }

    Breakdown stage(int stage, int batch, int inputTokens, int outputTokens, int t, int p) {
        double[] params = stageParams(stage, p, t);
        double parameters = params[0] + params[1] + params[2] + params[3];
        double weights = weightBytes(params);
        double kv = 0;
        double activations = 0;
        double gradients = 0;
        double optimizer = 0;
        int n = layersOf(stage, p);
        if (training) {
            double trainable = method == FinetuneMethod.FULL ? parameters : loraParamsPerLayer * n / t;
            if (method != FinetuneMethod.FULL) {
                weights += trainable * activationBytes; // adapter weights in the compute dtype
            }
            double gradientShards = zeroStage >= 2 ? dataParallel : 1;
            double optimizerShards = zeroStage >= 1 ? dataParallel : 1;
            gradients = trainable * gradientBytes / gradientShards;
            optimizer = offloadOptimizer ? 0 : trainable * optimizerBytes / optimizerShards;
            if (zeroStage == 3 && method == FinetuneMethod.FULL && dataParallel > 1) {
                // Sharded weights plus the gathered copies of the layers being computed: one for the forward
                // and one prefetched for the backward pass (llm-analysis, DeepSpeed's prefetch buffers).
                weights = weights / dataParallel + 2 * largestLayerParams / t * layerBits / 8;
            }
            if (hasArchitecture) {
                activations = trainingActivations(stage, p, t, batch, inputTokens, n);
            }
        } else if (hasArchitecture) {
            kv = kvCache(n, batch, inputTokens + outputTokens, t);
            activations = inferenceActivations(stage, p, t, batch, inputTokens);
        }
        double gpusTalking = t * p * (training ? dataParallel : 1);
        double fixed = cudaContext + (gpusTalking > 1 ? multiGpuWorkspace : workspace) + cudaGraphs;
        double overhead = fixed + fragmentation * (weights + kv + activations + gradients + optimizer);
        return new Breakdown(weights, kv, activations, gradients, optimizer, overhead);
    }

    double stageTotal(int stage, int batch, int inputTokens, int outputTokens, int t, int p) {
        return stage(stage, batch, inputTokens, outputTokens, t, p).total();
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

    /** Tokens the cache stores for the batch, after window caps, block rounding and shared prefixes. */
    double storedTokens(double tokensPerSequence, int batch) {
        double perSequence = roundToBlock(tokensPerSequence);
        double prefix = Math.min(sharedPrefix, tokensPerSequence);
        if (prefix <= 0) {
            return perSequence * batch;
        }
        double sharedFull = pagedBlock > 0 ? Math.floor(prefix / pagedBlock) * pagedBlock : prefix;
        return sharedFull + batch * (perSequence - sharedFull);
    }

    private double roundToBlock(double tokens) {
        return pagedBlock > 0 ? Math.ceil(tokens / pagedBlock) * pagedBlock : tokens;
    }

    double kvCache(int stageLayers, int batch, int tokensPerSequence, int t) {
        double perTokenPerLayer = kvPerTokenPerLayer(t);
        double windowed = stageLayers * windowLayerShare;
        double full = stageLayers - windowed;
        double kv = full * storedTokens(tokensPerSequence, batch);
        if (windowed > 0) {
            kv += windowed * storedTokens(Math.min(tokensPerSequence, window), batch);
        }
        return kv * perTokenPerLayer;
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
        double tokens = (double) batch * inputTokens;
        double b = activationBytes;
        double residual = 2 * tokens * hidden * b;
        double attention = tokens * (heads + 2 * kvHeads) * headDim * b / t + tokens * heads * headDim * b / t;
        if (!flashAttention) {
            attention += 2 * (heads / t) * batch * inputTokens * attendedTokens(inputTokens) * b;
        }
        double denseMlp = ffnMatrices * tokens * denseFfnWidth * b / t;
        double expertShards = expertParallel > 1 ? expertParallel : t;
        double moeMlp = experts == 0 ? 0
                : ffnMatrices * tokens * (activeExperts * expertFfnWidth / expertShards + sharedExperts * expertFfnWidth / t) * b;
        double logits = stage == p - 1 ? batch * vocab * 4 / t : 0;
        return residual + Math.max(attention, Math.max(denseMlp, moeMlp)) + logits;
    }

    /** Korthikanti Table 2, term by term, generalised (see the class comment). */
    private double trainingActivations(int stage, int p, int t, int microBatch, int sequence, int stageLayers) {
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
            scores = heads * microBatch * sequence * attendedTokens(sequence) * (b + (dropout ? 1 + b : 0));
        }
        int start = firstLayerOf(stage, p);
        int dense = Math.max(0, Math.min(denseLayers, start + stageLayers) - start);
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
