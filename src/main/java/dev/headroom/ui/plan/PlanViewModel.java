package dev.headroom.ui.plan;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.LayerPlan;
import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.ParameterCounter;
import dev.headroom.common.Format;
import dev.headroom.common.Ranges;
import dev.headroom.sizing.Efficiencies;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.FinetuneMethod;
import dev.headroom.sizing.NumberFormat;
import dev.headroom.sizing.Optimizer;
import dev.headroom.sizing.PlanFile;
import dev.headroom.sizing.Recompute;
import dev.headroom.sizing.RuntimeOverheads;
import dev.headroom.sizing.RuntimeProfile;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import dev.headroom.sizing.SizingEngine;
import dev.headroom.sizing.WeightFormat;
import dev.headroom.sizing.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;

/**
 * The sizing wizard's state: one property per input, and the estimate, recomputed on every change (the engine
 * answers in microseconds, so there is no Calculate button). Bad input becomes a message per field, worded as the
 * engine and the command line word it; while any input is bad the estimate is null, never a stale one.
 */
public final class PlanViewModel {
    /** Where the model comes from. */
    public enum ModelSource { CATALOG, IMPORTED, CUSTOM }

    /** What of the weights lives in host memory: nothing, llama.cpp's CPU layers, or vLLM's offloaded bytes. */
    public enum CpuOffload { NONE, GPU_LAYERS, WEIGHTS }

    private final Catalog catalog;
    private final SizingEngine engine;

    private final ObjectProperty<ModelSource> modelSource = new SimpleObjectProperty<>(ModelSource.CATALOG);
    private final StringProperty modelId = new SimpleStringProperty("llama-3.1-8b");
    private final ObjectProperty<ModelArchitecture> importedArchitecture = new SimpleObjectProperty<>();
    private final StringProperty importedName = new SimpleStringProperty();
    private final StringProperty layers = new SimpleStringProperty("32");
    private final StringProperty hidden = new SimpleStringProperty("4096");
    private final StringProperty heads = new SimpleStringProperty("32");
    private final StringProperty kvHeads = new SimpleStringProperty("8");
    private final StringProperty headDim = new SimpleStringProperty("");
    private final StringProperty ffn = new SimpleStringProperty("14336");
    private final ObjectProperty<ModelArchitecture.FfnKind> ffnKind =
            new SimpleObjectProperty<>(ModelArchitecture.FfnKind.GATED);
    private final StringProperty vocab = new SimpleStringProperty("128256");
    private final StringProperty experts = new SimpleStringProperty("");
    private final StringProperty activeExperts = new SimpleStringProperty("");
    private final StringProperty maxContext = new SimpleStringProperty("131072");

    private final ObjectProperty<Workload> workload = new SimpleObjectProperty<>(Workload.INFERENCE);
    private final ObjectProperty<FinetuneMethod> method = new SimpleObjectProperty<>(FinetuneMethod.LORA);
    private final StringProperty loraRank = new SimpleStringProperty("16");

    private final ObjectProperty<WeightFormat> weights = new SimpleObjectProperty<>(WeightFormat.BF16);
    private final ObjectProperty<NumberFormat> kvCache = new SimpleObjectProperty<>(NumberFormat.BF16);
    private final ObjectProperty<Optimizer> optimizer = new SimpleObjectProperty<>(Optimizer.ADAMW);
    private final ObjectProperty<NumberFormat> gradientPrecision = new SimpleObjectProperty<>(NumberFormat.FP32);
    private final BooleanProperty masterWeights = new SimpleBooleanProperty(true);

    private final StringProperty batch = new SimpleStringProperty("1");
    private final StringProperty inputTokens = new SimpleStringProperty("2048");
    private final StringProperty outputTokens = new SimpleStringProperty("512");
    private final StringProperty microBatch = new SimpleStringProperty("1");
    private final StringProperty gradientAccumulation = new SimpleStringProperty("1");
    private final StringProperty trainTokens = new SimpleStringProperty("");

