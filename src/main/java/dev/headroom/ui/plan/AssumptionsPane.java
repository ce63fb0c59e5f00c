package dev.headroom.ui.plan;

import dev.headroom.sizing.Efficiencies;
import dev.headroom.sizing.Estimate;
import dev.headroom.ui.common.Forms;
import java.util.Map;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.StringProperty;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.controlsfx.validation.ValidationSupport;

/**
 * Every number the estimate rests on, with its source; the efficiencies and overheads a user may dispute are
 * editable here (blank = the documented default), and Reset brings the defaults back.
 */
final class AssumptionsPane extends VBox {
    private static final String NONE = "none (the defaults)";

    AssumptionsPane(PlanViewModel vm, ValidationSupport validation) {
        GridPane grid = Forms.grid();
        edit(grid, vm, validation, "Compute efficiency, training (MFU of the kernels)", vm.mfuProperty(), "mfu",
                Efficiencies.DEFAULTS.mfu(), "Fraction of dense peak the training kernels reach before communication and bubbles.");
        edit(grid, vm, validation, "Compute efficiency, prefill", vm.prefillEfficiencyProperty(), "prefill-efficiency",
                Efficiencies.DEFAULTS.prefillEfficiency(), "Fraction of dense peak a prefill reaches.");
        edit(grid, vm, validation, "Memory-bandwidth efficiency, decode", vm.bandwidthEfficiencyProperty(),
                "bandwidth-efficiency", Efficiencies.DEFAULTS.bandwidthEfficiency(),
                "Fraction of the memory bandwidth decode kernels reach.");
        edit(grid, vm, validation, "Interconnect efficiency", vm.interconnectEfficiencyProperty(),
                "interconnect-efficiency", Efficiencies.DEFAULTS.interconnectEfficiency(),
                "Fraction of NVLink/PCIe bandwidth NCCL collectives reach.");
        edit(grid, vm, validation, "Share of the GPU the runtime uses", vm.memoryReservationProperty(),
                "memory-reservation", null, "vLLM's gpu_memory_utilization (0.9 by default); 1 for most others.");
        edit(grid, vm, validation, "Allocator fragmentation", vm.fragmentationProperty(), "fragmentation", null,
                "Slack the allocator leaves, as a share of what is allocated (5-10 % for eager PyTorch).");
        javafx.scene.control.ComboBox<String> profiles = new javafx.scene.control.ComboBox<>();
        profiles.setId("plan-calibration");
        profiles.getItems().add(NONE);
        profiles.setValue(NONE);
        Label applies = new Label();
        applies.setId("plan-calibration-status");
        applies.getStyleClass().add("text-muted");
        // The folder is read off the FX thread each time the list opens, and a chosen profile likewise.
        profiles.setOnShowing(e -> java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return dev.headroom.calibration.CalibrationStore.standard().list();
            } catch (java.io.IOException ex) {
                return java.util.List.<String>of();
            }
        }).thenAccept(names -> javafx.application.Platform.runLater(() -> {
            String chosen = profiles.getValue();
            for (String name : names) {
                if (!profiles.getItems().contains(name)) {
                    profiles.getItems().add(name);
                }
            }
            profiles.setValue(chosen);
        })));
        profiles.valueProperty().addListener((obs, old, name) -> {
            if (name == null || name.equals(NONE)) {
                vm.calibrationProperty().set(null);
                return;
            }
            java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return dev.headroom.calibration.CalibrationStore.standard().load(name);
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }).whenComplete((c, error) -> javafx.application.Platform.runLater(() -> {
                if (error != null) {
                    applies.setText((error.getCause() != null ? error.getCause() : error).getMessage());
                    return;
                }
                vm.calibrationProperty().set(c);
            }));
        });
        Runnable status = () -> {
            var c = vm.calibrationProperty().get();
            var plan = vm.currentScenario();
            applies.setText(c == null ? "Fit one with 'headroom calibrate' or Monitor's Plan > Calibrate from this run"
                    : plan != null && c.appliesTo(plan) ? c.describe()
                    : "'" + c.name() + "' was fitted on " + c.gpu() + (c.runtime() == null ? "" : " with "
                    + c.runtime().label()) + ": not applied to this plan's GPU or runtime");
        };
        vm.calibrationProperty().addListener((obs, old, c) -> {
            vm.recompute();
            status.run();
        });
        vm.estimateProperty().addListener((obs, old, e) -> status.run());
        status.run();
        Forms.row(grid, "Calibration profile", profiles, "Efficiencies and overheads fitted to your own"
                + " measurements of one GPU and runtime.");
        Button reset = new Button("Reset to defaults");
        reset.setId("plan-assumptions-reset");
        reset.setOnAction(e -> vm.resetAssumptions());

        TableView<Map.Entry<String, Estimate.Assumption>> table = new TableView<>();
        table.setId("plan-assumptions-table");
        table.setAccessibleText("Every assumption of the estimate, with its source");
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        table.getColumns().add(column("Assumption", a -> a.label(), 250));
        table.getColumns().add(column("Value", a -> String.valueOf(a.value()), 110));
        table.getColumns().add(column("Unit", a -> a.unit() == null ? "" : a.unit(), 90));
        table.getColumns().add(column("Source", Estimate.Assumption::source, 420));
        vm.estimateProperty().addListener((obs, old, e) -> table.getItems().setAll(
                e == null ? java.util.List.of() : e.assumptions().entrySet()));
        if (vm.getEstimate() != null) {
            table.getItems().setAll(vm.getEstimate().assumptions().entrySet());
        }
        Label note = new Label("Blank fields use the default shown greyed; the table lists every number behind the"
                + " estimate and where it comes from (\"user\" when you changed it).");
        note.setWrapText(true);
        note.getStyleClass().add("text-muted");
        getChildren().addAll(note, grid, applies, reset, table);
        setSpacing(8);
        setPadding(new Insets(8));
        VBox.setVgrow(table, Priority.ALWAYS);
    }

    private static void edit(GridPane grid, PlanViewModel vm, ValidationSupport validation, String label,
                             StringProperty value, String field, Double defaultValue, String explanation) {
        TextField text = Forms.textField(value, "plan-" + field);
        text.setPromptText(defaultValue == null ? "runtime default" : "default " + defaultValue);
        Forms.row(grid, label, text, explanation);
        Forms.validate(validation, text, vm.fieldProblems(), field);
    }

    private static TableColumn<Map.Entry<String, Estimate.Assumption>, String> column(
            String title, java.util.function.Function<Estimate.Assumption, String> value, double width) {
        TableColumn<Map.Entry<String, Estimate.Assumption>, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue().getValue())));
        return column;
    }
}
