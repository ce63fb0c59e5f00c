package dev.headroom.cli;

import dev.headroom.catalog.CatalogException;
import dev.headroom.catalog.HuggingFaceImporter;
import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.ModelArchitecture.FfnKind;
import dev.headroom.common.Format;
import dev.headroom.common.Ranges;
import dev.headroom.sizing.Efficiencies;
import dev.headroom.sizing.FinetuneMethod;
import dev.headroom.sizing.Labeled;
import dev.headroom.sizing.NumberFormat;
import dev.headroom.sizing.Optimizer;
import dev.headroom.sizing.PlanFile;
import dev.headroom.sizing.Recompute;
import dev.headroom.sizing.RuntimeOverheads;
import dev.headroom.sizing.RuntimeProfile;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.WeightFormat;
import dev.headroom.sizing.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The flags that describe a scenario (model, precision, training, parallelism, hardware, runtime, efficiencies), shared
 * by every command that sizes one; each command adds its own shape flags.
 */
final class ScenarioOptions {
    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = {"--scenario", "--plan"}, paramLabel = "FILE", description = "Start from a saved scenario or plan (JSON); flags override it.")
    Path scenarioFile;

    @Option(names = "--model", paramLabel = "ID|CONFIG.json", description = "Catalog model id or a Hugging Face config.json.")
    String model;
    @Option(names = "--params", paramLabel = "N", description = "Parameter count only (e.g. 7.5e9): model states, no KV or activations.")
    Double params;
    @Option(names = "--largest-layer", paramLabel = "N", description = "With --params: the largest layer's parameters (ZeRO-3 buffer).")
    Double largestLayer;
    @Option(names = "--layers") Integer layers;
    @Option(names = "--hidden") Integer hidden;
    @Option(names = "--heads") Integer heads;
    @Option(names = "--kv-heads") Integer kvHeads;
    @Option(names = "--head-dim") Integer headDim;
    @Option(names = "--ffn") Integer ffn;
    @Option(names = "--ffn-kind", paramLabel = "gelu|relu|swiglu|geglu",
            description = "gelu and relu are the same plain two-matrix FFN; swiglu and geglu the gated three-matrix one.")
    String ffnKind;
    @Option(names = "--vocab") Integer vocab;
    @Option(names = "--experts") Integer experts;
    @Option(names = "--active-experts") Integer activeExperts;
    @Option(names = "--max-context", description = "Model context for a custom architecture, or over a catalog model's"
            + " (default: the model's; no cap for a custom one).")
    Integer maxContext;

    @Option(names = "--workload", paramLabel = "inference|finetune|pretrain") String workload;
    @Option(names = "--method", paramLabel = "full|lora|qlora") String method;
    @Option(names = "--lora-rank") Integer loraRank;
    @Option(names = "--weights", paramLabel = "FORMAT", description = "fp32, fp16, bf16, fp8, int8, int4, nf4, nf4-dq, gptq-int4, awq-int4, q8_0, q6_k, q5_k_m, q4_k_m, q4_0, q3_k_m, q2_k, mxfp4 (routed experts only on MoE models), nvfp4, fp8-block")
    String weights;
    @Option(names = "--group-size", description = "Quantization group for gptq/awq/int4 (default 128).") Integer groupSize;
    @Option(names = "--kv-cache", paramLabel = "DTYPE", description = "fp32, fp16, bf16, fp8, int8 (default: the activation dtype)")
    String kvCache;
    @Option(names = "--activations", paramLabel = "DTYPE", description = "Activation and training compute dtype (default bf16).")
    String activations;

    @Option(names = "--micro-batch") Integer microBatch;
    @Option(names = "--grad-accum") Integer gradAccum;
    @Option(names = "--optimizer", paramLabel = "adamw|adamw-8bit|sgd|adafactor") String optimizer;
    @Option(names = "--grad-precision", paramLabel = "fp16|bf16|fp32",
            description = "fp32 = Megatron/DeepSpeed 18 B/param; bf16/fp16 = ZeRO paper 16 B/param (default fp32).")
    String gradPrecision;
    @Option(names = "--no-master-weights", description = "Pure 16-bit training: no fp32 weight copy.") boolean noMasterWeights;
    @Option(names = "--train-tokens") Double trainTokens;

    @Option(names = "--zero", paramLabel = "0|1|2|3") Integer zero;
    @Option(names = "--sequence-parallel") Boolean sequenceParallel;
    @Option(names = "--recompute", paramLabel = "none|selective|full") String recompute;
    @Option(names = "--flash-attention", negatable = true, defaultValue = "true", fallbackValue = "true")
    boolean flashAttention;
    @Option(names = "--dropout", description = "The model trains with dropout (GPT-3/OPT-era recipes).") Boolean dropout;
    @Option(names = "--offload-optimizer") Boolean offloadOptimizer;
    @Option(names = "--no-sliding-window", description = "Ignore the model's sliding window (cache every token).") boolean noSlidingWindow;
    @Option(names = "--paged-block", description = "KV block in tokens (default: the runtime's; 0 = not paged).") Integer pagedBlock;
    @Option(names = "--shared-prefix", description = "Prompt tokens shared by every sequence, cached once.") Integer sharedPrefix;

    @Option(names = "--runtime", paramLabel = "PROFILE", description = "hf-transformers, vllm, tensorrt-llm, llama-cpp, pytorch, mlx")
    String runtime;
    @Option(names = "--mfu") Double mfu;
    @Option(names = "--prefill-efficiency") Double prefillEfficiency;
    @Option(names = "--bandwidth-efficiency") Double bandwidthEfficiency;
    @Option(names = "--interconnect-efficiency") Double interconnectEfficiency;
    @Option(names = "--gpu-memory-utilization", description = "Share of the GPU the runtime uses (vLLM default 0.9).")
    Double memoryReservation;

    @Option(names = "--prefill-chunk", description = "Most tokens per prefill pass (default: the runtime's; 0 = whole batch).")
    Integer prefillChunk;

    @Option(names = "--calibration", paramLabel = "NAME", description = "Efficiencies and overheads fitted by 'headroom calibrate' to your measurements (they hold for its GPU and runtime).")
    String calibration;

    /** The named calibration profile, or null when none is asked for; one that cannot be read is a problem. */
    dev.headroom.sizing.Calibration calibration(List<String> problems) {
        if (calibration == null) {
            return null;
        }
        try {
            return dev.headroom.calibration.CalibrationStore.standard().load(calibration);
        } catch (IllegalArgumentException | java.io.IOException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** The scenario with the asked-for calibration applied; one fitted on another GPU or runtime is a problem. */
    Scenario calibrated(Scenario scenario, List<String> problems) {
        dev.headroom.sizing.Calibration c = calibration(problems);
        if (c == null || scenario == null) {
            return scenario;
        }
        if (!c.appliesTo(scenario)) {
            problems.add("calibration = '" + c.name() + "': fitted on " + c.gpu() + (c.runtime() == null ? ""
                    : " with " + c.runtime().label()) + "; this plan runs on " + (scenario.hardware() == null
                    || scenario.hardware().gpuId() == null ? "no GPU" : scenario.hardware().gpuId()) + " with " + scenario.runtime().label());
            return scenario;
        }
        return c.applyTo(scenario);
    }

    /** Whether --weights was given (recommend then searches that one format only). */
    boolean weightsGiven() {
        return weights != null;
    }

    /**
     * The scenario the flags describe, over the saved one where --scenario gives it; {@code batch}, {@code seq} and
     * {@code outputTokens} are the command's own shape flags (null: the saved or default shape).
     */
    Scenario scenario(List<String> problems, Integer batch, Integer seq, Integer outputTokens,
                      HardwareOptions hw) {
        return scenario(problems, batch, seq, outputTokens, hw, hw != null);
    }

    /**
     * As above; {@code gpuRequired} false lets the scenario name no GPU ('size' then answers how much memory and
     * how many of each GPU; recommend searches the hardware).
     */
    Scenario scenario(List<String> problems, Integer batch, Integer seq, Integer outputTokens,
                      HardwareOptions hw, boolean gpuRequired) {
        boolean placed = hw != null;
        hw = placed ? hw : HardwareOptions.NONE;
        Scenario base = scenarioFile == null ? null : readScenario(problems);
        Scenario.ModelSpec modelSpec = modelSpec(base, problems);
        Workload workloadValue = parse(Workload.class, "workload", workload,
                base == null ? Workload.INFERENCE : base.workload());

        Scenario.Training t = base == null ? Scenario.Training.DEFAULT : base.training();
        Scenario.Training training = new Scenario.Training(
                parse(FinetuneMethod.class, "method", method, t.method()), or(loraRank, t.loraRank()), t.loraTargets(),
                parse(Optimizer.class, "optimizer", optimizer, t.optimizer()),
                parse(NumberFormat.class, "grad-precision", gradPrecision, t.gradientPrecision()),
                noMasterWeights ? Boolean.FALSE : t.masterWeights(), or(microBatch, t.microBatch()),
                or(gradAccum, t.gradientAccumulation()), trainTokens != null ? trainTokens : t.trainTokens(),
                parse(Recompute.class, "recompute", recompute, t.recompute()));

        Scenario.Precision pr = base == null ? Scenario.Precision.DEFAULT : base.precision();
        NumberFormat activationFormat = parse(NumberFormat.class, "activations", activations, pr.activations());
        Scenario.Precision precision = new Scenario.Precision(
                parse(WeightFormat.class, "weights", weights, pr.weights()), or(groupSize, pr.groupSize()),
                parse(NumberFormat.class, "kv-cache", kvCache, kvCache == null && activations != null ? activationFormat
                        : pr.kvCache()), activationFormat);

        Scenario.Shape sh = base == null ? Scenario.Shape.DEFAULT : base.shape();
        Scenario.Shape shape = new Scenario.Shape(or(batch, sh.batch()), or(seq, sh.inputTokens()),
                or(outputTokens, sh.outputTokens()));

        Scenario.Parallelism pa = base == null ? Scenario.Parallelism.SINGLE : base.parallelism();
        int tensor = or(hw.tp, pa.tensor());
        int pipeline = or(hw.pp, pa.pipeline());
        // dp follows from --gpus only when every term is in range; otherwise validation reports the flag itself
        // ("gpus = -1", "tp = 0") instead of a derived dp or a division by zero.
        Integer gpus = hw.gpusGiven();
        boolean derivable = hw.dp == null && gpus != null && base == null && gpus >= 1 && tensor >= 1 && pipeline >= 1
                && gpus % ((long) tensor * pipeline) == 0;
        Integer data = hw.dp != null ? hw.dp : derivable ? Integer.valueOf((int) (gpus / ((long) tensor * pipeline)))
                : pa.data();
        Scenario.Parallelism parallelism = new Scenario.Parallelism(tensor, pipeline, data,
                or(hw.virtualStages, pa.virtualStages()), or(hw.expertParallel, pa.expertParallel()), or(zero, pa.zeroStage()),
                sequenceParallel != null ? sequenceParallel : pa.sequenceParallel(),
                offloadOptimizer != null ? offloadOptimizer : pa.offloadOptimizer(),
                mixee.commandLine().getParseResult().hasMatchedOption("--flash-attention") ? flashAttention
                        : pa.flashAttention(),
                dropout != null ? dropout : pa.dropout());

        Scenario.KvCachePolicy kv = base == null ? Scenario.KvCachePolicy.DEFAULT : base.kvCache();
        Scenario.KvCachePolicy kvPolicy = new Scenario.KvCachePolicy(noSlidingWindow ? Boolean.FALSE : kv.slidingWindow(),
                pagedBlock != null ? pagedBlock : kv.pagedBlockTokens(), or(sharedPrefix, kv.sharedPrefixTokens()));

        String gpuId = hw.gpu != null ? hw.gpu : base != null && base.hardware() != null ? base.hardware().gpuId() : null;
        Integer count = hw.gpusGiven() != null ? hw.gpusGiven() : base != null && base.hardware() != null && (hw.tp == null && hw.pp == null
                && hw.dp == null) ? base.hardware().count() : parallelism.gpus() < 1 ? null // a degree out of range says so itself
                : Integer.valueOf((int) Math.min(Integer.MAX_VALUE, parallelism.gpus()));
        if (gpuId == null && gpuRequired) {
            problems.add("gpu: --gpu ID is required ('headroom catalog list gpus' lists them)");
        }
        RuntimeProfile runtimeProfile = runtime != null ? Labeled.parse(RuntimeProfile.class, "runtime", runtime)
                : base != null && base.workload() == workloadValue ? base.runtime() : RuntimeProfile.defaultFor(workloadValue);
        RuntimeOverheads o = base == null ? RuntimeOverheads.NONE : base.overheads();
        RuntimeOverheads overheads = new RuntimeOverheads(o.cudaContextBytes(), o.workspaceBytes(),
                o.multiGpuWorkspaceBytes(), o.cudaGraphBytes(), o.fragmentation(),
                memoryReservation != null ? memoryReservation : o.memoryReservation(), o.pagedBlockTokens(),
                o.launchSecondsPerLayer(), prefillChunk != null ? prefillChunk : o.prefillChunkTokens());
        Efficiencies e = base == null ? Efficiencies.NONE : base.efficiencies();
        Efficiencies efficiencies = new Efficiencies(mfu != null ? mfu : e.mfu(),
                prefillEfficiency != null ? prefillEfficiency : e.prefillEfficiency(),
                bandwidthEfficiency != null ? bandwidthEfficiency : e.bandwidthEfficiency(),
                interconnectEfficiency != null ? interconnectEfficiency : e.interconnectEfficiency(),
                e.collectiveLatencySeconds());
        return new Scenario(modelSpec, workloadValue, training, precision, shape, parallelism, kvPolicy,
                hardware(hw, base, gpuId, count, problems), runtimeProfile, overheads, efficiencies);
    }

    /** Nodes, offload and the unified share over the saved scenario's; GiB and GB/s checked before conversion. */
    private static Scenario.Hardware hardware(HardwareOptions hw, Scenario base, String gpuId, Integer count, List<String> problems) {
        Scenario.Hardware saved = base != null && base.hardware() != null ? base.hardware()
                : new Scenario.Hardware(null, null);
        Scenario.Nodes n = saved.nodes();
        Scenario.Nodes nodeLayout = new Scenario.Nodes(either(hw.nodes, n.nodes()), either(hw.gpusPerNode, n.gpusPerNode()),
                hw.network != null ? hw.network : n.network());
        Scenario.Offload o = saved.offload();
        int before = problems.size();
        Scenario.Offload.unitProblems(problems, hw.cpuOffloadGb, hw.hostMemoryGib, hw.hostBandwidthGbps, hw.unifiedGpuShare);
        if (problems.size() > before) {
            return new Scenario.Hardware(gpuId, count);
        }
        Scenario.Offload offload = new Scenario.Offload(either(hw.gpuLayers, o.gpuLayers()),
                hw.cpuOffloadGb != null ? Long.valueOf(Math.round(hw.cpuOffloadGb * Format.GIB)) : o.cpuOffloadBytes(),
                hw.hostMemoryGib != null ? Long.valueOf(Math.round(hw.hostMemoryGib * Format.GIB)) : o.hostMemoryBytes(),
                hw.hostBandwidthGbps != null ? Double.valueOf(hw.hostBandwidthGbps * 1e9) : o.hostBandwidth());
        return new Scenario.Hardware(gpuId, count, nodeLayout, offload,
                hw.unifiedGpuShare != null ? hw.unifiedGpuShare : saved.unifiedGpuShare());
    }

    private Scenario readScenario(List<String> problems) {
        try {
            return PlanFile.read(scenarioFile);
        } catch (IOException e) {
            throw new IllegalArgumentException("scenario = " + e.getMessage());
        }
    }

    private Scenario.ModelSpec modelSpec(Scenario base, List<String> problems) {
        boolean customFlags = layers != null || hidden != null || heads != null || kvHeads != null || headDim != null
                || ffn != null || ffnKind != null || vocab != null || experts != null || activeExperts != null
                || maxContext != null;
        if (params != null && (model != null || customFlags)) {
            problems.add("params = " + Format.plain(params) + ": give either --params or a model (--model / architecture flags), not both");
            return null;
        }
        if (largestLayer != null && params == null) {
            problems.add("largest-layer = " + Format.plain(largestLayer) + ": only with --params N");
            return null;
        }
        if (params != null) {
            // Checked as doubles, before the conversion to long that would turn NaN into 0 and 1e309 into 2^63.
            int before = problems.size();
            Ranges.optional(problems, "params", params, Scenario.MIN_PARAMETERS, Scenario.MAX_PARAMETERS);
            if (problems.size() == before && largestLayer != null) {
                Ranges.optional(problems, "largest-layer", largestLayer, 1, params);
            }
            if (problems.size() > before) {
                return null;
            }
            return new Scenario.ModelSpec(null, null, null, Math.round(params),
                    largestLayer == null ? null : Math.round(largestLayer));
        }
        ModelArchitecture architecture = null;
        String catalogId = null;
        String name = null;
        if (model != null && model.endsWith(".json")) {
            Path file = Path.of(model);
            if (!Files.isRegularFile(file)) {
                problems.add("model = " + model + ": not a readable config.json");
                return null;
            }
            try {
                var imported = HuggingFaceImporter.importFile(file);
                architecture = imported.architecture();
                name = imported.name();
            } catch (CatalogException ex) {
                ex.problems().forEach(p -> problems.add(p.message()));
                return null;
            }
        } else if (model != null) {
            catalogId = model;
        } else if (base != null && !customFlags) {
            return base.model();
        }
        if (!customFlags) {
            if (catalogId == null && architecture == null) {
                problems.add("model: --model ID|CONFIG.json, --params N or the architecture flags"
                        + " (--layers --hidden --heads --ffn --vocab) are required");
                return null;
            }
            return new Scenario.ModelSpec(catalogId, name, architecture, null, null);
        }
        if (architecture == null && catalogId != null) {
            architecture = CatalogCommand.load(mixee.commandLine()).model(catalogId).map(m -> m.architecture()).orElse(null);
            if (architecture == null) {
                problems.add("model = " + Format.echo(catalogId) + ": no such model id; 'headroom catalog list models' lists them");
                return null;
            }
        }
        return new Scenario.ModelSpec(catalogId, name, customArchitecture(architecture, problems), null, null);
    }

    /** The architecture flags, over a base architecture when --model names one. */
    private ModelArchitecture customArchitecture(ModelArchitecture b, List<String> problems) {
        if (b == null) {
            for (String[] required : new String[][] {{"layers", str(layers)}, {"hidden", str(hidden)},
                {"heads", str(heads)}, {"ffn", str(ffn)}, {"vocab", str(vocab)}}) {
                if (required[1] == null) {
                    problems.add(required[0] + ": is required for a custom architecture (--" + required[0] + " N)");
                }
            }
            if (!problems.isEmpty()) {
                return null;
            }
        }
        int h = or(hidden, b == null ? null : b.hiddenSize());
        int a = or(heads, b == null ? null : b.attentionHeads());
        FfnKind kind = ffnKind == null ? (b == null ? FfnKind.GATED : b.ffnKind()) : switch (ffnKind.toLowerCase()) {
            case "gelu", "relu", "plain" -> FfnKind.PLAIN;
            case "swiglu", "geglu", "gated" -> FfnKind.GATED;
            default -> throw new IllegalArgumentException("ffn-kind '" + Format.echo(ffnKind)
                    + "' is not one of: gelu, relu, swiglu, geglu");
        };
        ModelArchitecture.Moe moe = b == null ? null : b.moe();
        int ffnSize = or(ffn, b == null ? null : b.ffnSize());
        if (experts == null && moe == null && activeExperts != null) {
            throw new IllegalArgumentException("active-experts = " + activeExperts
                    + ": the model has no experts; give --experts N too");
        }
        if (experts != null || activeExperts != null) {
            int expertFfn = ffn != null || moe == null ? ffnSize : moe.expertFfnSize();
            moe = moe == null ? new ModelArchitecture.Moe(experts, or(activeExperts, 2), 0, expertFfn, 0)
                    : moe.withCounts(or(experts, moe.experts()), or(activeExperts, moe.activeExperts()), expertFfn);
        }
        ModelArchitecture plain = ModelArchitecture.plain(or(layers, b == null ? null : b.layers()), h, a,
                or(kvHeads, b == null ? a : b.kvHeads()), or(headDim, b == null ? (a > 0 ? h / a : 0) : b.headDim()), ffnSize, kind,
                or(vocab, b == null ? null : b.vocabSize()), b != null && Boolean.TRUE.equals(b.tiedEmbeddings()),
                or(maxContext, b == null ? 1 << 20 : b.maxContextTokens()));
        if (b == null) {
            return plain.withMoe(moe);
        }
        // Flags replace the shape; every other feature of the base model (pattern, biases, MLA, sinks) stays.
        return b.withShape(plain.layers(), plain.hiddenSize(), plain.attentionHeads(), plain.kvHeads(),
                plain.headDim(), plain.ffnSize(), plain.ffnKind(), plain.vocabSize(), plain.maxContextTokens())
                .withMoe(moe);
    }

    private static String str(Integer value) {
        return value == null ? null : value.toString();
    }

    /** As {@link #or}, where both may be null (an optional field). */
    private static Integer either(Integer value, Integer fallback) {
        return value != null ? value : fallback;
    }

    private static int or(Integer value, Integer fallback) {
        return value != null ? value : fallback;
    }

    private static <E extends Enum<E> & Labeled> E parse(Class<E> type, String field, String label, E fallback) {
        return label == null ? fallback : Labeled.parse(type, field, label);
    }
}
