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
    final int moeLayers;
    /** Every layer has the same parts and cache: a middle pipeline stage is never the heaviest. */
    private final boolean uniformLayers;
    /** Prefix sums over the layers (entry i covers layers 0 .. i-1), built once per architecture. */
    private final LayerTables tables;
    /** KV classes: layers with the same window and KV shape, with the prefix count of each class. */
    private final KvClass[] kvClasses;
    private final int[][] kvClassPrefix;
    final double expertsPerMoeLayer;
    final double sharedPerMoeLayer;
    final double largestMixer;
    final double largestDenseFfn;
    final double largestShared;
    final double expertFfnWidth;
    final double experts;
    final double activeExperts;
    final double sharedExperts;
    final double sharedExpertWidth;
    /** Convolution channels and value width of the recurrent layers (0 without them). */
    final double recurrentChannels;
    final double recurrentValueWidth;
    final double denseFfnWidth;
    final double ffnMatrices;
    final int normsPerLayer;
    final boolean mla;
    final double mlaLatent;
    /** Tokens a sparse-attention query attends to; infinite without an indexer. */
    final double sparseTopK;
    /** Bytes the DSA indexer caches per token and layer: FP8 keys with an FP32 scale per 128 (DeepSeek-V3.2). */
    final double indexerBytesPerToken;
    final double recurrentStateElements;
    final double recurrentConvElements;
    /** Bytes per element of the recurrent (SSM or DeltaNet) state, and of its convolution window. */
    final double recurrentStateBytes;
    final double recurrentConvBytes;
    /** Whether the state dtype is the config's own (mamba_ssm_dtype), else the model dtype. */
    final boolean recurrentStateDeclared;
    final double largestLayerParams;
    final double totalParams;

    /** Bits per weight of the layers' linear weights other than routed experts. */
    final double layerBits;
    /** Bits per weight of the routed experts: the format's own bits, also where it covers only the experts. */
    final double expertBits;
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
    final double sharedPrefixTokens;
    final int prefillChunk;
    final double visionParams;
    final double mtpParams;
    /** llama.cpp layer offload: layers below this index, the input embedding and (with -ngl 0) the head stay on the CPU. */
    final boolean layerOffload;
    final int gpuLayerStart;
    final boolean outputOnGpu;
    /** vLLM --cpu-offload-gb: weight bytes per GPU kept in host memory. */
    final double cpuOffloadBytes;

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
            tables = LayerTables.of(a);
            LayerTables.KvClasses kv = tables.kv(scenario.kvCache().slidingWindow());
            kvClasses = kv.classes();
            kvClassPrefix = kv.prefix();
            denseLayers = tables.denseCountPrefix[layers];
            moeLayers = tables.moeCountPrefix[layers];
            expertsPerMoeLayer = tables.expertsPerMoeLayer;
            sharedPerMoeLayer = tables.sharedPerMoeLayer;
            largestMixer = tables.largestMixer;
            largestDenseFfn = tables.largestDenseFfn;
            largestShared = tables.largestShared;
            uniformLayers = tables.uniformLayers;
            expertFfnWidth = moe == null ? 0 : moe.expertFfnSize();
            experts = moe == null ? 0 : moe.experts();
            activeExperts = moe == null ? 0 : moe.activeExperts();
            sharedExperts = moe == null ? 0 : moe.shared();
            sharedExpertWidth = moe == null ? 0 : moe.sharedWidth();
            recurrentChannels = a.recurrent() == null ? 0 : a.recurrent().convChannels();
            recurrentValueWidth = a.recurrent() == null ? 0 : (double) a.recurrent().valueHeads() * a.recurrent().valueHeadDim();
            denseFfnWidth = tables.widestDenseFfn;
            ffnMatrices = a.ffnKind() == ModelArchitecture.FfnKind.GATED ? 3 : 2;
            normsPerLayer = a.normsPerLayer();
            mla = a.mla() != null;
            mlaLatent = mla ? a.mla().kvLoraRank() + a.mla().qkRopeHeadDim() : 0;
            ModelArchitecture.SparseAttention sparse = a.sparseAttention();
            sparseTopK = sparse == null ? Double.POSITIVE_INFINITY : sparse.topK();
            indexerBytesPerToken = sparse == null ? 0 : sparse.indexHeadDim() + 4.0 * Math.ceil(sparse.indexHeadDim() / 128.0);
            ModelArchitecture.Recurrent r = a.recurrent();
            recurrentStateElements = r == null ? 0 : r.stateElements();
            recurrentConvElements = r == null ? 0 : (double) (r.convKernel() - 1) * r.convChannels();
            largestLayerParams = largestMixer + Math.max(largestDenseFfn, expertsPerMoeLayer + sharedPerMoeLayer);
            visionParams = count.vision();
            mtpParams = count.mtp();
        } else {
            layers = 1;
            hidden = heads = kvHeads = headDim = vocab = positionParams = 0;
            tied = false;
            denseLayers = 1;
            moeLayers = 0;
            uniformLayers = true;
            tables = LayerTables.parametersOnly(totalParams);
            kvClasses = new KvClass[0];
            kvClassPrefix = new int[0][];
            expertsPerMoeLayer = sharedPerMoeLayer = largestMixer = largestDenseFfn = largestShared = 0;
            expertFfnWidth = experts = activeExperts = sharedExperts = sharedExpertWidth = denseFfnWidth = 0;
            recurrentChannels = recurrentValueWidth = 0;
            ffnMatrices = 3;
            normsPerLayer = 0;
            mla = false;
            mlaLatent = 0;
            sparseTopK = Double.POSITIVE_INFINITY;
            indexerBytesPerToken = 0;
            recurrentStateElements = recurrentConvElements = 0;
            largestLayerParams = model.largestLayerParameters(); // 0 when unknown; the engine warns
            visionParams = 0;
            mtpParams = 0;
        }

        int groupSize = precision.groupSize();
        double base = weights.baseBits(groupSize);
        double upgradedShare = a == null ? 0 : weights.upgradedLayerShare() * upgradableShare(count, a);
        double mixed = base * (1 - upgradedShare) + weights.upgradedBits() * upgradedShare;
        expertBits = mixed;
        layerBits = weights.expertsOnly() && experts > 0 ? 16 : mixed;
        embeddingBits = weights.embeddingBits();
        outputBits = weights.outputBits();
        normBytes = training ? Math.max(2, weights.baseBits(groupSize) / 8) : 2;
        kvBytes = precision.kvCache().bytes();
        activationBytes = precision.activations().bytes();
        // The state is kept in the dtype the config declares for it (Qwen3.5's mamba_ssm_dtype, Nemotron-H's
        // mamba_ssm_cache_dtype: float32), else in the model's; the convolution window in the model's. A KV cache
        // in FP8 shrinks neither.
        Integer declared = a == null || a.recurrent() == null ? null : a.recurrent().stateBytes();
        recurrentStateDeclared = declared != null;
        recurrentConvBytes = Math.max(activationBytes, kvBytes);
        recurrentStateBytes = declared != null ? declared : recurrentConvBytes;
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
        sharedPrefixTokens = scenario.kvCache().sharedPrefixTokens();
        prefillChunk = overheads.prefillChunkTokens();

        Scenario.Offload offload = scenario.hardware() == null ? Scenario.Offload.NONE : scenario.hardware().offload();
        // llama.cpp (src/llama-model.cpp, load_tensors): i_gpu_start = max(n_layer + 1 - n_gpu_layers, 0); layer il
        // and the output head (il = n_layer) go to the GPU when il >= i_gpu_start; the input layer never does.
        layerOffload = !training && offload.gpuLayers() != null && a != null;
        int gpuStart = layerOffload ? Math.max(layers + 1 - offload.gpuLayers(), 0) : 0;
        gpuLayerStart = Math.min(gpuStart, layers);
        outputOnGpu = !layerOffload || offload.gpuLayers() >= 1;
        cpuOffloadBytes = training || offload.cpuOffloadBytes() == null ? 0 : offload.cpuOffloadBytes();
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

    int firstLayerOf(int stage, int p) {
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
     * @param embedding the embedding and, on the first stage, a vision tower (which {@code vision} repeats)
     */
    record StageParams(double linear, double experts, double norms, double embedding, double vision, double output,
                       int layers, int denseLayers, int moeLayers) {
        double total() {
            return linear + experts + norms + embedding + output;
        }
    }

    StageParams stageParams(int stage, int p, int t) {
        int from = firstLayerOf(stage, p);
        int to = from + layersOf(stage, p);
        return new StageParams(linearParams(from, to, t, p), expertParams(from, to, t), normParams(from, to),
                embeddingParams(stage, t), stage == 0 ? visionParams / t : 0, outputParams(stage, p, t), to - from, sum(tables.denseCountPrefix, from, to),
                sum(tables.moeCountPrefix, from, to));
    }

    /** Layers [from, to) of one GPU (tp = pp = 1), with the embedding and the output head where asked. */
    StageParams layerRange(int from, int to, boolean embedding, boolean output) {
        return new StageParams(linearParams(from, to, 1, 1), expertParams(from, to, 1), normParams(from, to),
                embedding ? embeddingParams(0, 1) : 0, embedding ? visionParams : 0,
                output ? vocab * hidden : 0, to - from, sum(tables.denseCountPrefix, from, to),
                sum(tables.moeCountPrefix, from, to));
    }

    /** What llama.cpp keeps on the CPU with --gpu-layers: the layers below the GPU's, the input embedding, maybe the head. */
    StageParams hostLayers() {
        return layerRange(0, gpuLayerStart, true, !outputOnGpu);
    }

    /** What stays on the GPU with --gpu-layers. */
    StageParams gpuLayers() {
        return layerRange(gpuLayerStart, layers, false, outputOnGpu);
    }

    /** vLLM's --cpu-offload-gb on one GPU of this split: the asked bytes, at most the first stage's weights. */
    double offloadedBytesPerGpu(int t, int p) {
        return Math.min(cpuOffloadBytes, weightBytes(stageParams(0, p, t)));
    }

    /** Whether this split is the one --gpu-layers places (layer offload is modelled on one GPU). */
    private boolean offloads(int t, int p) {
        return layerOffload && t == 1 && p == 1;
    }

    private static double sum(double[] prefix, int from, int to) {
        return prefix[to] - prefix[from];
    }

    private static int sum(int[] prefix, int from, int to) {
        return prefix[to] - prefix[from];
    }

    /** Token mixers, dense FFNs, shared experts and routers of layers [from, to); a bare parameter count splits evenly. */
    private double linearParams(int from, int to, int t, int p) {
        if (!hasArchitecture) {
            return totalParams / ((double) t * p);
        }
        return (sum(tables.mixerPrefix, from, to) + sum(tables.denseFfnPrefix, from, to) + sum(tables.sharedPrefix, from, to)) / t;
    }

    private double expertParams(int from, int to, int t) {
        return sum(tables.expertPrefix, from, to) / expertShards(t);
    }

    private double normParams(int from, int to) {
        return sum(tables.normPrefix, from, to);
    }

    /** The embedding, and a vision tower: both run before the first layer. */
    private double embeddingParams(int stage, int t) {
        return stage == 0 ? vocab * hidden / t + positionParams + visionParams / t : 0;
    }

    private double outputParams(int stage, int p, int t) {
        return stage == p - 1 && (!tied || p > 1) ? vocab * hidden / t : 0;
    }

    /** Weight bytes of one stage on one GPU, before ZeRO-3 sharding. */
    double weightBytes(StageParams params) {
        return weightBytes(params.linear(), params.experts(), params.norms(), params.embedding(), params.output());
    }

    private double weightBytes(double linear, double experts, double norms, double embedding, double output) {
        return linear * layerBits / 8 + experts * expertBits / 8 + norms * normBytes + embedding * embeddingBits / 8
                + output * outputBits / 8;
    }

    /** Bytes a forward pass reads: everything but the input embedding, of which a lookup touches a few rows. */
    double weightBytesRead(StageParams params) {
        // A vision tower runs only on images, so no decode step reads it; it sits in the first stage's embedding.
        double vision = params.vision() * embeddingBits / 8;
        double unread = tied ? vision : params.embedding() * embeddingBits / 8;
        return weightBytes(params) - unread;
    }

    /** One unsharded layer on one tensor rank: what ZeRO-3 gathers before computing it. */
    private double largestLayerBytes(int t) {
        if (!hasArchitecture) {
            return largestLayerParams / t * expertBits / 8;
        }
        double layer = (largestMixer + Math.max(largestDenseFfn, largestShared)) / t;
        double expertLayer = experts > 0 ? expertsPerMoeLayer / expertShards(t) : 0;
        return layer * layerBits / 8 + expertLayer * expertBits / 8;
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
        int base = layers / p;
        int extra = layers % p;
        int n = base + (stage < extra ? 1 : 0); // as layersOf and firstLayerOf, with one division
        int from = stage * base + Math.min(stage, extra);
        int to = from + n;
        boolean offloaded = offloads(t, p);
        if (offloaded) {
            from = gpuLayerStart;
        }
        int dense = hasArchitecture ? sum(tables.denseCountPrefix, from, to) : 1;
        int moeLayers = sum(tables.moeCountPrefix, from, to);
        double linear = linearParams(from, to, t, p);
        double experts = expertParams(from, to, t);
        double norms = normParams(from, to);
        double embedding = offloaded ? 0 : embeddingParams(stage, t);
        // llama.cpp copies a tied embedding to the GPU as the output head when the head is offloaded there.
        double output = !offloaded ? outputParams(stage, p, t) : outputOnGpu ? vocab * hidden : 0;
        double weights = weightBytes(linear, experts, norms, embedding, output);
        if (!training) {
            weights = Math.max(0, weights - cpuOffloadBytes);
        }
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
            if (zeroStage == 3 && dataParallel > 1) {
                // Sharded weights plus the gathered copies of the layer being computed and the one prefetched for
                // the backward pass (llm-analysis, DeepSpeed's prefetch buffers); never more than unsharded. Frozen
                // base weights are sharded too: FSDP and ZeRO-3 partition every parameter, trainable or not
                // (torchtune's distributed LoRA/QLoRA recipes shard the NF4 base with FSDP2).
                double expertBytes = experts * expertBits / 8;
                double sharded = (weights - expertBytes) / dataParallel + expertBytes / expertCopies
                        + 2 * largestLayerBytes(t); // gathered into buffers of their own, beside the shard
                weights = Math.min(weights, sharded);
            }
            if (hasArchitecture) {
                activations = trainingActivations(stage, p, t, batch, inputTokens, from, to);
            }
        } else if (hasArchitecture) {
            kv = kvCache(from, to, batch, inputTokens, outputTokens, t);
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

    /**
     * The most loaded stage. With alike layers it is the first (embeddings, in-flight activations) or the last (the
     * output head); where layers differ (a hybrid's Mamba, attention and MoE blocks, dense first layers) a middle
     * stage can hold more, so every stage is looked at.
     */
    double peakTotal(int batch, int inputTokens, int outputTokens, int t, int p) {
        return stageTotal(heaviestStage(batch, inputTokens, outputTokens, t, p), batch, inputTokens, outputTokens, t, p);
    }

    int heaviestStage(int batch, int inputTokens, int outputTokens, int t, int p) {
        if (p == 1) {
            return 0;
        }
        int heaviest = 0;
        double most = stageTotal(0, batch, inputTokens, outputTokens, t, p);
        int step = uniformLayers ? p - 1 : 1;
        for (int stage = step; stage < p; stage += step) {
            double total = stageTotal(stage, batch, inputTokens, outputTokens, t, p);
            if (total > most) {
                most = total;
                heaviest = stage;
            }
        }
        return heaviest;
    }

    /**
     * Layers that cache tokens alike: same window (0 = the whole context), same KV shape. A pattern has a few of
     * them (Gemma 3: two; DeepSeek-V4: three), so the cache of a stage is a short sum over classes.
     *
     * @param window  tokens kept (sliding, chunked), or on a compressed layer the recent tokens kept uncompressed
     *                besides the compressed entries; 0 = every token
     * @param sliding a sliding window that moves with every token, so the window straddles one more block than
     *                it fills; a chunked layer's chunks start on block boundaries
     * @param indexed the layer's compressed (or only) entries carry an indexer key
     */
    record KvClass(int window, boolean sliding, int kvHeads, int headDim, int kvFactor, int compression,
                   boolean indexed) {

        boolean compressed() {
            return compression > 1;
        }
    }

    /** KV heads one GPU holds: heads split across tensor ranks, replicated when there are fewer heads than ranks. */
    static double kvHeadsPerGpu(double kvHeads, int t) {
        return kvHeads >= t ? kvHeads / t : 1;
    }

    /** KV bytes per cached entry of one layer of this class on one GPU. MLA caches one latent per token, replicated across ranks (vLLM). */
    private double kvPerEntry(KvClass c, int t) {
        return mla ? mlaLatent * kvBytes : c.kvFactor() * kvHeadsPerGpu(c.kvHeads(), t) * c.headDim() * kvBytes;
    }

    /** Bytes of the indexer key beside an entry of this class (one per entry, not split across ranks). */
    private double indexerPerEntry(KvClass c) {
        return c.indexed() ? indexerBytesPerToken : 0;
    }

    /** Bytes of the fixed-size state of one recurrent layer for one sequence on one GPU (heads split over ranks). */
    private double recurrentBytesPerSequence(int t) {
        return (recurrentStateElements * recurrentStateBytes + recurrentConvElements * recurrentConvBytes) / t;
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

    /** KV bytes of the layers of pipeline stage {@code stage} on one GPU. */
    double stageKvCache(int stage, int p, int batch, int inputTokens, int outputTokens, int t) {
        int from = firstLayerOf(stage, p);
        return kvCache(from, from + layersOf(stage, p), batch, inputTokens, outputTokens, t);
    }

    /**
     * KV bytes of layers [from, to) on one GPU, plus the recurrent states of the linear and Mamba layers among
     * them. A window layer keeps the last W tokens (vLLM's sliding-window manager frees the blocks that left it:
     * a moving window straddles W / block + 1 blocks); a chunked layer keeps the current chunk; a compressed
     * layer one entry per ratio tokens. Of the shared prompt prefix only the part still inside the window stays
     * shared.
     */
    double kvCache(int from, int to, int batch, int inputTokens, int outputTokens, int t) {
        double prefix = Math.min(sharedPrefixTokens, inputTokens);
        double tokens = (double) inputTokens + outputTokens;
        double kv = 0;
        for (int c = 0; c < kvClasses.length; c++) {
            int n = kvClassPrefix[c][to] - kvClassPrefix[c][from];
            if (n > 0) {
                kv += n * layerKvBytes(kvClasses[c], tokens, prefix, batch, t);
            }
        }
        int recurrent = tables.recurrentCountPrefix[to] - tables.recurrentCountPrefix[from];
        return recurrent == 0 ? kv : kv + recurrent * batch * recurrentBytesPerSequence(t);
    }

    /** KV bytes of one layer of this class for the batch (kept small: the fit searches call it in their loops). */
    private double layerKvBytes(KvClass kvClass, double tokens, double prefix, int batch, int t) {
        if (kvClass.compressed()) {
            return compressedLayerKvBytes(kvClass, tokens, prefix, batch, t);
        }
        double stored = kvClass.window() > 0 && tokens > kvClass.window()
                ? windowTokens(kvClass, tokens, prefix, batch) : storedTokens(tokens, prefix, batch);
        return stored * (kvPerEntry(kvClass, t) + indexerPerEntry(kvClass));
    }

    /** Tokens a window layer holds once the sequence is longer than its window. */
    private double windowTokens(KvClass kvClass, double tokens, double prefix, int batch) {
        double span = kvClass.window();
        double held = storedTokens(span, Math.max(0, prefix - (tokens - span)), batch);
        if (kvClass.sliding() && pagedBlock > 0) {
            held = Math.min(held + (double) pagedBlock * batch, storedTokens(tokens, prefix, batch));
        }
        return held;
    }

    /** One pooled entry per ratio tokens (with its indexer key), plus the recent tokens kept raw. */
    private double compressedLayerKvBytes(KvClass kvClass, double tokens, double prefix, int batch, int t) {
        double pooled = storedTokens(tokens, prefix, batch) / kvClass.compression();
        double raw = kvClass.window() > 0 ? storedTokens(Math.min(tokens, kvClass.window()), 0, batch) : 0;
        return pooled * (kvPerEntry(kvClass, t) + indexerPerEntry(kvClass)) + raw * kvPerEntry(kvClass, t);
    }

    /**
     * KV bytes per token of the whole model for one sequence of {@code context} tokens on one GPU, window caps
     * included and paging left out (a property of the model, not of the block size): what
     * {@code kvCacheBytesPerToken} reports. Without windows or states it is the same at every context.
     */
    double kvBytesPerTokenAt(int context) {
        if (context <= 0) {
            return 0;
        }
        double bytes = 0;
        for (int c = 0; c < kvClasses.length; c++) {
            KvClass kvClass = kvClasses[c];
            double perLayer;
            if (kvClass.compressed()) {
                double raw = kvClass.window() > 0 ? Math.min(context, kvClass.window()) : 0;
                perLayer = (double) context / kvClass.compression() * (kvPerEntry(kvClass, 1) + indexerPerEntry(kvClass))
                        + raw * kvPerEntry(kvClass, 1);
            } else {
                double held = kvClass.window() > 0 ? Math.min(context, kvClass.window()) : context;
                perLayer = held * (kvPerEntry(kvClass, 1) + indexerPerEntry(kvClass));
            }
            bytes += kvClassPrefix[c][layers] * perLayer;
        }
        bytes += tables.recurrentCountPrefix[layers] * recurrentBytesPerSequence(1);
        return bytes / context;
    }

    /**
     * Attention work of every layer for a query at {@code sequence} earlier tokens: sum over layers of
     * heads x headDim x the tokens it attends to (its window, its chunk, or the indexer's top-k). Linear and
     * Mamba layers do a fixed amount of work per token, see {@link #recurrentWorkPerToken()}.
     */
    double attentionWork(double sequence) {
        double work = 0;
        for (int c = 0; c < kvClasses.length; c++) {
            KvClass kvClass = kvClasses[c];
            double topK = kvClass.indexed() ? sparseTopK : Double.POSITIVE_INFINITY;
            double span;
            if (kvClass.compressed()) {
                double raw = kvClass.window() > 0 ? Math.min(sequence, kvClass.window()) : 0;
                span = raw + Math.min(sequence / kvClass.compression(), topK);
            } else {
                span = kvClass.window() > 0 ? Math.min(sequence, kvClass.window()) : sequence;
                span = Math.min(span, topK);
            }
            double width = mla ? heads * headDim : heads * kvClass.headDim();
            work += kvClassPrefix[c][layers] * width * span;
        }
        return work;
    }

    /**
     * Attention work of a whole prompt of {@code sequence} tokens, per token: sum over layers of heads x headDim x
     * the tokens a query attends to on average. Causal attention over all s tokens averages s / 2; a window or a
     * top-k of W < s averages W - W^2 / (2 s), since every query past the first W sees W.
     */
    double promptAttentionWork(double sequence) {
        double work = 0;
        for (int c = 0; c < kvClasses.length; c++) {
            KvClass kvClass = kvClasses[c];
            double topK = kvClass.indexed() ? sparseTopK : Double.POSITIVE_INFINITY;
            double width = mla ? heads * headDim : heads * kvClass.headDim();
            double average;
            if (kvClass.compressed()) {
                double raw = kvClass.window() > 0 ? capped(sequence, kvClass.window()) : 0;
                average = raw + capped(sequence / kvClass.compression(), topK);
            } else {
                double span = Math.min(kvClass.window() > 0 ? kvClass.window() : Double.POSITIVE_INFINITY, topK);
                average = capped(sequence, span);
            }
            work += kvClassPrefix[c][layers] * width * average;
        }
        return work;
    }

    /** Average tokens a causal query attends to over s positions when it sees at most {@code span}. */
    private static double capped(double s, double span) {
        return s <= span ? s / 2 : span - span * span / (2 * s);
    }

    /** FLOPs per token of the recurrent layers: the state update and the read-out, 2 x 2 per state element. */
    double recurrentWorkPerToken() {
        return tables.recurrentCountPrefix[layers] * 4 * recurrentStateElements;
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
    private double trainingActivations(int stage, int p, int t, int microBatch, int sequence, int from, int to) {
        int stageLayers = to - from;
        int attentionLayers = sum(tables.attentionCountPrefix, from, to);
        int recurrentLayers = sum(tables.recurrentCountPrefix, from, to);
        int denseLayersHere = sum(tables.denseCountPrefix, from, to);
        int moeLayersHere = sum(tables.moeCountPrefix, from, to);
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
        // A linear-attention or Mamba layer keeps its projections' outputs (q, k, v or x, B, C, the gate) and the
        // convolution's output: about twice the convolution channels plus the value width per token.
        double recurrentMixer = b * sb * (2 * recurrentChannels + recurrentValueWidth);
        double denseInner = (ffnMatrices == 3 ? 3 : 2) * b * sb * denseFfnWidth;
        double moeInner = experts == 0 ? 0
                : (ffnMatrices == 3 ? 3 : 2) * b * sb * (expertFfnWidth * activeExperts + sharedExpertWidth * sharedExperts)
                + activeExperts * b * sbh + 4 * sb * experts;
        double replicatedShare = sequenceParallel ? 1.0 / t : 1.0;
        // Each layer stores what its own parts produce: a hybrid's Mamba block has no attention, an FFN-only block
        // no mixer, a dense first layer no experts.
        double stageTotal = stageLayers * replicated * replicatedShare
                + (attentionLayers * (qkvo + scores) + recurrentLayers * recurrentMixer + denseLayersHere * denseInner
                + moeLayersHere * moeInner) / t;
        double perLayer = replicated * replicatedShare
                + Math.max(qkvo + scores, recurrentLayers > 0 ? recurrentMixer : 0) / t
                + Math.max(denseLayersHere > 0 ? denseInner : 0, moeLayersHere > 0 ? moeInner : 0) / t;

        int inFlight = Math.min(p - stage, gradientAccumulation);
        double interleave = stage == 0 && p > 1 && virtualStages > 1 ? 1 + (p - 1.0) / (p * virtualStages) : 1;
        double layersStored;
        if (recompute == Recompute.FULL) {
            double checkpoint = b * sbh * replicatedShare;
            layersStored = stageLayers * checkpoint * inFlight * interleave + perLayer;
        } else {
            layersStored = stageTotal * inFlight * interleave;
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