    private final StringProperty gpuId = new SimpleStringProperty("h100-sxm");
    private final StringProperty gpuCount = new SimpleStringProperty("1");
    private final StringProperty tensorParallel = new SimpleStringProperty("1");
    private final StringProperty pipelineParallel = new SimpleStringProperty("1");
    private final StringProperty dataParallel = new SimpleStringProperty("");
    private final ObjectProperty<Integer> zeroStage = new SimpleObjectProperty<>(0);
    private final ObjectProperty<Recompute> recompute = new SimpleObjectProperty<>(Recompute.NONE);
    private final BooleanProperty flashAttention = new SimpleBooleanProperty(true);
    private final BooleanProperty sequenceParallel = new SimpleBooleanProperty(false);
    private final BooleanProperty offloadOptimizer = new SimpleBooleanProperty(false);
    private final ObjectProperty<RuntimeProfile> runtime = new SimpleObjectProperty<>(RuntimeProfile.VLLM);
    // Blank node, host and share fields take the GPU's catalog defaults, as the command line's absent flags do.
    private final StringProperty nodes = new SimpleStringProperty("");
    private final StringProperty gpusPerNode = new SimpleStringProperty("");
    /** A catalog network id; blank = the GPU's default network. */
    private final StringProperty network = new SimpleStringProperty("");
    private final ObjectProperty<CpuOffload> cpuOffload = new SimpleObjectProperty<>(CpuOffload.NONE);
    private final StringProperty gpuLayers = new SimpleStringProperty("");
    private final StringProperty cpuOffloadGib = new SimpleStringProperty("");
    private final StringProperty hostMemoryGib = new SimpleStringProperty("");
    private final StringProperty hostBandwidthGbps = new SimpleStringProperty("");
    private final StringProperty unifiedGpuShare = new SimpleStringProperty("");

    private final StringProperty mfu = new SimpleStringProperty("");
    private final StringProperty prefillEfficiency = new SimpleStringProperty("");
    private final StringProperty bandwidthEfficiency = new SimpleStringProperty("");
    private final StringProperty interconnectEfficiency = new SimpleStringProperty("");
    private final StringProperty memoryReservation = new SimpleStringProperty("");
    private final StringProperty fragmentation = new SimpleStringProperty("");

    private final ReadOnlyObjectWrapper<Estimate> estimate = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Scenario> scenario = new ReadOnlyObjectWrapper<>();
    private final ObservableMap<String, String> fieldProblems = FXCollections.observableHashMap();
    private final ObservableList<String> problems = FXCollections.observableArrayList();
    // Created once: an unmodifiable view listens to its source weakly, so a fresh view per call could be
    // collected with the listeners added to it.
    private final ObservableMap<String, String> fieldProblemsView = FXCollections.unmodifiableObservableMap(fieldProblems);
    private final ObservableList<String> problemsView = FXCollections.unmodifiableObservableList(problems);
    private final ReadOnlyDoubleWrapper recomputeMillis = new ReadOnlyDoubleWrapper();
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper();
    private final ReadOnlyObjectWrapper<Path> file = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper attentionPattern = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper ffnLayout = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper layoutSummary = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<HardwareDefaults> hardwareDefaults =
            new ReadOnlyObjectWrapper<>(HardwareDefaults.NONE);

    /** What a loaded plan holds beyond the wizard's fields (group size, paging, prefixes...), kept as it was. */
    private Scenario base = new Scenario(null, null, null, null, null, null, null, null, null, null, null);
    private String savedJson;
    private boolean loading;

    public PlanViewModel(Catalog catalog, SizingEngine engine) {
        this.catalog = catalog;
        this.engine = engine;
        for (Observable input : inputs()) {
            input.addListener(observable -> recompute());
        }
        workload.addListener((obs, old, value) -> {
            if (!loading && value != null) {
                runtime.set(RuntimeProfile.defaultFor(value));
            }
        });
        recompute();
        savedJson = currentJson();
        dirty.set(false);
    }

    private List<Observable> inputs() {
        return List.of(modelSource, modelId, importedArchitecture, importedName, layers, hidden, heads, kvHeads,
                headDim, ffn, ffnKind, vocab, experts, activeExperts, maxContext, workload, method, loraRank, weights,
                kvCache, optimizer, gradientPrecision, masterWeights, batch, inputTokens, outputTokens, microBatch,
                gradientAccumulation, trainTokens, gpuId, gpuCount, tensorParallel, pipelineParallel, dataParallel,
                zeroStage, recompute, flashAttention, sequenceParallel, offloadOptimizer, runtime, nodes, gpusPerNode,
                network, cpuOffload, gpuLayers, cpuOffloadGib, hostMemoryGib, hostBandwidthGbps, unifiedGpuShare, mfu,
                prefillEfficiency, bandwidthEfficiency, interconnectEfficiency, memoryReservation, fragmentation);
    }

    public Catalog catalog() {
        return catalog;
    }

