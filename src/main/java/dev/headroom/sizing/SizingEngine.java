package dev.headroom.sizing;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.Gpu;
import dev.headroom.catalog.GpuClass;
import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.common.Format;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario x Catalog -> Estimate, a pure function. Validation first (every problem at once), then memory per
 * stage, the fit searches, speed, and the assumptions behind each number.
 */
public final class SizingEngine {
    /** Tensor-parallel sizes the GPU-count search tries: one NVLink domain holds up to 8 GPUs (NVIDIA guidance). */
    private static final int[] TENSOR_SIZES = {1, 2, 4, 8};

    private static final String VLLM_RESERVES = " % of the GPU whatever the load; nvidia-smi will show that, not this total";
    private static final String VLLM_RESERVES_DEFAULT = "vLLM pre-allocates 90" + VLLM_RESERVES;

    private final Catalog catalog;

    public SizingEngine(Catalog catalog) {
        this.catalog = catalog;
    }

    public Estimate estimate(Scenario scenario) {
        return evaluate(scenario).estimate();
    }

    /**
     * How much memory the scenario needs before any GPU is chosen: per GPU of its tensor x pipeline split, with
     * the runtime's CUDA overheads (the backend most GPUs run; the assumptions say so), the KV cache per token and
     * the rule of thumb. Fit, speed, layout and host memory need a GPU and are null; {@link GpuComparison} says how
     * many of each catalog GPU it takes.
     */
    public Estimate estimateWithoutGpu(Scenario scenario) {
        List<String> problems = scenario.problemsWithoutGpu();
        ResolvedModel model = scenario.model() == null ? null
                : ResolvedModel.resolve(scenario.model(), catalog, problems);
        if (model != null) {
            structuralProblems(scenario, model, problems);
        }
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
        List<String> warnings = new ArrayList<>(scenario.warnings());
        WeightFormat weights = effectiveWeights(scenario, warnings);
        RuntimeProfile runtime = scenario.runtime().on(Gpu.Backend.CUDA);
        RuntimeOverheads overheads = scenario.overheads().over(runtime.defaults(Gpu.Backend.CUDA));
        Efficiencies efficiencies = scenario.efficiencies().over(Efficiencies.DEFAULTS);
        MemoryModel memory = new MemoryModel(scenario, model, weights, overheads);
        PeakMemory peak = peakMemory(scenario, model, memory, Step.of(scenario));
        return new Estimate(model.name(), model.parameters(), model.activeParameters(), peak.memory(), null,
                peak.kvPerToken(), peak.kvByContext(), ruleOfThumb(scenario, model, weights), null, null, null,
                new LazyMap<>(() -> Assumptions.of(scenario, runtime, memory, weights, overheads, efficiencies,
                        null, null, 0)), warnings);
    }

    /** The heaviest stage's memory and the KV cache per token: what an estimate reports with a GPU or without. */
    private record PeakMemory(MemoryModel.Breakdown breakdown, Estimate.Memory memory, Long kvPerToken,
                              Map<String, Long> kvByContext) {
    }

    /** The split and the step one GPU holds: a training micro-batch, or the inference batch with its outputs. */
    private record Step(int t, int p, boolean training, int batch, int input, int output) {
        static Step of(Scenario scenario) {
            boolean training = scenario.workload().isTraining();
            return new Step(scenario.parallelism().tensor(), scenario.parallelism().pipeline(), training,
                    training ? scenario.training().microBatch() : scenario.shape().batch(),
                    scenario.shape().inputTokens(), training ? 0 : scenario.shape().outputTokens());
        }
    }

    private PeakMemory peakMemory(Scenario scenario, ResolvedModel model, MemoryModel memory, Step step) {
        int t = step.t();
        int p = step.p();
        int heaviest = memory.heaviestStage(step.batch(), step.input(), step.output(), t, p);
        MemoryModel.Breakdown peak = memory.stage(heaviest, step.batch(), step.input(), step.output(), t, p);
        String stage = p == 1 ? "only" : heaviest == 0 ? "first" : heaviest == p - 1 ? "last" : "middle";
        boolean training = step.training();
        boolean kvApplies = model.hasArchitecture() && !training;
        return new PeakMemory(peak, memoryOf(scenario, peak, model.hasArchitecture(), training, stage),
                kvApplies ? Long.valueOf(Math.round(memory.kvBytesPerTokenAt(step.input() + step.output()))) : null,
                kvApplies ? kvByContext(memory) : null);
    }

