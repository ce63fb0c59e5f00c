package dev.headroom.ui.plan;

import dev.headroom.catalog.Gpu;
import dev.headroom.catalog.GpuClass;
import dev.headroom.catalog.Model;
import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.common.Format;
import dev.headroom.sizing.FinetuneMethod;
import dev.headroom.sizing.NumberFormat;
import dev.headroom.sizing.Optimizer;
import dev.headroom.sizing.Recompute;
import dev.headroom.sizing.RuntimeProfile;
import dev.headroom.sizing.WeightFormat;
import dev.headroom.sizing.Workload;
import dev.headroom.ui.common.Forms;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.controlsfx.validation.ValidationSupport;

/** The five steps of the sizing wizard, each a form bound to the {@link PlanViewModel}. */
final class WizardSteps {
    private final PlanViewModel vm;
    private final ValidationSupport validation;
    private final Consumer<java.nio.file.Path> importConfig;
    private final Runnable chooseConfig;

    WizardSteps(PlanViewModel vm, ValidationSupport validation, Consumer<java.nio.file.Path> importConfig,
                Runnable chooseConfig) {
        this.vm = vm;
        this.validation = validation;
        this.importConfig = importConfig;
        this.chooseConfig = chooseConfig;
    }

    private TextField number(GridPane grid, String label, javafx.beans.property.StringProperty value, String field,
                             String explanation) {
        TextField text = Forms.textField(value, "plan-" + field);
        Forms.row(grid, label, text, explanation);
        Forms.validate(validation, text, vm.fieldProblems(), field);
        return text;
    }

    // --- 1. Model ---------------------------------------------------------------------------------------------