    public SizingEngine engine() {
        return engine;
    }

    /** Builds the scenario from the fields and sizes it; runs on every edit. */
    public void recompute() {
        if (loading) {
            return;
        }
        long start = System.nanoTime();
        Map<String, String> fieldMessages = new LinkedHashMap<>();
        Scenario next = buildScenario(fieldMessages);
        dev.headroom.sizing.Calibration c = calibration.get();
        if (next != null && c != null) {
            next = c.applyTo(next); // on its GPU and runtime only; a field typed in Assumptions still wins
        }
        Estimate result = null;
        if (next != null) {
            try {
                result = engine.estimate(next);
            } catch (ScenarioException e) {
                for (String problem : e.problems()) {
                    fieldMessages.merge(fieldOf(problem), problem, (a, b) -> a + "\n" + b);
                }
            }
        }
        describeModel();
        describeHardware(result);
        fieldProblems.clear();
        fieldProblems.putAll(fieldMessages);
        problems.setAll(fieldMessages.values());
        scenario.set(result == null ? null : next);
        estimate.set(result);
        dirty.set(savedJson != null && !savedJson.equals(currentJson()));
        recomputeMillis.set((System.nanoTime() - start) / 1e6);
    }

    /** The field a problem line is about: the words before " = " or ":" ("tp = 3: ..." is about tp). */
    static String fieldOf(String problem) {
        int equals = problem.indexOf(" = ");
        int colon = problem.indexOf(':');
        int end = equals >= 0 && (colon < 0 || equals < colon) ? equals : colon;
        String field = end < 0 ? problem : problem.substring(0, end);
        return switch (field) {
            case "seq (input tokens)" -> "seq";
            case "tp x pp x dp" -> "gpus";
            case "gpu-memory-utilization (memory reservation)" -> "memory-reservation";
            case "host-memory (GiB)" -> "host-memory";
            case "host-bandwidth (GB/s)" -> "host-bandwidth";
            // "gpu-layers / cpu-offload-gb place inference weights in host memory; for training ..." has no colon
            default -> field.startsWith("gpu-layers / cpu-offload-gb") ? "cpu-offload" : field;
        };
    }

    private Scenario buildScenario(Map<String, String> messages) {
        Numbers n = new Numbers(messages);
        Scenario.ModelSpec model = modelSpec(n);
        Scenario.Training t = base.training();
        // The method field only means something for fine-tuning; the other workloads train every weight or none.
        FinetuneMethod trainingMethod = workload.get() == Workload.FINETUNE ? method.get() : FinetuneMethod.FULL;
        Scenario.Training training = new Scenario.Training(trainingMethod, n.integer("lora-rank", loraRank),
                t.loraTargets(), optimizer.get(), gradientPrecision.get(), masterWeights.get(),
                n.integer("micro-batch", microBatch), n.integer("grad-accum", gradientAccumulation),
                n.optionalDecimal("train-tokens", trainTokens), recompute.get());
        Scenario.Precision p = base.precision();
        Scenario.Precision precision = new Scenario.Precision(weights.get(), p.groupSize(), kvCache.get(),
                p.activations());
        Scenario.Shape shape = new Scenario.Shape(n.integer("batch", batch), n.integer("seq", inputTokens),
                n.integer("output-tokens", outputTokens));
        Integer tp = n.integer("tp", tensorParallel);
        Integer pp = n.integer("pp", pipelineParallel);
        Integer count = n.integer("gpus", gpuCount);
        Scenario.Hardware hardware = hardware(n, count);
        Integer dp = dataParallel.get() == null || dataParallel.get().isBlank()
                ? (tp != null && pp != null && count != null && count % (tp * pp) == 0 ? count / (tp * pp) : 1)
                : n.integer("dp", dataParallel);
        Scenario.Parallelism b = base.parallelism();
        Scenario.Parallelism parallelism = new Scenario.Parallelism(tp, pp, dp, b.virtualStages(), b.expertParallel(),
                zeroStage.get(), sequenceParallel.get(), offloadOptimizer.get(), flashAttention.get(), b.dropout());
        RuntimeOverheads o = base.overheads();
        RuntimeOverheads overheads = new RuntimeOverheads(o.cudaContextBytes(), o.workspaceBytes(),
                o.multiGpuWorkspaceBytes(), o.cudaGraphBytes(), n.optionalDecimal("fragmentation", fragmentation),
                n.optionalDecimal("memory-reservation", memoryReservation), o.pagedBlockTokens(),
                o.launchSecondsPerLayer(), o.prefillChunkTokens());
        Efficiencies e = base.efficiencies();
        Efficiencies efficiencies = new Efficiencies(n.optionalDecimal("mfu", mfu),
                n.optionalDecimal("prefill-efficiency", prefillEfficiency),
                n.optionalDecimal("bandwidth-efficiency", bandwidthEfficiency),
                n.optionalDecimal("interconnect-efficiency", interconnectEfficiency), e.collectiveLatencySeconds());
        if (!messages.isEmpty()) {
            return null;
        }
        return new Scenario(model, workload.get(), training, precision, shape, parallelism, base.kvCache(),
                hardware, runtime.get(), overheads, efficiencies);
    }