    /**
     * What the serving simulator needs of one replica: the KV block budget and the step-time function of a mixed
     * continuous-batching step, from the same models as {@link #estimate}. The scenario's shape is the workload's
     * mean request (batch 1); {@code maxBatchedTokens} is the token budget of one step, at which the runtime
     * profiles its activation peak before it hands the rest to the KV cache (vLLM's profile run).
     */
    public ServingProfile servingProfile(Scenario scenario, int maxBatchedTokens) {
        // The scenario as given, before its prefill chunk gives way to the scheduler's step budget.
        List<String> problems = new ArrayList<>(scenario.problems());
        if (scenario.workload().isTraining()) {
            problems.add("workload = " + scenario.workload().label() + ": the serving simulator serves inference only");
        }
        if (scenario.hardware() != null && scenario.hardware().offload().gpuLayers() != null) {
            problems.add("gpu-layers = " + scenario.hardware().offload().gpuLayers() + ": the simulator schedules as"
                    + " vLLM does; llama.cpp's CPU layers are not simulated (use --cpu-offload-gb)");
        }
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
        RuntimeOverheads o = scenario.overheads();
        Scenario profiled = scenario.withOverheads(new RuntimeOverheads(o.cudaContextBytes(), o.workspaceBytes(),
                o.multiGpuWorkspaceBytes(), o.cudaGraphBytes(), o.fragmentation(), o.memoryReservation(),
                o.pagedBlockTokens(), o.launchSecondsPerLayer(), maxBatchedTokens));
        Evaluated e = evaluate(profiled);
        int context = e.model().hasArchitecture() ? e.model().architecture().maxContextTokens() : Integer.MAX_VALUE;
        return new ServingProfile(profiled, e.estimate(), e.memory(), e.speed(), e.machine(), e.overheads(),
                maxBatchedTokens, context);
    }

    /** An estimate with the models it was computed from, for callers inside the engine that need more of them. */
    private record Evaluated(Estimate estimate, ResolvedModel model, MemoryModel memory, PerformanceModel speed, ResolvedHardware machine,
                             RuntimeOverheads overheads) {
    }

    private Evaluated evaluate(Scenario scenario) {
        List<String> problems = scenario.problems();
        ResolvedModel model = scenario.model() == null ? null
                : ResolvedModel.resolve(scenario.model(), catalog, problems);
        Gpu gpu = null;
        if (scenario.hardware() != null && scenario.hardware().gpuId() != null) {
            gpu = catalog.gpu(scenario.hardware().gpuId()).orElse(null);
            if (gpu == null) {
                problems.add("gpu = " + Format.echo(scenario.hardware().gpuId()) + ": no such GPU id; 'headroom catalog list gpus' lists them");
            }
        }
        if (model != null) {
            structuralProblems(scenario, model, problems);
        }
        // The machine is resolved once the scenario's own fields are sound: its checks divide by them.
        ResolvedHardware machine = gpu != null && problems.isEmpty()
                ? ResolvedHardware.resolve(scenario, gpu, catalog, problems) : null;
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }

        List<String> warnings = new ArrayList<>(scenario.warnings());
        WeightFormat weights = effectiveWeights(scenario, warnings);
        RuntimeProfile runtime = scenario.runtime().on(gpu.backend());
        if (runtime != scenario.runtime()) {
            warnings.add(scenario.runtime().label() + " does not run on " + gpu.name() + " (" + backendName(gpu.backend())
                    + "); sized with " + runtime.label() + " instead: choose with --runtime");
        }
        RuntimeOverheads overheads = scenario.overheads().over(runtime.defaults(gpu.backend()));
        Efficiencies efficiencies = scenario.efficiencies().over(Efficiencies.DEFAULTS);
        MemoryModel memory = new MemoryModel(scenario, model, weights, overheads);
        Step step = Step.of(scenario);
        int t = step.t();
        int p = step.p();
        boolean training = step.training();
        int batch = step.batch();
        int input = step.input();
        int output = step.output();

        PeakMemory peakMemory = peakMemory(scenario, model, memory, step);
        MemoryModel.Breakdown peak = peakMemory.breakdown();

        long capacity = machine.gpuCapacityBytes();
        long usable = (long) (capacity * overheads.memoryReservation());
        Estimate.Memory memoryOut = peakMemory.memory();
        Estimate.Fit fit = fit(scenario, model, machine, memory, memoryOut, usable, batch, input, output, t, p, warnings);
        Estimate.Host host = training ? null : hostMemory(scenario, memory, machine, batch, input, output, warnings);
        if (host != null && !host.fits()) {
            fit = fit.notFitting();
            warnings.add(String.format(Locale.ROOT, "does not fit in host memory: the offloaded %s need %s of the %s"
                    + " host memory (--host-memory)", host.gpuLayers() != null ? "layers" : "weights",
                    Format.gib(host.totalBytes()), Format.gib(host.capacityBytes())));
        }