    Node model() {
        ToggleGroup source = new ToggleGroup();
        RadioButton fromCatalog = radio("Catalog", source, PlanViewModel.ModelSource.CATALOG, "plan-source-catalog");
        RadioButton imported = radio("config.json", source, PlanViewModel.ModelSource.IMPORTED, "plan-source-imported");
        RadioButton custom = radio("Custom", source, PlanViewModel.ModelSource.CUSTOM, "plan-source-custom");
        sync(source, vm.modelSourceProperty());

        TextField search = new TextField();
        search.setId("plan-model-search");
        search.setPromptText("Search: name, family, size (70b), moe or dense");
        search.setAccessibleText("Search the catalog's models by name, family, size, MoE or dense");
        ListView<Model> list = new ListView<>();
        list.setId("plan-model-list");
        list.setAccessibleText("Catalog models");
        FilteredList<Model> models = new FilteredList<>(FXCollections.observableArrayList(vm.catalog().models().values()));
        search.textProperty().addListener((obs, old, text) -> models.setPredicate(m -> matches(m, text)));
        list.setItems(models);
        list.setPrefHeight(220);
        list.setCellFactory(view -> new ListCell<>() {
            @Override
            protected void updateItem(Model m, boolean empty) {
                super.updateItem(m, empty);
                setText(empty || m == null ? null : String.format(Locale.ROOT, "%s  ·  %s parameters  ·  %s  ·  %s",
                        m.name(), Format.parameters(m.derivedParameters()), m.architecture().hasExperts() ? "MoE" : "dense",
                        m.family()));
            }
        });
        vm.catalog().model(vm.modelIdProperty().get()).ifPresent(list.getSelectionModel()::select);
        list.getSelectionModel().selectedItemProperty().addListener((obs, old, m) -> {
            if (m != null) {
                vm.modelIdProperty().set(m.id());
                vm.modelSourceProperty().set(PlanViewModel.ModelSource.CATALOG);
            }
        });
        vm.modelIdProperty().addListener((obs, old, id) -> vm.catalog().model(id).ifPresent(m -> {
            if (list.getSelectionModel().getSelectedItem() != m) {
                list.getSelectionModel().select(m);
            }
        }));

        Button importButton = new Button("Import config.json…");
        importButton.setId("plan-import");
        importButton.setOnAction(e -> chooseConfig.run());
        Label importedName = new Label();
        importedName.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> vm.importedArchitectureProperty().get() == null ? "Nothing imported yet (or drop a config.json here)"
                        : vm.importedNameProperty().get(), vm.importedArchitectureProperty(), vm.importedNameProperty()));

        GridPane customGrid = Forms.grid();
        number(customGrid, "Layers", vm.layersProperty(), "layers", "Decoder layers (num_hidden_layers).");
        number(customGrid, "Hidden size", vm.hiddenProperty(), "hidden", "Model width h (hidden_size).");
        number(customGrid, "Attention heads", vm.headsProperty(), "heads", "Query heads (num_attention_heads).");
        number(customGrid, "KV heads", vm.kvHeadsProperty(), "kv-heads",
                "Grouped-query attention: key/value heads shared by several query heads; fewer KV heads, smaller KV cache.");
        number(customGrid, "Head dim", vm.headDimProperty(), "head-dim", "Per-head dimension; blank = hidden / heads.");
        number(customGrid, "FFN size", vm.ffnProperty(), "ffn", "Intermediate size of the feed-forward block.");
        Forms.row(customGrid, "FFN kind", Forms.choice(vm.ffnKindProperty(), List.of(ModelArchitecture.FfnKind.values()),
                k -> k == ModelArchitecture.FfnKind.GATED ? "gated (SwiGLU/GeGLU, 3 matrices)" : "plain (GELU, 2 matrices)",
                "plan-ffn-kind"), "SwiGLU-style FFNs have three matrices, GELU MLPs two.");
        number(customGrid, "Vocabulary", vm.vocabProperty(), "vocab", "Tokens in the vocabulary (embedding rows).");
        number(customGrid, "Experts", vm.expertsProperty(), "experts", "Mixture of experts: routed experts per layer; blank = dense.");
        number(customGrid, "Active experts", vm.activeExpertsProperty(), "active-experts", "Experts each token is routed to.");
        number(customGrid, "Max context", vm.maxContextProperty(), "max-context", "Longest sequence the model supports.");
        customGrid.disableProperty().bind(vm.modelSourceProperty().isNotEqualTo(PlanViewModel.ModelSource.CUSTOM));

        Label derived = new Label();
        derived.setId("plan-derived-params");
        Runnable updateDerived = () -> {
            Long parameters = vm.derivedParameters();
            derived.setText(parameters == null ? "Parameters: the fields do not describe a model yet"
                    : "Derived parameters: " + Format.parameters(parameters) + String.format(Locale.ROOT, " (%,d)", parameters));
        };
        vm.estimateProperty().addListener((obs, old, e) -> updateDerived.run());
        vm.modelIdProperty().addListener((obs, old, e) -> updateDerived.run());
        updateDerived.run();
        GridPane structure = Forms.grid();
        Forms.row(structure, "Attention layers", described(vm.attentionPatternProperty(), "plan-attention-pattern"),
                "What each layer attends to. Sliding and chunked layers keep only their window of tokens, linear"
                        + " and Mamba layers a fixed state, so their share of the KV cache stops growing with the context.");
        Forms.row(structure, "FFN layers", described(vm.ffnLayoutProperty(), "plan-ffn-layout"),
                "Dense layers run their whole FFN for every token; MoE layers route each token to a few of their"
                        + " experts (plus any shared ones), so all experts are held in memory but only the active ones compute.");
        structure.add(derived, 0, structure.getRowCount(), 2, 1);

        ToggleGroup filter = new ToggleGroup();
        HBox filters = new HBox(6);
        for (String kind : List.of("All", "Dense", "MoE")) {
            ToggleButton button = new ToggleButton(kind);
            button.setToggleGroup(filter);
            button.setUserData(kind);
            filters.getChildren().add(button);
            if (kind.equals("All")) {
                button.setSelected(true);
            }
        }
        filter.selectedToggleProperty().addListener((obs, old, toggle) -> {
            String kind = toggle == null ? "All" : (String) toggle.getUserData();
            models.setPredicate(m -> matches(m, search.getText()) && (kind.equals("All")
                    || (kind.equals("MoE") == m.architecture().hasExperts())));
        });

        VBox page = page("Which model?",
                "Pick a catalog model, import a Hugging Face config.json (button or drag and drop), or describe an architecture.",
                new HBox(16, fromCatalog, imported, custom), new HBox(8, search, filters), list,
                new HBox(12, importButton, importedName), structure, new Label("Custom architecture"), customGrid);
        HBox.setHgrow(search, Priority.ALWAYS);
        page.setOnDragOver(event -> {
            if (event.getDragboard().hasFiles()) {
                event.acceptTransferModes(TransferMode.COPY);
            }
            event.consume();
        });
        page.setOnDragDropped(event -> {
            var files = event.getDragboard().getFiles();
            boolean accepted = !files.isEmpty() && files.get(0).getName().endsWith(".json");
            if (accepted) {
                importConfig.accept(files.get(0).toPath());
            }
            event.setDropCompleted(accepted);
            event.consume();
        });
        return page;
    }

    /** A wrapping line that shows a view-model description, or a dash while there is nothing to describe. */
    private static Label described(javafx.beans.value.ObservableStringValue text, String id) {
        Label label = new Label();
        label.setId(id);
        label.setWrapText(true);
        label.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> text.get() == null || text.get().isEmpty() ? "\u2013" : text.get(), text));
        return label;
    }

    static boolean matches(Model m, String text) {
        if (text == null || text.isBlank()) {
            return true;
        }
        String haystack = (m.id() + " " + m.name() + " " + m.family() + " "
                + (m.architecture().hasExperts() ? "moe mixture" : "dense") + " "
                + Math.round(m.derivedParameters() / 1e9) + "b").toLowerCase(Locale.ROOT);
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("\\s+")).allMatch(haystack::contains);
    }

    // --- 2. Workload ------------------------------------------------------------------------------------------

    Node workload() {
        ToggleGroup group = new ToggleGroup();
        RadioButton inference = radio("Inference", group, Workload.INFERENCE, "plan-workload-inference");
        RadioButton finetune = radio("Fine-tuning", group, Workload.FINETUNE, "plan-workload-finetune");
        RadioButton pretrain = radio("Pre-training", group, Workload.PRETRAIN, "plan-workload-pretrain");
        sync(group, vm.workloadProperty());
        GridPane grid = Forms.grid();
        ComboBox<FinetuneMethod> method = Forms.choice(vm.methodProperty(), List.of(FinetuneMethod.values()),
                m -> switch (m) {
                    case FULL -> "full: every weight trained";
                    case LORA -> "LoRA: adapters over frozen 16-bit weights";
                    case QLORA -> "QLoRA: adapters over frozen 4-bit NF4 weights";
                }, "plan-method");
        Forms.row(grid, "Fine-tuning method", method, "LoRA trains small low-rank adapters; the frozen weights need no"
                + " gradients or optimizer states. QLoRA also stores them in 4 bits.");
        Forms.validate(validation, method, vm.fieldProblems(), "method");
        TextField rank = number(grid, "LoRA rank", vm.loraRankProperty(), "lora-rank",
                "Rank r of each adapter: it adds r x (inputs + outputs) parameters per adapted matrix.");
        method.disableProperty().bind(vm.workloadProperty().isNotEqualTo(Workload.FINETUNE));
        rank.disableProperty().bind(vm.workloadProperty().isNotEqualTo(Workload.FINETUNE)
                .or(vm.methodProperty().isEqualTo(FinetuneMethod.FULL)));
        return page("What will it do?", "Each workload costs memory differently.",
                explained(inference, "Weights plus a KV cache that grows with every token of every concurrent"
                        + " sequence; activations are transient."),
                explained(finetune, "Weights, gradients, optimizer states and activations of the training batch;"
                        + " LoRA and QLoRA keep gradients and optimizer states for the adapters only."),
                explained(pretrain, "Everything full fine-tuning needs, at the scale of a cluster: ZeRO and"
                        + " tensor/pipeline parallelism decide what each GPU holds."), grid);
    }

    // --- 3. Precision -----------------------------------------------------------------------------------------

    Node precision() {
        GridPane grid = Forms.grid();
        ComboBox<WeightFormat> weights = Forms.choice(vm.weightsProperty(), List.of(WeightFormat.values()),
                f -> String.format(Locale.ROOT, "%s  (%.3g bits per weight)", f.label(),
                        f.baseBits(WeightFormat.DEFAULT_GROUP_SIZE)), "plan-weights");
        Forms.row(grid, "_Weights", weights, "How weights are stored. The bits include block scales and zero points;"
                + " GGUF mixes also keep some tensors at higher precision (shown in the assumptions).");
        Forms.validate(validation, weights, vm.fieldProblems(), "weights");
        Forms.row(grid, "KV cache", Forms.choice(vm.kvCacheProperty(), List.of(NumberFormat.values()),
                NumberFormat::label, "plan-kv-cache"), "The KV cache dtype is separate from the weights: fp8 halves"
                + " the cache of a 16-bit model. Paged KV cache: vLLM stores it in blocks of 16 tokens, so every"
                + " sequence rounds up to whole blocks.");
        Forms.row(grid, "Optimizer", Forms.choice(vm.optimizerProperty(), List.of(Optimizer.values()),
                o -> switch (o) {
                    case ADAMW -> "AdamW (8 B of state per parameter)";
                    case ADAMW_8BIT -> "8-bit AdamW (2 B)";
                    case SGD -> "SGD with momentum (4 B)";
                    case ADAFACTOR -> "Adafactor (factored, about 0 B)";
                }, "plan-optimizer"), "Optimizer state per trainable parameter, beside the fp32 master weights.");
        Forms.row(grid, "Gradient accumulation", Forms.choice(vm.gradientPrecisionProperty(),
                List.of(NumberFormat.FP32, NumberFormat.BF16, NumberFormat.FP16),
                f -> f == NumberFormat.FP32 ? "fp32 (Megatron/DeepSpeed: 18 B per parameter with AdamW)"
                        : f.label() + " (ZeRO paper: 16 B per parameter with AdamW)", "plan-grad-precision"),
                "The 16 vs 18 bytes-per-parameter disagreement: gradients accumulated in fp32 cost 2 bytes more.");
        CheckBox master = new CheckBox("Keep fp32 master weights");
        master.selectedProperty().bindBidirectional(vm.masterWeightsProperty());
        Forms.row(grid, "Mixed precision", master, "Mixed-precision training keeps an fp32 copy of every weight (4 B).");
        return page("In which precision?", "Weights, KV cache, and for training the optimizer and gradients.", grid);
    }

    // --- 4. Batch & sequence ----------------------------------------------------------------------------------

    Node shape() {
        GridPane inference = Forms.grid();
        number(inference, "_Batch (concurrent sequences)", vm.batchProperty(), "batch",
                "Sequences served at once; each keeps its own KV cache.");
        number(inference, "Input tokens", vm.inputTokensProperty(), "seq", "Prompt length; for training, the sequence length.");
        TextField output = number(inference, "Output tokens", vm.outputTokensProperty(), "output-tokens",
                "Tokens generated per sequence; the KV cache holds input + output.");
        output.disableProperty().bind(vm.workloadProperty().isNotEqualTo(Workload.INFERENCE));
        GridPane training = Forms.grid();
        number(training, "Micro-batch", vm.microBatchProperty(), "micro-batch", "Sequences per GPU per forward/backward pass.");
        number(training, "Gradient accumulation", vm.gradientAccumulationProperty(), "grad-accum",
                "Micro-batches per optimizer step; also the number of micro-batches a pipeline keeps in flight.");
        number(training, "Tokens to train", vm.trainTokensProperty(), "train-tokens",
                "For the time and GPU-hours to train (e.g. 1e12); blank for none.");
        training.disableProperty().bind(vm.workloadProperty().isEqualTo(Workload.INFERENCE));
        return page("How much at once?", "Batch and sequence lengths drive the KV cache and the activations.",
                new Label("Inference"), inference, new Label("Training"), training);
    }

    // --- 5. Hardware & parallelism ----------------------------------------------------------------------------

    Node hardware() {
        ToggleGroup classes = new ToggleGroup();
        javafx.scene.layout.FlowPane classFilter = new javafx.scene.layout.FlowPane(6, 6);
        ComboBox<Gpu> gpu = new ComboBox<>();
        gpu.setId("plan-gpu");
        List<Gpu> all = List.copyOf(vm.catalog().gpus().values());
        for (String label : List.of("All", "Consumer", "Workstation", "Data-center", "Unified")) {
            ToggleButton button = new ToggleButton(label);
            button.setToggleGroup(classes);
            button.setUserData(label);
            button.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            classFilter.getChildren().add(button);
            button.setSelected(label.equals("All"));
        }
        Runnable filterGpus = () -> {
            String selected = classes.getSelectedToggle() == null ? "All" : (String) classes.getSelectedToggle().getUserData();
            Gpu current = vm.catalog().gpu(vm.gpuIdProperty().get()).orElse(null);
            gpu.getItems().setAll(all.stream().filter(g -> selected.equals("All")
                    || g.gpuClass() == GpuClass.valueOf(selected.toUpperCase(Locale.ROOT).replace('-', '_'))).toList());
            gpu.setValue(current);
        };
        classes.selectedToggleProperty().addListener((obs, old, toggle) -> filterGpus.run());
        filterGpus.run();
        gpu.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Gpu g) {
                return g == null ? "" : g.name() + "  ·  " + Format.gib(g.capacityBytes()) + "  ·  " + g.gpuClass().label();
            }

            @Override
            public Gpu fromString(String s) {
                return null;
            }
        });
        gpu.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(Gpu g, boolean empty) {
                super.updateItem(g, empty);
                setText(empty || g == null ? null : gpu.getConverter().toString(g));
            }
        });
        gpu.valueProperty().addListener((obs, old, g) -> {
            if (g != null) {
                vm.gpuIdProperty().set(g.id());
            }
        });
        vm.gpuIdProperty().addListener((obs, old, id) -> vm.catalog().gpu(id).ifPresent(gpu::setValue));

        GridPane grid = Forms.grid();
        Forms.row(grid, "GPU class", classFilter, "Consumer cards lack NVLink and ECC; data-center parts have both.");
        Forms.row(grid, "_GPU", gpu, "A GPU from the catalog; its memory, bandwidth and dense TFLOPS drive the estimate.");
        Forms.validate(validation, gpu, vm.fieldProblems(), "gpu");
        number(grid, "GPUs", vm.gpuCountProperty(), "gpus", "GPUs in the plan: tp x pp x dp of them (dp defaults to the rest).");
        number(grid, "Tensor parallel (TP)", vm.tensorParallelProperty(), "tp",
                "Splits every layer across GPUs: two all-reduces per layer, so keep it inside one NVLink domain.");
        number(grid, "Pipeline parallel (PP)", vm.pipelineParallelProperty(), "pp",
                "Splits the layers into stages; the first stage holds the embedding and in-flight micro-batches.");
        TextField dp = number(grid, "Data parallel (DP)", vm.dataParallelProperty(), "dp",
                "Replicas (inference) or gradient-averaging ranks (training); blank = GPUs / (tp x pp).");
        dp.setPromptText("GPUs / (tp x pp)");
        ComboBox<Integer> zero = Forms.choice(vm.zeroStageProperty(), List.of(0, 1, 2, 3),
                z -> switch (z) {
                    case 0 -> "0: no sharding";
                    case 1 -> "1: optimizer states sharded";
                    case 2 -> "2: + gradients sharded";
                    default -> "3: + weights sharded (FSDP full shard)";
                }, "plan-zero");
        Forms.row(grid, "ZeRO stage", zero, "ZeRO shards optimizer states (1), gradients (2) and weights (3) across the"
                + " data-parallel GPUs.");
        Forms.validate(validation, zero, vm.fieldProblems(), "zero");
        Forms.row(grid, "Recomputation", Forms.choice(vm.recomputeProperty(), List.of(Recompute.values()),
                r -> switch (r) {
                    case NONE -> "none: keep every activation";
                    case SELECTIVE -> "selective: recompute attention (+2-4 % compute)";
                    case FULL -> "full: keep layer inputs only (8·N·D instead of 6·N·D)";
                }, "plan-recompute"), "Activation recomputation trades compute for memory (Korthikanti et al. 2022).");
        CheckBox flash = new CheckBox("Flash attention");
        flash.setId("plan-flash");
        flash.selectedProperty().bindBidirectional(vm.flashAttentionProperty());
        CheckBox sequence = new CheckBox("Sequence parallel");
        sequence.selectedProperty().bindBidirectional(vm.sequenceParallelProperty());
        CheckBox offload = new CheckBox("Offload optimizer to CPU");
        offload.selectedProperty().bindBidirectional(vm.offloadOptimizerProperty());
        javafx.scene.layout.FlowPane techniques = new javafx.scene.layout.FlowPane(12, 6, flash, sequence, offload);
        for (CheckBox box : List.of(flash, sequence, offload)) {
            box.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        Forms.row(grid, "Memory techniques", techniques, "Flash attention never stores the"
                + " s x s score matrix; sequence parallelism also splits the activations TP would replicate; offload"
                + " moves optimizer states to host memory.");
        Forms.row(grid, "Runtime", Forms.choice(vm.runtimeProperty(), List.of(RuntimeProfile.values()),
                RuntimeProfile::label, "plan-runtime"), "The serving or training stack: CUDA context, workspaces,"
                + " CUDA graphs, fragmentation, the share of the GPU it reserves (vLLM 90 %), KV paging, prefill chunks."
                + " On Apple silicon (Metal) vLLM and TensorRT-LLM do not run: the plan is sized with llama.cpp and says so.");
        new NodeAndOffloadRows(vm, validation).addTo(grid);
        return page("On which hardware?", "A GPU from the catalog, how many, how they sit in nodes, how the model is"
                + " split across them, and what lives in host memory.", grid);
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private static <T> RadioButton radio(String text, ToggleGroup group, T value, String id) {
        RadioButton button = new RadioButton(text);
        button.setToggleGroup(group);
        button.setUserData(value);
        button.setId(id);
        return button;
    }

    /** Keeps a toggle group and a view-model property in step, both ways. */
    @SuppressWarnings("unchecked")
    private static <T> void sync(ToggleGroup group, javafx.beans.property.ObjectProperty<T> property) {
        Runnable fromProperty = () -> group.getToggles().stream().filter(t -> t.getUserData() == property.get())
                .findFirst().ifPresent(group::selectToggle);
        fromProperty.run();
        property.addListener((obs, old, value) -> fromProperty.run());
        group.selectedToggleProperty().addListener((obs, old, toggle) -> {
            if (toggle != null) {
                property.set((T) toggle.getUserData());
            }
        });
    }

    private static Node explained(RadioButton button, String sentence) {
        Label text = new Label(sentence);
        text.setWrapText(true);
        text.getStyleClass().add("text-muted");
        VBox box = new VBox(2, button, text);
        VBox.setMargin(text, new Insets(0, 0, 6, 26));
        return box;
    }

    static VBox page(String title, String purpose, Node... content) {
        Label heading = new Label(title);
        heading.getStyleClass().add("title-3");
        Label line = new Label(purpose);
        line.setWrapText(true);
        line.getStyleClass().add("text-muted");
        VBox page = new VBox(10, heading, line);
        page.getChildren().addAll(content);
        page.setPadding(new Insets(4, 8, 8, 4));
        return page;
    }
}
