package dev.headroom.ui.plan;

import dev.headroom.catalog.Network;
import dev.headroom.common.Format;
import dev.headroom.ui.common.Forms;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.StringProperty;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.StackPane;
import org.controlsfx.validation.ValidationSupport;

/**
 * The hardware step's node, network, CPU-offload and host-memory rows. Blank fields take the selected GPU's
 * catalog node and host platform, and their prompts say what that is.
 */
final class NodeAndOffloadRows {
    private final PlanViewModel vm;
    private final ValidationSupport validation;

    NodeAndOffloadRows(PlanViewModel vm, ValidationSupport validation) {
        this.vm = vm;
        this.validation = validation;
    }

    void addTo(GridPane grid) {
        TextField nodes = number(grid, "Nodes", vm.nodesProperty(), "nodes", "Machines the GPUs sit in; blank = GPUs"
                + " / GPUs per node, rounded up. Tensor parallelism stays inside a node, the other groups cross the"
                + " network beyond it.", "nodes x gpus-per-node");
        nodes.setPromptText("GPUs / GPUs per node");
        TextField perNode = number(grid, "GPUs per node", vm.gpusPerNodeProperty(), "gpus-per-node",
                "GPUs in each node, at most what one of the GPU's catalog nodes holds (HGX 8, NVL72 72).",
                "nodes x gpus-per-node");
        perNode.promptTextProperty().bind(defaults(HardwareDefaults::gpusPerNode));
        ComboBox<String> network = Forms.choice(vm.networkProperty(), networkIds(), this::networkLabel, "plan-network");
        Forms.row(grid, "Network", network, "The scale-out network between nodes, one port per NIC; the catalog's"
                + " node gives each GPU its share. GPU default = the network the GPU's catalog node ships with.");
        Forms.validate(validation, network, vm.fieldProblems(), "network");
        Label layout = new Label();
        layout.setId("plan-layout");
        layout.setWrapText(true);
        layout.textProperty().bind(Bindings.createStringBinding(() -> vm.getLayoutSummary().isEmpty() ? "\u2013"
                : vm.getLayoutSummary(), vm.layoutSummaryProperty()));
        Forms.row(grid, "Layout per node", layout, "Nodes, GPUs in each, the GPUs sharing a fast link, and what each"
                + " GPU gets of the network between nodes, as the estimate resolved them.");

        ComboBox<PlanViewModel.CpuOffload> offload = Forms.choice(vm.cpuOffloadProperty(),
                List.of(PlanViewModel.CpuOffload.values()), mode -> switch (mode) {
                    case NONE -> "none: all weights in GPU memory";
                    case GPU_LAYERS -> "llama.cpp layers (-ngl)";
                    case WEIGHTS -> "vLLM weights (--cpu-offload-gb)";
                }, "plan-cpu-offload");
        Forms.row(grid, "CPU offload", offload, "llama.cpp runs the layers that are not on the GPU on the CPU, reading"
                + " them from host memory; vLLM keeps some weight bytes in pinned host memory and copies them over"
                + " PCIe on every forward pass. Both are inference only.");
        Forms.validate(validation, offload, vm.fieldProblems(), "cpu-offload");
        offloadAmount(grid);

        TextField hostMemory = number(grid, "Host memory GiB", vm.hostMemoryGibProperty(), "host-memory",
                "Host memory of one node, holding the offloaded weights and the CPU layers' KV cache; blank = the"
                        + " GPU's catalog host platform, or on a unified machine what the GPU's share leaves.");
        hostMemory.promptTextProperty().bind(defaults(HardwareDefaults::hostMemoryGib));
        TextField hostBandwidth = number(grid, "Host bandwidth GB/s", vm.hostBandwidthGbpsProperty(),
                "host-bandwidth", "What the CPU reads host memory at (channels x 8 bytes x transfers per second);"
                        + " the estimate never reads it faster than the GPU reads its own memory.");
        hostBandwidth.promptTextProperty().bind(defaults(HardwareDefaults::hostBandwidthGbps));

        TextField share = number(grid, "Unified GPU share", vm.unifiedGpuShareProperty(),
                "unified-gpu-share", null);
        BooleanBinding unified = Bindings.createBooleanBinding(() -> vm.getHardwareDefaults().unified(),
                vm.hardwareDefaultsProperty());
        share.disableProperty().bind(unified.not());
        share.promptTextProperty().bind(Bindings.createStringBinding(() -> vm.getHardwareDefaults().unified()
                ? vm.getHardwareDefaults().unifiedShare() : "unified-memory machines only", vm.hardwareDefaultsProperty()));
        Tooltip tip = Forms.tooltip("");
        tip.textProperty().bind(Bindings.createStringBinding(() -> vm.getHardwareDefaults().unified()
                ? "Share of the memory the GPU may use; the system keeps the rest. Raise it with: "
                        + vm.getHardwareDefaults().unifiedControl()
                : "Applies to unified-memory machines (Apple silicon, AMD Strix Halo, NVIDIA GB10), whose GPU and"
                        + " CPU share one memory.", vm.hardwareDefaultsProperty()));
        share.setTooltip(tip);
        label(grid, share).setTooltip(tip);
    }