        ComputeRate rate = ComputeRate.of(gpu, scenario, weights);
        if (rate.warning() != null) {
            warnings.add(rate.warning());
        }
        double peakFlops = rate.flops();
        PerformanceModel speed = new PerformanceModel(memory, model, machine, peakFlops, efficiencies, overheads);
        Speed run = training
                ? trainingPerformance(scenario, speed, memory, peak, machine, warnings)
                : inferencePerformance(speed, scenario, machine, batch, input, output);
        Estimate.Performance performance = run.performance();

        addWarnings(scenario, runtime, model, machine, overheads, fit, warnings);
        long ruleOfThumb = ruleOfThumb(scenario, model, weights);
        Estimate estimate = new Estimate(model.name(), model.parameters(), model.activeParameters(), memoryOut, host,
                peakMemory.kvPerToken(), peakMemory.kvByContext(), ruleOfThumb, fit, performance, run.layout(),
                new LazyMap<>(() -> Assumptions.of(scenario, runtime, memory, weights, overheads, efficiencies,
                        machine, rate, speed.linkBandwidth())),
                warnings);
        return new Evaluated(estimate, model, memory, speed, machine, overheads);
    }

    private static String backendName(Gpu.Backend backend) {
        return switch (backend) {
            case CUDA -> "CUDA";
            case ROCM -> "ROCm";
            case METAL -> "Metal, no CUDA";
            case GAUDI -> "Gaudi";
        };
    }

    /**
     * What CPU offload keeps in one node's host memory: llama.cpp's CPU layers with their KV cache and the input
     * embedding, or vLLM's offloaded weights of every GPU in the node. Null when nothing is offloaded.
     */
    private static Estimate.Host hostMemory(Scenario scenario, MemoryModel memory, ResolvedHardware machine, int batch,
                                            int input, int output, List<String> warnings) {
        Scenario.Offload offload = scenario.hardware().offload();
        if (!offload.any()) {
            return null;
        }
        double weights;
        double kv = 0;
        Integer gpuLayers = null;
        if (memory.layerOffload) {
            weights = memory.weightBytes(memory.hostLayers());
            kv = memory.kvCache(0, memory.gpuLayerStart, batch, input, output, 1);
            gpuLayers = memory.layers - memory.gpuLayerStart;
        } else {
            Scenario.Parallelism parallelism = scenario.parallelism();
            double perGpu = memory.offloadedBytesPerGpu(parallelism.tensor(), parallelism.pipeline());
            weights = perGpu * Math.min(machine.gpus(), machine.gpusPerNode());
            if (memory.cpuOffloadBytes > perGpu) {
                warnings.add(String.format(Locale.ROOT, "cpu-offload-gb = %s is more than the %s of weights per GPU:"
                        + " all of them are offloaded", Format.plain(memory.cpuOffloadBytes / Format.GIB),
                        Format.gib(Math.round(perGpu))));
            }
        }
        long total = Math.round(weights + kv);
        return new Estimate.Host(Math.round(weights), Math.round(kv), total, machine.hostCapacityBytes(),
                total <= machine.hostCapacityBytes(), machine.hostBandwidth(), machine.hostName(), gpuLayers,
                memory.layerOffload ? memory.gpuLayerStart : null, memory.layerOffload ? memory.outputOnGpu : null);
    }

    /** Contexts at which KV bytes per token are reported: where windows of 1k to 8k and states change the answer. */
    static final int[] KV_CONTEXTS = {1_024, 8_192, 32_768, 131_072};

    private static Map<String, Long> kvByContext(MemoryModel memory) {
        Map<String, Long> byContext = new LinkedHashMap<>();
        for (int context : KV_CONTEXTS) {
            byContext.put(Integer.toString(context), Math.round(memory.kvBytesPerTokenAt(context)));
        }
        return byContext;
    }

    private static Estimate.Memory memoryOf(Scenario scenario, MemoryModel.Breakdown b, boolean architecture,
                                            boolean training, String stage) {
        return new Estimate.Memory(bytes(scenario, "weights", b.weights()),
                architecture && !training ? Long.valueOf(bytes(scenario, "KV cache", b.kvCache())) : null,
                architecture ? Long.valueOf(bytes(scenario, "activations", b.activations())) : null,
                training ? Long.valueOf(bytes(scenario, "gradients", b.gradients())) : null,
                training ? Long.valueOf(bytes(scenario, "optimizer states", b.optimizer())) : null,
                bytes(scenario, "overhead", b.overhead()), bytes(scenario, "total memory", b.total()), stage);
    }

    /**
     * A byte figure as a long. Every input can be inside its range while their product is beyond 2^63 bytes
     * (8 EiB), where Math.round would quietly answer Long.MAX_VALUE: that is an error naming the inputs.
     */
    private static long bytes(Scenario scenario, String what, double value) {
        if (!(value < 0x1p63)) {
            Scenario.Shape shape = scenario.shape();
            long sequence = (long) shape.inputTokens() + (scenario.workload().isTraining() ? 0 : shape.outputTokens());
            int batch = scenario.workload().isTraining() ? scenario.training().microBatch() : shape.batch();
            throw new ScenarioException(List.of(String.format(Locale.ROOT,
                    "%s x (seq + output-tokens) = %d x %d = %d tokens: the %s per GPU would exceed 2^63 bytes;"
                            + " lower the batch or the tokens, or raise tp/pp",
                    scenario.workload().isTraining() ? "micro-batch" : "batch", batch, sequence,
                    Math.multiplyExact((long) batch, sequence), what)));
        }
        return Math.round(value);
    }

    /** Checks that need the resolved model: parallel degrees that the architecture cannot be split into. */
    private static void structuralProblems(Scenario scenario, ResolvedModel model, List<String> problems) {
        Scenario.Parallelism parallelism = scenario.parallelism();
        ModelArchitecture a = model.architecture();
        Integer gpuLayers = scenario.hardware() == null ? null : scenario.hardware().offload().gpuLayers();
        if (a == null) {
            if (gpuLayers != null) {
                problems.add("gpu-layers = " + gpuLayers + ": placing layers needs the model's layers; give --model"
                        + " or the architecture flags instead of --params, or use --cpu-offload-gb");
            }
            return; // a parameter count splits any way; the estimate warns about what it cannot compute
        }
        int t = parallelism.tensor();
        if (t < 1 || parallelism.pipeline() < 1 || parallelism.data() < 1 || parallelism.expertParallel() < 1) {
            return; // divides by the degrees; the scenario's own check reports the one out of range
        }
        if (a.attentionHeads() % t != 0) {
            problems.add(String.format(Locale.ROOT, "tp = %d: must divide the attention heads (%d)", t,
                    a.attentionHeads()));
        }
        if (a.mla() == null && a.kvHeads() % t != 0 && t % a.kvHeads() != 0) {
            problems.add(String.format(Locale.ROOT, "tp = %d: must divide the KV heads (%d) or be a multiple of them",
                    t, a.kvHeads()));
        }
        if (parallelism.pipeline() > a.layers()) {
            problems.add(String.format(Locale.ROOT, "pp = %d: must be between 1 and the layer count (%d)",
                    parallelism.pipeline(), a.layers()));
        }
        int e = parallelism.expertParallel();
        if (e > 1) {
            if (a.moe() == null) {
                problems.add("expert-parallel = " + e + ": the model has no experts; use 1");
            } else if (a.moe().experts() % e != 0) {
                problems.add(String.format(Locale.ROOT, "expert-parallel = %d: must divide the experts (%d)", e,
                        a.moe().experts()));
            } else if (((long) t * parallelism.data()) % e != 0) {
                problems.add(String.format(Locale.ROOT,
                        "expert-parallel = %d: must divide tp x dp (%d), the GPUs that share a stage", e,
                        t * parallelism.data()));
            }
        }
    }

    /** QLoRA freezes the base weights in 4-bit NF4 with double quantization (Dettmers et al. 2023). */
    private static WeightFormat effectiveWeights(Scenario scenario, List<String> warnings) {
        WeightFormat weights = scenario.precision().weights();
        boolean qlora = scenario.workload() == Workload.FINETUNE
                && scenario.training().method() == FinetuneMethod.QLORA;
        if (qlora && weights != WeightFormat.NF4 && weights != WeightFormat.NF4_DOUBLE_QUANT) {
            warnings.add("QLoRA stores the frozen weights as NF4 with double quantization; weights = "
                    + weights.label() + " was replaced by nf4-dq");
            return WeightFormat.NF4_DOUBLE_QUANT;
        }
        return weights;
    }

    private Estimate.Fit fit(Scenario scenario, ResolvedModel model, ResolvedHardware machine, MemoryModel memory,
                             Estimate.Memory current, long usable, int batch, int input, int output, int t, int p,
                             List<String> warnings) {
        Gpu gpu = machine.gpu();
        boolean fits = current.totalBytes() <= usable;
        Integer askedPerNode = scenario.hardware().nodes().gpusPerNode();
        int[] layout = minimumLayout(model, memory, usable, batch, input, output, gpu.interconnect().gpuLink() != null,
                !scenario.workload().isTraining(), askedPerNode != null ? askedPerNode : gpu.node().gpusPerNode());
        // Without an architecture nothing grows with the batch, so a largest batch would be made up.
        Integer maxBatch = model.hasArchitecture() ? maxBatch(memory, usable, input, output, t, p) : null;
        Integer maxContext = null;
        Long concurrent = null;
        if (model.hasArchitecture()) {
            int modelContext = model.architecture().maxContextTokens();
            maxContext = maxContext(memory, usable, batch, output, t, p, modelContext);
            if (!scenario.workload().isTraining() && current.kvCacheBytes() != null && current.kvCacheBytes() > 0) {
                // What one more sequence adds: a shared prefix is stored once, not per sequence.
                double perSequence = memory.stageKvCache(0, p, 2, input, output, t) - memory.stageKvCache(0, p, 1, input, output, t);
                double withoutKv = current.totalBytes() - current.kvCacheBytes() * (1 + memory.fragmentation);
                concurrent = perSequence <= 0 ? null
                        : Math.max(0, (long) Math.floor((usable - withoutKv) / (perSequence * (1 + memory.fragmentation))));
                if (concurrent != null && concurrent > 0 && concurrent < batch) {
                    boolean fp8Cache = scenario.precision().kvCache().bytes() <= 1;
                    // concatenated, not formatted: the recommender's screen raises this by the thousand
                    warnings.add("the KV cache holds " + concurrent + " sequences of " + Format.thousands(input + output)
                            + " tokens, fewer than the batch of " + batch + ": the runtime runs " + concurrent
                            + " at once and queues the rest; lower --batch to " + concurrent + ", shorten --seq, spread"
                            + " the model over more GPUs (--tp)" + (fp8Cache ? "" : " or store the cache in FP8"
                            + " (--kv-cache fp8)"));
                }
            }
            if (input + output > modelContext) {
                warnings.add(String.format(Locale.ROOT, "%,d tokens per sequence exceed the %,d the model was trained"
                        + " on: quality past it is not what its benchmarks show; keep --seq plus --output-tokens at"
                        + " %,d or less, or choose a long-context model", input + output, modelContext, modelContext));
            }
        }
        return new Estimate.Fit(gpu.id(), machine.gpuCapacityBytes(), usable, fits, usable - current.totalBytes(),
                layout == null ? null : layout[0] * layout[1] * (scenario.workload().isTraining()
                        ? scenario.parallelism().data() : 1),
                layout == null ? null : layout[0], layout == null ? null : layout[1], maxBatch, maxContext, concurrent);
    }

    /**
     * Smallest tensor x pipeline split that fits, tensor parallelism inside one node. On a tie, GPUs with NVLink take the larger tensor split (inside
     * the NVLink domain, as NVIDIA advises); GPUs on PCIe only take the pipeline, whose traffic is far smaller.
     * Inference memory only falls as the pipeline deepens; training activations need not (the first stage holds
     * p in-flight micro-batches of ceil(L/p) layers), so training scans the depths in order.
     */
    private static int[] minimumLayout(ResolvedModel model, MemoryModel memory, long usable, int batch, int input,
                                       int output, boolean preferTensor, boolean monotone, int gpusPerNode) {
        int bestGpus = Integer.MAX_VALUE;
        int[] best = null;
        int maxPipeline = model.hasArchitecture() ? model.architecture().layers() : 64;
        // Widest tensor split first: it usually fits with the shallowest pipeline, and every later (narrower)
        // split then only needs to look at pipelines short enough to beat it.
        for (int i = TENSOR_SIZES.length - 1; i >= 0; i--) {
            int t = TENSOR_SIZES[i];
            if (t > gpusPerNode || gpusPerNode % t != 0 || (model.hasArchitecture() && !splits(model.architecture(), t))) {
                continue;
            }
            // A narrower split must use fewer GPUs to win (or as many, where ties go to the pipeline).
            int limit = best != null && preferTensor ? (bestGpus - 1) / t : bestGpus / t;
            int maxUseful = Math.min(maxPipeline, limit);
            if (maxUseful < 1) {
                continue;
            }
            int low;
            if (monotone) {
                double shallow = memory.peakTotal(batch, input, output, t, 1);
                if (shallow <= usable) {
                    low = 1;
                } else if (maxUseful == 1) {
                    continue;
                } else {
                    double deepest = memory.peakTotal(batch, input, output, t, maxUseful);
                    if (deepest > usable) {
                        continue;
                    }
                    low = smallestFittingPipeline(memory, usable, batch, input, output, t, maxUseful, shallow, deepest);
                }
            } else {
                low = 1;
                while (low <= maxUseful && memory.peakTotal(batch, input, output, t, low) > usable) {
                    low++;
                }
                if (low > maxUseful) {
                    continue;
                }
            }
            boolean fewer = t * low < bestGpus;
            boolean tieWon = t * low == bestGpus && (preferTensor ? t > best[0] : t < best[0]);
            if (fewer || tieWon) {
                bestGpus = t * low;
                best = new int[] {t, low};
            }
        }
        return best;
    }

    /**
     * Per-GPU memory falls like A + B / p as the pipeline deepens; solving that from the two ends gives the answer
     * or a neighbour of it, which a short walk settles (a bisection would need about log2(layers) evaluations).
     */
    private static int smallestFittingPipeline(MemoryModel memory, long usable, int batch, int input, int output,
                                               int t, int deepestPipeline, double shallow, double deepest) {
        double b = (shallow - deepest) / (1 - 1.0 / deepestPipeline);
        double a = shallow - b;
        int guess = usable - a <= 0 ? deepestPipeline
                : (int) Math.max(2, Math.min(deepestPipeline, Math.ceil(b / (usable - a))));
        int p = guess;
        while (p < deepestPipeline && memory.peakTotal(batch, input, output, t, p) > usable) {
            p++;
        }
        while (p > 2 && memory.peakTotal(batch, input, output, t, p - 1) <= usable) {
            p--;
        }
        return p;
    }

    private static boolean splits(ModelArchitecture a, int t) {
        return a.attentionHeads() % t == 0 && (a.mla() != null || a.kvHeads() % t == 0 || t % a.kvHeads() == 0);
    }

    /** Largest batch (training: micro-batch) at this sequence length; 0 when even one does not fit. */
    private static Integer maxBatch(MemoryModel memory, long usable, int input, int output, int t, int p) {
        if (memory.peakTotal(1, input, output, t, p) > usable) {
            return 0;
        }
        return largestFitting(batch -> memory.peakTotal(batch, input, output, t, p), 1, Scenario.MAX_BATCH, usable);
    }

    /** Longest sequence (prompt + output) at this batch, capped at the model's context; 0 when none fits. */
    private static Integer maxContext(MemoryModel memory, long usable, int batch, int output, int t, int p,
                                      int modelContext) {
        if (memory.peakTotal(batch, 1, output, t, p) > usable) {
            return 0;
        }
        int high = Math.max(1, modelContext - output);
        return largestFitting(input -> memory.peakTotal(batch, input, output, t, p), 1, high, usable) + output;
    }

    /**
     * Largest x in [low, high] whose memory fits, given that x = low fits and memory never falls as x grows.
     * Memory is close to linear in the batch and the length (flash attention; block rounding and prefill chunks
     * bend it), so the bracket is narrowed by interpolation, with a bisection whenever an interpolation fails to
     * halve it (eager attention's s^2 terms): a handful of evaluations instead of about twenty.
     */
    static int largestFitting(java.util.function.IntToDoubleFunction memory, int low, int high, double usable) {
        double atHigh = memory.applyAsDouble(high);
        if (atHigh <= usable) {
            return high;
        }
        double atLow = memory.applyAsDouble(low);
        while (high - low > 1) {
            int width = high - low;
            int guess = (int) Math.round(low + (usable - atLow) / (atHigh - atLow) * width);
            guess = Math.max(low + 1, Math.min(high - 1, guess));
            double at = memory.applyAsDouble(guess);
            if (at <= usable) {
                low = guess;
                atLow = at;
                // Where memory is linear the guess is the answer: one step up proves it.
                if (high - low > 1) {
                    double next = memory.applyAsDouble(low + 1);
                    if (next > usable) {
                        return low;
                    }
                    low++;
                    atLow = next;
                }
            } else {
                high = guess;
                atHigh = at;
                if (high - low > 1) {
                    double previous = memory.applyAsDouble(high - 1);
                    if (previous <= usable) {
                        return high - 1;
                    }
                    high--;
                    atHigh = previous;
                }
            }
            if (high - low > width / 2) {
                int half = (low + high) >>> 1;
                double atHalf = memory.applyAsDouble(half);
                if (atHalf <= usable) {
                    low = half;
                    atLow = atHalf;
                } else {
                    high = half;
                    atHigh = atHalf;
                }
            }
        }
        return low;
    }

    /** The speed figures of an estimate and where its traffic went. */
    private record Speed(Estimate.Performance performance, Estimate.Layout layout) {
    }

    private static Speed inferencePerformance(PerformanceModel speed, Scenario scenario, ResolvedHardware machine,
                                              int batch, int input, int output) {
        Scenario.Parallelism parallelism = scenario.parallelism();
        int t = parallelism.tensor();
        int p = parallelism.pipeline();
        PerformanceModel.Inference run = speed.inference(batch, input, output, t, p);
        return new Speed(new Estimate.Performance(run.prefillSeconds(), run.prefillBound(), run.timePerOutputToken(),
                run.decodeBound(), run.outputTokensPerSecond(), run.requestLatency(), null, null, null, null, null, null),
                layout(speed, machine, parallelism, run.tensorSeconds(), run.pipelineSeconds(), null, null,
                        run.expertSeconds()));
    }

    private static Speed trainingPerformance(Scenario scenario, PerformanceModel speed, MemoryModel memory,
                                             MemoryModel.Breakdown peak, ResolvedHardware machine,
                                             List<String> warnings) {
        Scenario.Training training = scenario.training();
        Scenario.Parallelism parallelism = scenario.parallelism();
        int t = parallelism.tensor();
        int p = parallelism.pipeline();
        boolean frozen = scenario.workload() == Workload.FINETUNE && training.method() != FinetuneMethod.FULL;
        double factor = (frozen ? 4 : 6) + (training.recompute() == Recompute.FULL ? 2 : 0);
        double gradientBytesPerRank = peak.gradients() * (parallelism.zeroStage() >= 2 ? parallelism.data() : 1);
        double weightBytesPerRank = memory.weightBytes(memory.stageParams(0, p, t)); // unsharded, without buffers
        PerformanceModel.Training run = speed.training(training.microBatch(), scenario.shape().inputTokens(), t, p,
                parallelism.data(), training.gradientAccumulation(), parallelism.virtualStages(), factor,
                training.recompute(), parallelism.zeroStage(), gradientBytesPerRank, weightBytesPerRank);
        TrainingWarnings.add(scenario, run, warnings);
        Double days = null;
        Double gpuHours = null;
        if (training.trainTokens() != null) {
            double seconds = training.trainTokens() / run.tokensPerSecond();
            days = seconds / 86_400;
            gpuHours = seconds / 3_600 * t * p * parallelism.data();
        }
        return new Speed(new Estimate.Performance(null, null, null, null, null, null, run.stepSeconds(),
                run.tokensPerSecond(), run.achievedMfu(), run.flopsPerToken(), days, gpuHours),
                layout(speed, machine, parallelism, run.tensorSeconds(), run.pipelineSeconds(),
                        run.dataParallelSeconds(), run.exposedDataSeconds(), run.expertSeconds()));
    }

    /** Where each parallel group's traffic goes, and what it costs per step (a decode step, a training step). */
    private static Estimate.Layout layout(PerformanceModel speed, ResolvedHardware machine,
                                          Scenario.Parallelism parallelism, double tensorSeconds,
                                          double pipelineSeconds, Double dataSeconds, Double exposedDataSeconds,
                                          double expertSeconds) {
        int t = parallelism.tensor();
        int p = parallelism.pipeline();
        int d = parallelism.data();
        int e = parallelism.expertParallel();
        boolean training = dataSeconds != null;
        return new Estimate.Layout(machine.nodes(), machine.gpusPerNode(), machine.domainGpus(),
                machine.network().id(), machine.networkShareBytesPerSecond(),
                t > 1 ? speed.group(t, 1).name() : null, t > 1 ? tensorSeconds : null,
                p > 1 ? speed.pipelineLink(p, training ? t * d : t).name() : null, p > 1 ? pipelineSeconds : null,
                training && d > 1 ? speed.group(d, t).name() : null, training && d > 1 ? dataSeconds : null,
                training && d > 1 ? exposedDataSeconds : null,
                e > 1 ? speed.expertLink(e).name() : null, e > 1 ? expertSeconds : null);
    }

    /**
     * The seed guide's rule of thumb for the whole model: inference = parameters x bytes per parameter x 1.2;
     * training = parameters x bytes per parameter x 6 (the multiplier standing for optimizer states, gradients,
     * activations and temporary buffers).
     */
    static long ruleOfThumb(Scenario scenario, ResolvedModel model, WeightFormat weights) {
        double bytesPerParameter = weights.baseBits(scenario.precision().groupSize()) / 8;
        double multiplier = scenario.workload().isTraining() ? 6 : 1.2;
        return Math.round(model.parameters() * bytesPerParameter * multiplier);
    }

    private static void addWarnings(Scenario scenario, RuntimeProfile runtime, ResolvedModel model,
                                    ResolvedHardware machine, RuntimeOverheads overheads, Estimate.Fit fit,
                                    List<String> warnings) {
        Gpu gpu = machine.gpu();
        Scenario.Parallelism parallelism = scenario.parallelism();
        Gpu.UnifiedMemory unified = gpu.unifiedMemory();
        if (unified != null) {
            double share = (double) machine.gpuCapacityBytes() / gpu.memory().bytes();
            warnings.add(String.format(Locale.ROOT, "%s shares its %s with the system: the GPU may use %s (%.0f %%;"
                    + " --unified-gpu-share). To raise it: %s", gpu.name(), Format.gib(gpu.memory().bytes()),
                    Format.gib(machine.gpuCapacityBytes()), share * 100, unified.control()));
            if (share > unified.maxGpuShare() + 1e-9) {
                warnings.add(String.format(Locale.ROOT, "unified-gpu-share = %s is above the %.0f %% users report"
                        + " running with; the system may swap or stall", Format.plain(share), unified.maxGpuShare() * 100));
            }
        }
        if (!model.hasArchitecture()) {
            warnings.add("only a parameter count is known: KV cache and activations are not computed (null), and"
                    + " speed ignores attention; give --model or the architecture flags for those");
        }
        if (model.hasArchitecture() && !scenario.workload().isTraining()
                && model.architecture().kvHeads() < parallelism.tensor() && model.architecture().mla() == null) {
            warnings.add(String.format(Locale.ROOT, "%d KV heads on %d tensor ranks: each rank keeps a replica of a"
                    + " KV head, so the cache does not shrink beyond %d ranks", model.architecture().kvHeads(),
                    parallelism.tensor(), model.architecture().kvHeads()));
        }
        int t = parallelism.tensor();
        boolean linked = gpu.interconnect().gpuLinkBytesPerSecond() != null;
        if (t > 1 && (!linked || t > machine.domainGpus())) {
            warnings.add(gpu.name() + (linked ? " links only " + machine.domainGpus() + " GPUs by "
                    + gpu.interconnect().gpuLink() : " has no NVLink") + ": the tensor-parallel all-reduces of tp = "
                    + t + " go over PCIe Gen" + gpu.interconnect().pcieGeneration() + "; split with --pp instead"
                    + (linked ? " beyond the linked GPUs" : "") + " (stages pass only activations), or choose GPUs"
                    + " with NVLink");
        }
        if (gpu.gpuClass() == GpuClass.CONSUMER && gpu.vendor().equals("NVIDIA") && parallelism.gpus() > 1) {
            warnings.add("GeForce cards: NVIDIA's driver licence does not allow data-center deployment");
        }
        Scenario.Offload offload = scenario.hardware().offload();
        if (offload.hostBandwidth() != null && offload.hostBandwidth() > gpu.memory().bandwidthBytesPerSecond()) {
            warnings.add("host-bandwidth = " + Format.gbPerSecond(offload.hostBandwidth()) + " is above " + gpu.name()
                    + "'s own " + Format.gbPerSecond(gpu.memory().bandwidthBytesPerSecond())
                    + ": offloaded layers are read at the GPU's figure");
        }
        if (scenario.hardware().unifiedGpuShare() != null && !gpu.isUnified()) {
            warnings.add("unified-gpu-share = " + Format.plain(scenario.hardware().unifiedGpuShare()) + " is ignored: "
                    + gpu.name() + " has memory of its own");
        }
        if (offload.gpuLayers() != null && runtime != RuntimeProfile.LLAMA_CPP) {
            warnings.add("gpu-layers = " + offload.gpuLayers() + " is llama.cpp's placement (-ngl) and the runtime is "
                    + runtime.label() + ": the layers are placed as llama.cpp would; choose --runtime llama-cpp");
        }
        if (offload.cpuOffloadBytes() != null && offload.cpuOffloadBytes() > 0 && runtime != RuntimeProfile.VLLM) {
            warnings.add("cpu-offload-gb is vLLM's weight offload and the runtime is " + runtime.label()
                    + ": the weights are streamed as vLLM would; choose --runtime vllm");
        }
        if (runtime == RuntimeProfile.VLLM && !scenario.workload().isTraining()) {
            warnings.add(overheads.memoryReservation() == 0.9 ? VLLM_RESERVES_DEFAULT
                    : "vLLM pre-allocates " + Math.round(overheads.memoryReservation() * 100) + VLLM_RESERVES);
        }
        if (runtime == RuntimeProfile.LLAMA_CPP && !scenario.workload().isTraining()) {
            warnings.add("llama.cpp allocates the KV cache for its whole context (n_ctx) at start; size it with"
                    + " --seq/--output-tokens equal to the context you will set");
        }
        if (scenario.workload().isTraining() && parallelism.zeroStage() == 3 && !model.hasArchitecture()
                && model.largestLayerParameters() == 0) {
            warnings.add("ZeRO-3 gathers each layer before computing it; without an architecture or"
                    + " --largest-layer that buffer is not counted");
        }
        if (scenario.workload().isTraining() && scenario.training().trainTokens() == null) {
            warnings.add("no --train-tokens: training days and GPU-hours are null");
        }
        if (!fit.fits()) {
            warnings.add(fit.minGpus() == null ? "does not fit on any split of up to 8 x layers GPUs"
                    : "does not fit: needs at least " + fit.minGpus() + " GPUs (tp " + fit.minTensorParallel()
                    + " x pp " + fit.minPipelineParallel() + ")");
        }
        if (parallelism.offloadOptimizer() && scenario.workload().isTraining()) {
            warnings.add("optimizer states are offloaded to CPU memory: the step pays a host round trip per step,"
                    + " which the speed estimate does not include");
        }
    }
}