    /**
     * The GPU with its nodes, host memory and unified share. GiB and GB/s are checked before they become bytes, so
     * a huge value is reported as typed, not as a saturated long; the share only applies to a unified-memory GPU
     * (its field is disabled for the others, so a share kept from such a machine must not fail the plan).
     */
    private Scenario.Hardware hardware(Numbers n, Integer count) {
        Scenario.Nodes layout = new Scenario.Nodes(n.optionalInteger("nodes", nodes),
                n.optionalInteger("gpus-per-node", gpusPerNode), blankToNull(network.get()));
        Integer layersOnGpu = cpuOffload.get() == CpuOffload.GPU_LAYERS ? n.integer("gpu-layers", gpuLayers) : null;
        Double offloadGib = cpuOffload.get() == CpuOffload.WEIGHTS
                ? n.decimal("cpu-offload-gb", "cpu-offload-gb", cpuOffloadGib, 0, Scenario.Offload.MAX_OFFLOAD_GIB, true)
                : null;
        Double hostGib = n.decimal("host-memory", "host-memory (GiB)", hostMemoryGib, Scenario.Offload.MIN_HOST_GIB,
                Scenario.Offload.MAX_HOST_GIB, false);
        Double hostGbps = n.decimal("host-bandwidth", "host-bandwidth (GB/s)", hostBandwidthGbps,
                Scenario.Offload.MIN_HOST_GBPS, Scenario.Offload.MAX_HOST_GBPS, false);
        Double share = selectedGpu() != null && selectedGpu().isUnified()
                ? n.optionalDecimal("unified-gpu-share", unifiedGpuShare) : null;
        Scenario.Offload offload = new Scenario.Offload(layersOnGpu, bytes(offloadGib), bytes(hostGib),
                hostGbps == null ? null : hostGbps * 1e9);
        return new Scenario.Hardware(gpuId.get(), count, layout, offload, share);
    }

    private dev.headroom.catalog.Gpu selectedGpu() {
        return catalog.gpu(gpuId.get()).orElse(null);
    }

    /** The hardware step's defaults for the selected GPU and the estimate's layout in one line. */
    private void describeHardware(Estimate result) {
        dev.headroom.catalog.Gpu gpu = selectedGpu();
        Double share = null;
        try {
            String typed = unifiedGpuShare.get() == null ? "" : unifiedGpuShare.get().trim();
            double parsed = typed.isEmpty() ? Double.NaN : Double.parseDouble(typed);
            share = parsed >= Scenario.Offload.MIN_UNIFIED_SHARE && parsed <= 1 ? parsed : null; // Scenario's range; outside it the default shows
        } catch (NumberFormatException e) {
            // a share being typed: the prompt keeps the default until it is a number
        }
        hardwareDefaults.set(HardwareDefaults.of(catalog, gpu, share));
        layoutSummary.set(result == null || result.layout() == null ? ""
                : HardwareText.layout(result.layout(), catalog, gpu));
    }

