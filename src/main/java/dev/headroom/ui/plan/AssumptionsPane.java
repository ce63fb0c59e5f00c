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
        Button reset = new Button("Reset to defaults");
        reset.setId("plan-assumptions-reset");
        reset.setOnAction(e -> vm.resetAssumptions());

        TableView<Map.Entry<String, Estimate.Assumption>> table = new TableView<>();
        table.setId("plan-assumptions-table");
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
        getChildren().addAll(note, grid, reset, table);
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