    /**
     * One row for how much is offloaded: "GPU layers" for llama.cpp, "Offload GiB per GPU" for vLLM, the field of
     * the other mode stacked beneath and hidden. Swapping within a row, not hiding rows, keeps the grid's rows
     * where they are (a GridPane row without managed children still takes its place and gap).
     */
    private void offloadAmount(GridPane grid) {
        TextField layers = Forms.textField(vm.gpuLayersProperty(), "plan-gpu-layers");
        Tooltip layersTip = Forms.tooltip("llama.cpp's -ngl: the last N layers run on the GPU (the output head counts"
                + " as one), the rest and the input embedding on the CPU, reading host memory. One GPU (tp 1, pp 1).");
        layers.setTooltip(layersTip);
        layers.setAccessibleText("GPU layers, llama.cpp's -ngl");
        Forms.validate(validation, layers, vm.fieldProblems(), "gpu-layers");
        TextField gib = Forms.textField(vm.cpuOffloadGibProperty(), "plan-cpu-offload-gb");
        Tooltip gibTip = Forms.tooltip("vLLM's --cpu-offload-gb: GiB of each GPU's weights kept in pinned host memory"
                + " and copied over the host link (PCIe, NVLink-C2C) on every forward pass.");
        gib.setTooltip(gibTip);
        Forms.validate(validation, gib, vm.fieldProblems(), "cpu-offload-gb");
        for (TextField field : List.of(layers, gib)) {
            field.setMaxWidth(Double.MAX_VALUE);
        }
        BooleanBinding weights = vm.cpuOffloadProperty().isEqualTo(PlanViewModel.CpuOffload.WEIGHTS);
        BooleanBinding none = vm.cpuOffloadProperty().isEqualTo(PlanViewModel.CpuOffload.NONE);
        layers.visibleProperty().bind(weights.not());
        gib.visibleProperty().bind(weights);
        layers.disableProperty().bind(none);
        layers.promptTextProperty().bind(Bindings.when(none).then("all layers on the GPU")
                .otherwise("layers on the GPU, e.g. 40"));
        gib.setPromptText("GiB of weights per GPU, e.g. 10");
        StackPane amount = new StackPane(layers, gib);
        Forms.row(grid, "GPU layers", amount, null);
        Label label = label(grid, amount);
        label.textProperty().bind(Bindings.when(weights).then("Offload GiB per GPU").otherwise("GPU layers"));
        label.tooltipProperty().bind(Bindings.when(weights).then(gibTip).otherwise(layersTip));
    }

    private TextField number(GridPane grid, String label, StringProperty value, String field, String explanation,
                             String... alsoFields) {
        TextField text = Forms.textField(value, "plan-" + field);
        Forms.row(grid, label, text, explanation);
        List<String> fields = new ArrayList<>(List.of(field));
        fields.addAll(List.of(alsoFields));
        Forms.validate(validation, text, vm.fieldProblems(), fields.toArray(String[]::new));
        return text;
    }

    private javafx.beans.binding.StringBinding defaults(Function<HardwareDefaults, String> text) {
        return Bindings.createStringBinding(() -> text.apply(vm.getHardwareDefaults()), vm.hardwareDefaultsProperty());
    }

    /** Blank first (the GPU's default), then the catalog's networks. */
    private List<String> networkIds() {
        List<String> ids = new ArrayList<>(List.of(""));
        ids.addAll(vm.catalog().networks().keySet());
        return ids;
    }

    private String networkLabel(String id) {
        if (id.isEmpty()) {
            return "GPU default";
        }
        return vm.catalog().network(id).map(n -> n.name() + "  \u00b7  " + perPort(n)).orElse(id);
    }

    private static String perPort(Network n) {
        return n.bytesPerSecond() == null ? "" : Format.gbPerSecond(n.bytesPerSecond()) + " per port";
    }

    private static Label label(GridPane grid, Node control) {
        return grid.getChildren().stream().filter(n -> n instanceof Label l && l.getLabelFor() == control)
                .map(Label.class::cast).findFirst().orElseThrow();
    }
}