    private static Long bytes(Double gib) {
        return gib == null ? null : Long.valueOf(Math.round(gib * Format.GIB));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private Scenario.ModelSpec modelSpec(Numbers n) {
        return switch (modelSource.get()) {
            case CATALOG -> Scenario.ModelSpec.catalog(modelId.get());
            case IMPORTED -> importedArchitecture.get() == null ? Scenario.ModelSpec.catalog(modelId.get())
                    : Scenario.ModelSpec.custom(importedName.get(), importedArchitecture.get());
            case CUSTOM -> Scenario.ModelSpec.custom("custom model", customArchitecture(n));
        };
    }

    private ModelArchitecture customArchitecture(Numbers n) {
        Integer layerCount = n.integer("layers", layers);
        Integer hiddenSize = n.integer("hidden", hidden);
        Integer headCount = n.integer("heads", heads);
        Integer kv = kvHeads.get() == null || kvHeads.get().isBlank() ? headCount : n.integer("kv-heads", kvHeads);
        Integer dim = headDim.get() == null || headDim.get().isBlank()
                ? (hiddenSize != null && headCount != null && headCount > 0 ? hiddenSize / headCount : null)
                : n.integer("head-dim", headDim);
        Integer ffnSize = n.integer("ffn", ffn);
        Integer expertCount = experts.get() == null || experts.get().isBlank() ? null : n.integer("experts", experts);
        ModelArchitecture.Moe moe = expertCount == null ? null : new ModelArchitecture.Moe(expertCount,
                activeExperts.get() == null || activeExperts.get().isBlank() ? 2 : n.integer("active-experts", activeExperts),
                0, ffnSize, 0);
        return ModelArchitecture.plain(layerCount, hiddenSize, headCount, kv, dim, ffnSize, ffnKind.get(),
                n.integer("vocab", vocab), false, n.integer("max-context", maxContext)).withMoe(moe);
    }

    /**
     * The architecture the model step describes: the catalog entry, the imported config.json or the custom fields;
     * null when the fields do not describe one yet (or the catalog entry has no architecture).
     */
    ModelArchitecture chosenArchitecture() {
        return switch (modelSource.get()) {
            case CATALOG -> catalog.model(modelId.get()).map(m -> m.architecture()).orElse(null);
            case IMPORTED -> importedArchitecture.get();
            case CUSTOM -> {
                Map<String, String> problemsOfFields = new LinkedHashMap<>();
                ModelArchitecture a = customArchitecture(new Numbers(problemsOfFields));
                yield problemsOfFields.isEmpty() ? a : null;
            }
        };
    }

    /** The derived parameter count of the model as the fields describe it, or null when they do not. */
    public Long derivedParameters() {
        try {
            ModelArchitecture a = chosenArchitecture();
            return a == null ? null : ParameterCounter.count(a).total();
        } catch (RuntimeException e) {
            return null; // incomplete custom fields
        }
    }

    /** The model step's pattern and FFN lines, in the words the CLI's catalog entries use (LayerPlan). */
    private void describeModel() {
        String attention = "";
        String ffns = "";
        try {
            ModelArchitecture a = chosenArchitecture();
            if (a != null && a.layers() != null && a.layers() > 0) {
                attention = LayerPlan.describeAttention(a);
                ffns = LayerPlan.describeFfn(a);
            }
        } catch (RuntimeException e) {
            // custom fields that parse but do not make a model (a zero head count): nothing to describe yet
        }
        attentionPattern.set(attention);
        ffnLayout.set(ffns);
    }

    /** Fills the fields from a saved scenario; what the wizard does not show is kept and saved back unchanged. */
    public void load(Scenario loaded) {
        loading = true;
        try {
            base = loaded;
            Scenario.ModelSpec model = loaded.model();
            if (model != null && model.architecture() != null) {
                importedArchitecture.set(model.architecture());
                importedName.set(model.name());
                modelSource.set(ModelSource.IMPORTED);
            } else {
                modelId.set(model == null ? null : model.catalogId());
                modelSource.set(ModelSource.CATALOG);
            }
            workload.set(loaded.workload());
            Scenario.Training t = loaded.training();
            method.set(t.method());
            loraRank.set(Integer.toString(t.loraRank()));
            optimizer.set(t.optimizer());
            gradientPrecision.set(t.gradientPrecision());
            masterWeights.set(t.masterWeights());
            microBatch.set(Integer.toString(t.microBatch()));
            gradientAccumulation.set(Integer.toString(t.gradientAccumulation()));
            trainTokens.set(t.trainTokens() == null ? "" : plain(t.trainTokens()));
            recompute.set(t.recompute());
            weights.set(loaded.precision().weights());
            kvCache.set(loaded.precision().kvCache());
            batch.set(Integer.toString(loaded.shape().batch()));
            inputTokens.set(Integer.toString(loaded.shape().inputTokens()));
            outputTokens.set(Integer.toString(loaded.shape().outputTokens()));
            Scenario.Parallelism p = loaded.parallelism();
            tensorParallel.set(Integer.toString(p.tensor()));
            pipelineParallel.set(Integer.toString(p.pipeline()));
            dataParallel.set(Integer.toString(p.data()));
            zeroStage.set(p.zeroStage());
            flashAttention.set(p.flashAttention());
            sequenceParallel.set(p.sequenceParallel());
            offloadOptimizer.set(p.offloadOptimizer());
            gpuId.set(loaded.hardware() == null ? null : loaded.hardware().gpuId());
            gpuCount.set(loaded.hardware() == null ? "1" : Integer.toString(loaded.hardware().count()));
            loadHardware(loaded.hardware() == null ? new Scenario.Hardware(null, null) : loaded.hardware());
            runtime.set(loaded.runtime());
            mfu.set(text(loaded.efficiencies().mfu()));
            prefillEfficiency.set(text(loaded.efficiencies().prefillEfficiency()));
            bandwidthEfficiency.set(text(loaded.efficiencies().bandwidthEfficiency()));
            interconnectEfficiency.set(text(loaded.efficiencies().interconnectEfficiency()));
            memoryReservation.set(text(loaded.overheads().memoryReservation()));
            fragmentation.set(text(loaded.overheads().fragmentation()));
        } finally {
            loading = false;
        }
        recompute();
    }

    private void loadHardware(Scenario.Hardware h) {
        nodes.set(text(h.nodes().nodes()));
        gpusPerNode.set(text(h.nodes().gpusPerNode()));
        network.set(h.nodes().network() == null ? "" : h.nodes().network());
        Scenario.Offload o = h.offload();
        boolean weights = o.cpuOffloadBytes() != null && o.cpuOffloadBytes() > 0;
        cpuOffload.set(o.gpuLayers() != null ? CpuOffload.GPU_LAYERS : weights ? CpuOffload.WEIGHTS : CpuOffload.NONE);
        gpuLayers.set(text(o.gpuLayers()));
        cpuOffloadGib.set(o.cpuOffloadBytes() == null ? "" : plain(o.cpuOffloadBytes() / Format.GIB));
        hostMemoryGib.set(o.hostMemoryBytes() == null ? "" : plain(o.hostMemoryBytes() / Format.GIB));
        hostBandwidthGbps.set(o.hostBandwidth() == null ? "" : plain(o.hostBandwidth() / 1e9));
        unifiedGpuShare.set(text(h.unifiedGpuShare()));
    }

    /** Back to a fresh plan. */
    public void reset() {
        load(new Scenario(Scenario.ModelSpec.catalog("llama-3.1-8b"), Workload.INFERENCE, null, null, null, null, null,
                new Scenario.Hardware("h100-sxm", 1), RuntimeProfile.VLLM, null, null));
        file.set(null);
        markSaved();
    }

    private final javafx.beans.property.ObjectProperty<dev.headroom.sizing.Calibration> calibration =
            new javafx.beans.property.SimpleObjectProperty<>();

    /** A calibration profile applied to the plan where its GPU and runtime match (null: none). */
    public javafx.beans.property.ObjectProperty<dev.headroom.sizing.Calibration> calibrationProperty() {
        return calibration;
    }

    /** Clears the user's changes to efficiencies and overheads: the defaults, with their sources, apply again. */
    public void resetAssumptions() {
        loading = true;
        try {
            for (StringProperty field : List.of(mfu, prefillEfficiency, bandwidthEfficiency, interconnectEfficiency,
                    memoryReservation, fragmentation)) {
                field.set("");
            }
        } finally {
            loading = false;
        }
        recompute();
    }

    /** The current plan as it would be saved (null while an input is bad). */
    public Scenario currentScenario() {
        return scenario.get();
    }

    public void markSaved() {
        savedJson = currentJson();
        dirty.set(false);
    }

    public void setFile(Path path) {
        file.set(path);
    }

    private String currentJson() {
        return scenario.get() == null ? "" : PlanFile.toJson(scenario.get());
    }

    private static String text(Double value) {
        return value == null ? "" : plain(value);
    }

    private static String text(Integer value) {
        return value == null ? "" : Integer.toString(value);
    }

    private static String plain(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }

    /** Parses the text fields, naming the field and the value when one is not a number. */
    // --- properties -------------------------------------------------------------------------------------------

    public ObjectProperty<ModelSource> modelSourceProperty() { return modelSource; }
    public StringProperty modelIdProperty() { return modelId; }
    public ObjectProperty<ModelArchitecture> importedArchitectureProperty() { return importedArchitecture; }
    public StringProperty importedNameProperty() { return importedName; }
    public StringProperty layersProperty() { return layers; }
    public StringProperty hiddenProperty() { return hidden; }
    public StringProperty headsProperty() { return heads; }
    public StringProperty kvHeadsProperty() { return kvHeads; }
    public StringProperty headDimProperty() { return headDim; }
    public StringProperty ffnProperty() { return ffn; }
    public ObjectProperty<ModelArchitecture.FfnKind> ffnKindProperty() { return ffnKind; }
    public StringProperty vocabProperty() { return vocab; }
    public StringProperty expertsProperty() { return experts; }
    public StringProperty activeExpertsProperty() { return activeExperts; }
    public StringProperty maxContextProperty() { return maxContext; }
    public ObjectProperty<Workload> workloadProperty() { return workload; }
    public ObjectProperty<FinetuneMethod> methodProperty() { return method; }
    public StringProperty loraRankProperty() { return loraRank; }
    public ObjectProperty<WeightFormat> weightsProperty() { return weights; }
    public ObjectProperty<NumberFormat> kvCacheProperty() { return kvCache; }
    public ObjectProperty<Optimizer> optimizerProperty() { return optimizer; }
    public ObjectProperty<NumberFormat> gradientPrecisionProperty() { return gradientPrecision; }
    public BooleanProperty masterWeightsProperty() { return masterWeights; }
    public StringProperty batchProperty() { return batch; }
    public StringProperty inputTokensProperty() { return inputTokens; }
    public StringProperty outputTokensProperty() { return outputTokens; }
    public StringProperty microBatchProperty() { return microBatch; }
    public StringProperty gradientAccumulationProperty() { return gradientAccumulation; }
    public StringProperty trainTokensProperty() { return trainTokens; }
    public StringProperty gpuIdProperty() { return gpuId; }
    public StringProperty gpuCountProperty() { return gpuCount; }
    public StringProperty tensorParallelProperty() { return tensorParallel; }
    public StringProperty pipelineParallelProperty() { return pipelineParallel; }
    public StringProperty dataParallelProperty() { return dataParallel; }
    public ObjectProperty<Integer> zeroStageProperty() { return zeroStage; }
    public ObjectProperty<Recompute> recomputeProperty() { return recompute; }
    public BooleanProperty flashAttentionProperty() { return flashAttention; }
    public BooleanProperty sequenceParallelProperty() { return sequenceParallel; }
    public BooleanProperty offloadOptimizerProperty() { return offloadOptimizer; }
    public ObjectProperty<RuntimeProfile> runtimeProperty() { return runtime; }
    public StringProperty nodesProperty() { return nodes; }
    public StringProperty gpusPerNodeProperty() { return gpusPerNode; }
    /** A catalog network id, or blank for the GPU's default network. */
    public StringProperty networkProperty() { return network; }
    public ObjectProperty<CpuOffload> cpuOffloadProperty() { return cpuOffload; }
    public StringProperty gpuLayersProperty() { return gpuLayers; }
    /** vLLM's --cpu-offload-gb: GiB of weights per GPU in host memory. */
    public StringProperty cpuOffloadGibProperty() { return cpuOffloadGib; }
    public StringProperty hostMemoryGibProperty() { return hostMemoryGib; }
    public StringProperty hostBandwidthGbpsProperty() { return hostBandwidthGbps; }
    public StringProperty unifiedGpuShareProperty() { return unifiedGpuShare; }
    public StringProperty mfuProperty() { return mfu; }
    public StringProperty prefillEfficiencyProperty() { return prefillEfficiency; }
    public StringProperty bandwidthEfficiencyProperty() { return bandwidthEfficiency; }
    public StringProperty interconnectEfficiencyProperty() { return interconnectEfficiency; }
    public StringProperty memoryReservationProperty() { return memoryReservation; }
    public StringProperty fragmentationProperty() { return fragmentation; }

    public ReadOnlyObjectProperty<Estimate> estimateProperty() { return estimate.getReadOnlyProperty(); }
    public Estimate getEstimate() { return estimate.get(); }
    public ReadOnlyObjectProperty<Scenario> scenarioProperty() { return scenario.getReadOnlyProperty(); }
    public ObservableMap<String, String> fieldProblems() { return fieldProblemsView; }
    public ObservableList<String> problems() { return problemsView; }
    public ReadOnlyDoubleProperty recomputeMillisProperty() { return recomputeMillis.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty dirtyProperty() { return dirty.getReadOnlyProperty(); }
    public boolean isDirty() { return dirty.get(); }
    public ReadOnlyObjectProperty<Path> fileProperty() { return file.getReadOnlyProperty(); }
    public Path getFile() { return file.get(); }
    /** The chosen model's attention layers in words, "1 sliding (4,096) : 1 full, repeated over 42 layers (...)"; empty when there is no model yet. */
    public ReadOnlyStringProperty attentionPatternProperty() { return attentionPattern.getReadOnlyProperty(); }
    public String getAttentionPattern() { return attentionPattern.get(); }
    /** The chosen model's FFN layers in words, "3 dense + 58 MoE (256 experts, 8 active, 1 shared)". */
    public ReadOnlyStringProperty ffnLayoutProperty() { return ffnLayout.getReadOnlyProperty(); }
    public String getFfnLayout() { return ffnLayout.get(); }
    /** The estimate's nodes and network in words, "4 nodes x 8 GPUs (NVLink 4 domain 8), ..."; empty while an input is bad. */
    public ReadOnlyStringProperty layoutSummaryProperty() { return layoutSummary.getReadOnlyProperty(); }
    public String getLayoutSummary() { return layoutSummary.get(); }
    /** What the blank node, host and share fields stand for with the selected GPU. */
    ReadOnlyObjectProperty<HardwareDefaults> hardwareDefaultsProperty() { return hardwareDefaults.getReadOnlyProperty(); }
    HardwareDefaults getHardwareDefaults() { return hardwareDefaults.get(); }

    /** Inputs in the order a plan comparison lists them, with their current values. */
    static Map<String, String> describe(Scenario s) {
        Map<String, String> rows = new LinkedHashMap<>();
        Scenario.ModelSpec m = s.model();
        rows.put("Model", m.catalogId() != null ? m.catalogId() : m.name());
        rows.put("Workload", s.workload().label() + (s.workload() == Workload.FINETUNE ? " (" + s.training().method().label() + ")" : ""));
        rows.put("Weights", s.precision().weights().label());
        rows.put("KV cache", s.precision().kvCache().label());
        rows.put("Batch", Integer.toString(s.shape().batch()));
        rows.put("Input tokens", Integer.toString(s.shape().inputTokens()));
        rows.put("Output tokens", Integer.toString(s.shape().outputTokens()));
        rows.put("GPU", s.hardware().gpuId() + " x " + s.hardware().count());
        rows.put("Nodes", nodes(s.hardware().nodes()));
        rows.put("CPU offload", offload(s.hardware().offload()));
        rows.put("Host memory", host(s.hardware().offload()));
        rows.put("Unified GPU share", s.hardware().unifiedGpuShare() == null ? "default"
                : plain(s.hardware().unifiedGpuShare()));
        rows.put("TP x PP x DP", s.parallelism().tensor() + " x " + s.parallelism().pipeline() + " x " + s.parallelism().data());
        rows.put("ZeRO", Integer.toString(s.parallelism().zeroStage()));
        rows.put("Runtime", s.runtime().label());
        return rows;
    }

    static List<String> describeKeys() {
        return new ArrayList<>(List.of("Model", "Workload", "Weights", "KV cache", "Batch", "Input tokens",
                "Output tokens", "GPU", "Nodes", "CPU offload", "Host memory", "Unified GPU share", "TP x PP x DP",
                "ZeRO", "Runtime"));
    }

    /** "4 x 8 GPUs, ib-ndr-400"; blank fields read as what they leave to the GPU's catalog node. */
    private static String nodes(Scenario.Nodes n) {
        return (n.nodes() == null ? "derived" : n.nodes().toString()) + " x "
                + (n.gpusPerNode() == null ? "derived" : n.gpusPerNode().toString()) + " GPUs, "
                + (n.network() == null ? "GPU default network" : n.network());
    }

    private static String offload(Scenario.Offload o) {
        if (o.gpuLayers() != null) {
            return "llama.cpp: " + o.gpuLayers() + " GPU layers";
        }
        if (o.cpuOffloadBytes() != null && o.cpuOffloadBytes() > 0) {
            return "vLLM: " + Format.gib(o.cpuOffloadBytes()) + " per GPU";
        }
        return "none";
    }

    private static String host(Scenario.Offload o) {
        return (o.hostMemoryBytes() == null ? "platform default" : Format.gib(o.hostMemoryBytes())) + " at "
                + (o.hostBandwidth() == null ? "platform default" : plain(o.hostBandwidth() / 1e9) + " GB/s");
    }
}
