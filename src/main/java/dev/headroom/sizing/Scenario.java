package dev.headroom.sizing;

import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.CatalogIds;
import dev.headroom.common.Format;
import dev.headroom.common.Ranges;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Everything a sizing question needs, immutable; a saved plan is this record as JSON. Absent optional values take
 * documented defaults inside the engine, so a scenario written by hand can stay short.
 */
public record Scenario(
        ModelSpec model,
        Workload workload,
        Training training,
        Precision precision,
        Shape shape,
        Parallelism parallelism,
        KvCachePolicy kvCache,
        Hardware hardware,
        RuntimeProfile runtime,
        RuntimeOverheads overheads,
        Efficiencies efficiencies) {

    static final int MAX_BATCH = 1 << 20;
    static final int MAX_TOKENS = 1 << 24;
    static final int MAX_TP = 1024;
    static final int MAX_PP = 1024;
    public static final int MAX_GPUS = 1 << 20;
    public static final double MIN_PARAMETERS = 1e6;
    public static final double MAX_PARAMETERS = 1e14;
    static final int DEFAULT_LORA_RANK = 16;
    /** Gradients accumulate in a floating-point training dtype; an integer format would be a typo. */
    private static final Set<NumberFormat> GRADIENT_FORMATS = EnumSet.of(NumberFormat.FP16, NumberFormat.BF16,
            NumberFormat.FP32);

    public Scenario {
        workload = workload == null ? Workload.INFERENCE : workload;
        training = training == null ? Training.DEFAULT : training;
        precision = precision == null ? Precision.DEFAULT : precision;
        shape = shape == null ? Shape.DEFAULT : shape;
        parallelism = parallelism == null ? Parallelism.SINGLE : parallelism;
        kvCache = kvCache == null ? KvCachePolicy.DEFAULT : kvCache;
        runtime = runtime == null ? RuntimeProfile.defaultFor(workload) : runtime;
        overheads = overheads == null ? RuntimeOverheads.NONE : overheads;
        efficiencies = efficiencies == null ? Efficiencies.NONE : efficiencies;
    }

    /**
     * The model: a catalog id, an architecture (imported or custom), or only a parameter count. With an id and
     * an architecture, the architecture wins (a what-if on a catalog model).
     *
     * @param largestLayerParameters for a parameter-count-only model, the largest layer (DeepSpeed's estimators
     *                               take it for ZeRO-3's gathered-layer buffer); null when unknown
     */
    public record ModelSpec(String catalogId, String name, ModelArchitecture architecture, Long parameters,
                            Long largestLayerParameters) {
        public static ModelSpec catalog(String id) {
            return new ModelSpec(id, null, null, null, null);
        }

        public static ModelSpec parametersOnly(long parameters) {
            return new ModelSpec(null, null, null, parameters, null);
        }

        public static ModelSpec custom(String name, ModelArchitecture architecture) {
            return new ModelSpec(null, name, architecture, null, null);
        }
    }

    /**
     * @param gradientPrecision  gradients and their accumulation: fp32 gives Megatron/DeepSpeed's 18 bytes per
     *                           parameter with AdamW, the training dtype gives the ZeRO paper's 16
     * @param masterWeights      keep an fp32 copy of the weights (mixed precision); off for pure 16-bit training;
     *                           never counted when the weights themselves are fp32
     * @param microBatch         sequences per micro-batch per GPU
     * @param gradientAccumulation micro-batches per optimizer step (also the pipeline's micro-batch count)
     * @param trainTokens        tokens to train on, for the time and GPU-hour totals; null for none
     */
    public record Training(FinetuneMethod method, Integer loraRank, Set<LoraTarget> loraTargets, Optimizer optimizer,
                           NumberFormat gradientPrecision, Boolean masterWeights,
                           Integer microBatch, Integer gradientAccumulation, Double trainTokens, Recompute recompute) {
        public static final Training DEFAULT = new Training(null, null, null, null, null, null, null, null, null, null);

        public Training {
            method = method == null ? FinetuneMethod.FULL : method;
            loraRank = loraRank == null ? DEFAULT_LORA_RANK : loraRank;
            loraTargets = loraTargets == null || loraTargets.stream().allMatch(java.util.Objects::isNull)
                    ? EnumSet.allOf(LoraTarget.class)
                    : EnumSet.copyOf(loraTargets.stream().filter(java.util.Objects::nonNull).toList());
            optimizer = optimizer == null ? Optimizer.ADAMW : optimizer;
            gradientPrecision = gradientPrecision == null ? NumberFormat.FP32 : gradientPrecision;
            masterWeights = masterWeights == null || masterWeights;
            microBatch = microBatch == null ? 1 : microBatch;
            gradientAccumulation = gradientAccumulation == null ? 1 : gradientAccumulation;
            recompute = recompute == null ? Recompute.NONE : recompute;
        }
    }

    /**
     * @param weights     how weights are stored; for training, the format the model trains in (fp32/fp16/bf16)
     * @param groupSize   quantization group for gptq/awq/int4
     * @param activations activations, and the compute dtype of training
     */
    public record Precision(WeightFormat weights, Integer groupSize, NumberFormat kvCache, NumberFormat activations) {
        public static final Precision DEFAULT = new Precision(null, null, null, null);

        public Precision {
            weights = weights == null ? WeightFormat.BF16 : weights;
            groupSize = groupSize == null ? WeightFormat.DEFAULT_GROUP_SIZE : groupSize;
            activations = activations == null ? NumberFormat.BF16 : activations;
            kvCache = kvCache == null ? activations : kvCache;
        }
    }

    /**
     * @param batch        concurrent sequences (inference)
     * @param inputTokens  prompt length; for training, the sequence length
     * @param outputTokens generated tokens per sequence (inference)
     */
    public record Shape(Integer batch, Integer inputTokens, Integer outputTokens) {
        public static final Shape DEFAULT = new Shape(null, null, null);

        public Shape {
            batch = batch == null ? 1 : batch;
            inputTokens = inputTokens == null ? 2048 : inputTokens;
            outputTokens = outputTokens == null ? 512 : outputTokens;
        }
    }

    /**
     * @param virtualStages    interleaved pipeline stages per GPU (1 = plain 1F1B)
     * @param expertParallel   GPUs that split the experts between them instead of slicing each expert
     * @param zeroStage        ZeRO 0-3 over the data-parallel group (FSDP full shard = 3)
     * @param dropout          the model trains with dropout (GPT-3/OPT era); adds the masks to activations
     */
    public record Parallelism(Integer tensor, Integer pipeline, Integer data, Integer virtualStages,
                              Integer expertParallel, Integer zeroStage, Boolean sequenceParallel,
                              Boolean offloadOptimizer, Boolean flashAttention, Boolean dropout) {
        public static final Parallelism SINGLE = new Parallelism(null, null, null, null, null, null, null, null, null,
                null);

        public Parallelism {
            tensor = tensor == null ? 1 : tensor;
            pipeline = pipeline == null ? 1 : pipeline;
            data = data == null ? 1 : data;
            virtualStages = virtualStages == null ? 1 : virtualStages;
            expertParallel = expertParallel == null ? 1 : expertParallel;
            zeroStage = zeroStage == null ? 0 : zeroStage;
            sequenceParallel = sequenceParallel != null && sequenceParallel;
            offloadOptimizer = offloadOptimizer != null && offloadOptimizer;
            flashAttention = flashAttention == null || flashAttention;
            dropout = dropout != null && dropout;
        }

        /** Long: tp, pp and dp each pass validation yet their product can exceed an int. */
        public long gpus() {
            return (long) tensor * pipeline * data;
        }

        public Parallelism withTensorAndPipeline(int tp, int pp) {
            return new Parallelism(tp, pp, data, virtualStages, expertParallel, zeroStage, sequenceParallel,
                    offloadOptimizer, flashAttention, dropout);
        }
    }

    /**
     * @param slidingWindow      honour the model's sliding-window layers (cap their cache at the window)
     * @param pagedBlockTokens   block size for paged caches; null takes the runtime's (vLLM 16), 0 turns paging off
     * @param sharedPrefixTokens prompt tokens every sequence shares and the cache stores once (prefix caching)
     */
    public record KvCachePolicy(Boolean slidingWindow, Integer pagedBlockTokens, Integer sharedPrefixTokens) {
        public static final KvCachePolicy DEFAULT = new KvCachePolicy(null, null, null);

        public KvCachePolicy {
            slidingWindow = slidingWindow == null || slidingWindow;
            sharedPrefixTokens = sharedPrefixTokens == null ? 0 : sharedPrefixTokens;
        }
    }

    /**
     * A catalog GPU, how many of them the plan has, how they are grouped in nodes, and what lives in host memory.
     *
     * @param unifiedGpuShare on a unified-memory machine, the share of its memory the GPU may use; null takes the
     *                        catalog's default (macOS: Metal's recommended working set)
     */
    public record Hardware(String gpuId, Integer count, Nodes nodes, Offload offload, Double unifiedGpuShare) {
        public Hardware {
            count = count == null ? 1 : count;
            nodes = nodes == null ? Nodes.DEFAULT : nodes;
            offload = offload == null ? Offload.NONE : offload;
        }

        public Hardware(String gpuId, Integer count) {
            this(gpuId, count, null, null, null);
        }

        public Hardware withNodes(Nodes value) {
            return new Hardware(gpuId, count, value, offload, unifiedGpuShare);
        }

        public Hardware withOffload(Offload value) {
            return new Hardware(gpuId, count, nodes, value, unifiedGpuShare);
        }
    }

    /**
     * How the GPUs sit in nodes. Null fields take the GPU's catalog node: as many per node as it holds, its
     * default scale-out network.
     *
     * @param nodes       nodes in the plan; null = the GPUs divided by the GPUs per node, rounded up
     * @param gpusPerNode GPUs in each node; null = the plan's GPUs up to what one of the GPU's nodes holds
     * @param network     scale-out network id ('headroom catalog list networks'); null = the GPU's default
     */
    public record Nodes(Integer nodes, Integer gpusPerNode, String network) {
        public static final Nodes DEFAULT = new Nodes(null, null, null);
    }

    /**
     * Weights and layers placed in host memory.
     *
     * @param gpuLayers       llama.cpp's -ngl: the last N of the layers (the output head counting as one) run on
     *                        the GPU, the rest and the input embedding on the CPU; null = all on the GPU
     * @param cpuOffloadBytes vLLM's --cpu-offload-gb: weight bytes per GPU kept in pinned host memory and read
     *                        over the host link on every forward pass; null = none
     * @param hostMemoryBytes host memory of one node; null = the GPU's host platform from the catalog
     * @param hostBandwidth   host memory bandwidth in bytes/s; null = the host platform's
     */
    public record Offload(Integer gpuLayers, Long cpuOffloadBytes, Long hostMemoryBytes, Double hostBandwidth) {
        public static final Offload NONE = new Offload(null, null, null, null);
        public static final double MAX_OFFLOAD_GIB = 1 << 20;
        public static final double MIN_HOST_GIB = 1;
        public static final double MAX_HOST_GIB = 1 << 24;
        public static final double MIN_HOST_GBPS = 1;
        public static final double MAX_HOST_GBPS = 10_000;
        public static final double MIN_UNIFIED_SHARE = 0.05;

        /**
         * The offload and unified-share fields in the units people type (GiB, GB/s, a fraction), checked before
         * they become bytes: a NaN or a huge value is reported as given, not as what a conversion made of it.
         */
        public static void unitProblems(List<String> problems, Double offloadGib, Double hostGib, Double hostGbps,
                                        Double unifiedShare) {
            Ranges.optional(problems, "cpu-offload-gb", offloadGib, 0, MAX_OFFLOAD_GIB);
            Ranges.optional(problems, "host-memory (GiB)", hostGib, MIN_HOST_GIB, MAX_HOST_GIB);
            Ranges.optional(problems, "host-bandwidth (GB/s)", hostGbps, MIN_HOST_GBPS, MAX_HOST_GBPS);
            Ranges.optional(problems, "unified-gpu-share", unifiedShare, MIN_UNIFIED_SHARE, 1);
        }

        public boolean any() {
            return gpuLayers != null || (cpuOffloadBytes != null && cpuOffloadBytes > 0);
        }
    }

    public Scenario withModel(ModelSpec value) {
        return new Scenario(value, workload, training, precision, shape, parallelism, kvCache, hardware, runtime,
                overheads, efficiencies);
    }

    public Scenario withShape(Shape value) {
        return new Scenario(model, workload, training, precision, value, parallelism, kvCache, hardware, runtime,
                overheads, efficiencies);
    }

    public Scenario withPrecision(Precision value) {
        return new Scenario(model, workload, training, value, shape, parallelism, kvCache, hardware, runtime,
                overheads, efficiencies);
    }

    public Scenario withTraining(Training value) {
        return new Scenario(model, workload, value, precision, shape, parallelism, kvCache, hardware, runtime,
                overheads, efficiencies);
    }

    public Scenario withParallelism(Parallelism value) {
        return new Scenario(model, workload, training, precision, shape, value, kvCache, hardware, runtime,
                overheads, efficiencies);
    }

    public Scenario withHardware(Hardware value) {
        return new Scenario(model, workload, training, precision, shape, parallelism, kvCache, value, runtime,
                overheads, efficiencies);
    }

    public Scenario withOverheads(RuntimeOverheads value) {
        return new Scenario(model, workload, training, precision, shape, parallelism, kvCache, hardware, runtime,
                value, efficiencies);
    }

    public Scenario withEfficiencies(Efficiencies value) {
        return new Scenario(model, workload, training, precision, shape, parallelism, kvCache, hardware, runtime,
                overheads, value);
    }

    /** Every problem with this scenario, each naming the field, the value and what is allowed. */
    public List<String> problems() {
        return problems(true);
    }

    /**
     * As {@link #problems()} for a scenario sized without a GPU ({@link SizingEngine#estimateWithoutGpu}): no GPU
     * is required, and what only a GPU's machine gives (offload, nodes, a unified share) may not be asked for.
     */
    public List<String> problemsWithoutGpu() {
        return problems(false);
    }

    private List<String> problems(boolean gpuRequired) {
        List<String> problems = new ArrayList<>();
        if (model == null || (model.catalogId() == null && model.architecture() == null && model.parameters() == null)) {
            problems.add("model: a catalog id, a config.json, an architecture or a parameter count is required");
        } else {
            CatalogIds.problem("model", model.catalogId()).ifPresent(problems::add);
            if (model.parameters() != null) {
                range(problems, "params", model.parameters(), MIN_PARAMETERS, MAX_PARAMETERS);
                if (model.largestLayerParameters() != null) {
                    range(problems, "largest-layer", model.largestLayerParameters(), 1, model.parameters());
                }
            }
        }
        range(problems, "batch", shape.batch(), 1, MAX_BATCH);
        range(problems, "seq (input tokens)", shape.inputTokens(), 1, MAX_TOKENS);
        range(problems, "output-tokens", shape.outputTokens(), workload.isTraining() ? 0 : 1, MAX_TOKENS);
        boolean degreesValid = parallelism.tensor() != null && Ranges.within(parallelism.tensor(), 1, MAX_TP)
                && Ranges.within(parallelism.pipeline(), 1, MAX_PP) && Ranges.within(parallelism.data(), 1, MAX_GPUS);
        range(problems, "tp", parallelism.tensor(), 1, MAX_TP);
        range(problems, "pp", parallelism.pipeline(), 1, MAX_PP);
        range(problems, "dp", parallelism.data(), 1, MAX_GPUS);
        range(problems, "virtual-stages", parallelism.virtualStages(), 1, 64);
        range(problems, "expert-parallel", parallelism.expertParallel(), 1, 1024);
        range(problems, "zero", parallelism.zeroStage(), 0, 3);
        range(problems, "micro-batch", training.microBatch(), 1, MAX_BATCH);
        range(problems, "grad-accum", training.gradientAccumulation(), 1, 1 << 20);
        range(problems, "lora-rank", training.loraRank(), 1, 65536);
        if (!GRADIENT_FORMATS.contains(training.gradientPrecision())) {
            problems.add("grad-precision = " + training.gradientPrecision().label() + ": must be one of fp16, bf16, fp32");
        }
        if (training.trainTokens() != null) {
            range(problems, "train-tokens", training.trainTokens(), 1, 1e16);
        }
        range(problems, "group-size", precision.groupSize(), 8, 65536); // unused by most formats, still a typo
        if (kvCache.pagedBlockTokens() != null) {
            range(problems, "paged-block-tokens", kvCache.pagedBlockTokens(), 0, 4096);
        }
        range(problems, "shared-prefix-tokens", kvCache.sharedPrefixTokens(), 0, shape.inputTokens());
        boolean gpuGiven = hardware != null && hardware.gpuId() != null && !hardware.gpuId().isBlank();
        if (!gpuGiven && gpuRequired) {
            problems.add("gpu: a GPU id from the catalog is required ('headroom catalog list gpus')");
        } else if (!gpuGiven) {
            if (hardware != null && (hardware.offload().any() || hardware.unifiedGpuShare() != null)) {
                problems.add("gpu: offloading to the host and a unified-memory share need a GPU (--gpu ID)");
            }
        } else {
            CatalogIds.problem("gpu", hardware.gpuId()).ifPresent(problems::add);
            range(problems, "gpus", hardware.count(), 1, MAX_GPUS);
            hardwareProblems(problems);
            // The product and the divisibility only mean something once each degree is in range: a 0 would divide
            // by zero and a negative would be reported as the product instead of as itself.
            if (degreesValid) {
                gpuCountProblems(problems);
            }
        }
        if (workload == Workload.INFERENCE && parallelism.zeroStage() > 0) {
            problems.add("zero = " + parallelism.zeroStage() + ": ZeRO applies to training; use 0 for inference");
        }
        if (training.method() != FinetuneMethod.FULL && workload != Workload.FINETUNE) {
            problems.add("method = " + training.method().label() + ": LoRA and QLoRA are fine-tuning methods;"
                    + " use --workload finetune");
        }
        if (workload.isTraining() && training.method() == FinetuneMethod.FULL && !precision.weights().trainable()) {
            problems.add("weights = " + precision.weights().label() + ": full training updates 16- or 32-bit"
                    + " weights; use --method lora/qlora to train over quantized weights");
        }
        overheadProblems(problems);
        efficiencyProblems(problems);
        return problems;
    }

    private void gpuCountProblems(List<String> problems) {
        long product = parallelism.gpus();
        int count = hardware.count();
        if (product > MAX_GPUS) {
            problems.add("tp x pp x dp = " + product + ": must be at most " + MAX_GPUS);
        } else if (!Ranges.within(count, 1, MAX_GPUS)) {
            return; // reported as gpus = N
        } else if (product > count) {
            problems.add(String.format(Locale.ROOT, "tp x pp x dp = %d: needs at least that many GPUs, gpus = %d",
                    product, count));
        } else if (count % product != 0) {
            problems.add(String.format(Locale.ROOT, "gpus = %d: must be a multiple of tp x pp x dp = %d", count,
                    product));
        }
    }

    /** Node, offload and unified-memory fields that are wrong whatever the GPU is. */
    private void hardwareProblems(List<String> problems) {
        Nodes n = hardware.nodes();
        Ranges.optional(problems, "nodes", n.nodes(), 1, MAX_GPUS);
        Ranges.optional(problems, "gpus-per-node", n.gpusPerNode(), 1, 1024);
        if (n.network() != null) {
            CatalogIds.problem("network", n.network()).ifPresent(problems::add);
        }
        Offload o = hardware.offload();
        Ranges.optional(problems, "gpu-layers", o.gpuLayers(), 0, 100_000);
        Offload.unitProblems(problems, o.cpuOffloadBytes() == null ? null : o.cpuOffloadBytes() / Format.GIB,
                o.hostMemoryBytes() == null ? null : o.hostMemoryBytes() / Format.GIB,
                o.hostBandwidth() == null ? null : o.hostBandwidth() / 1e9, hardware.unifiedGpuShare());
        if (o.gpuLayers() != null && o.cpuOffloadBytes() != null && o.cpuOffloadBytes() > 0) {
            problems.add("gpu-layers and cpu-offload-gb: choose one; --gpu-layers is llama.cpp's placement,"
                    + " --cpu-offload-gb vLLM's");
        }
        if (o.gpuLayers() != null && (parallelism.tensor() != 1 || parallelism.pipeline() != 1)) {
            problems.add("gpu-layers = " + o.gpuLayers() + ": layer offload is modelled on one GPU (tp = 1, pp = 1)");
        }
        if (o.any() && workload.isTraining()) {
            problems.add("gpu-layers / cpu-offload-gb place inference weights in host memory; for training use"
                    + " --offload-optimizer");
        }
    }

    /**
     * Settings that are allowed but contradict each other, so the user probably meant something else; each is one
     * sentence naming the fields. The estimate is still made.
     */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        if (training.method() == FinetuneMethod.FULL && training.loraRank() != DEFAULT_LORA_RANK) {
            warnings.add("lora-rank = " + training.loraRank() + " has no effect without --method lora or qlora");
        }
        if (workload.isTraining() && parallelism.zeroStage() > 0 && parallelism.data() == 1) {
            warnings.add("zero = " + parallelism.zeroStage() + " with dp = 1: ZeRO shards over the data-parallel"
                    + " GPUs, so with one it saves nothing");
        }
        if (parallelism.virtualStages() > 1 && parallelism.pipeline() == 1) {
            warnings.add("virtual-stages = " + parallelism.virtualStages() + " has no effect with pp = 1");
        }
        if (workload.isTraining() && shape.batch() > 1 && training.microBatch() > shape.batch()) {
            warnings.add("micro-batch = " + training.microBatch() + " is above batch = " + shape.batch()
                    + ": training sizes one micro-batch per GPU; batch is not used");
        }
        return warnings;
    }

    private void overheadProblems(List<String> problems) {
        RuntimeOverheads o = overheads;
        optionalRange(problems, "cuda-context-bytes", o.cudaContextBytes(), 0, 1e11);
        optionalRange(problems, "workspace-bytes", o.workspaceBytes(), 0, 1e11);
        optionalRange(problems, "multi-gpu-workspace-bytes", o.multiGpuWorkspaceBytes(), 0, 1e11);
        optionalRange(problems, "cuda-graph-bytes", o.cudaGraphBytes(), 0, 1e11);
        optionalRange(problems, "fragmentation", o.fragmentation(), 0, 0.9);
        optionalRange(problems, "gpu-memory-utilization (memory reservation)", o.memoryReservation(), 0.05, 1);
        optionalRange(problems, "launch-seconds-per-layer", o.launchSecondsPerLayer(), 0, 1);
        optionalRange(problems, "prefill-chunk", o.prefillChunkTokens(), 0, MAX_TOKENS);
    }

    private void efficiencyProblems(List<String> problems) {
        Efficiencies e = efficiencies;
        optionalRange(problems, "mfu", e.mfu(), 0.01, 1);
        optionalRange(problems, "prefill-efficiency", e.prefillEfficiency(), 0.01, 1);
        optionalRange(problems, "bandwidth-efficiency", e.bandwidthEfficiency(), 0.01, 1);
        optionalRange(problems, "interconnect-efficiency", e.interconnectEfficiency(), 0.01, 1);
        optionalRange(problems, "collective-latency-seconds", e.collectiveLatencySeconds(), 0, 1);
    }

    private static void range(List<String> problems, String field, Number value, double min, double max) {
        Ranges.required(problems, field, value, min, max);
    }

    private static void optionalRange(List<String> problems, String field, Number value, double min, double max) {
        Ranges.optional(problems, field, value, min, max);
    }
}
