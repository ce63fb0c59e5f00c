package dev.headroom.ui.plan;

import dev.headroom.common.Format;
import dev.headroom.sizing.GpuComparison;
import dev.headroom.sizing.Scenario;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableBooleanValue;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;

/** The plan on every catalog GPU: fits as planned, GPUs needed, speed, price of those GPUs; every column sorts. */
final class GpuComparisonPane extends VBox {
    private final PlanViewModel vm;
    private final GpuComparison comparison;
    private final TableView<GpuComparison.Row> table = new TableView<>();
    private final ObservableBooleanValue showing;

    GpuComparisonPane(PlanViewModel vm, ObservableBooleanValue showing) {
        this.vm = vm;
        this.showing = showing;
        this.comparison = new GpuComparison(vm.engine(), vm.catalog());
        table.setId("plan-gpu-table");
        table.setAccessibleText("The plan on every catalog GPU");
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        table.getColumns().add(column("GPU", r -> r.gpu().id(), 110));
        table.getColumns().add(column("Class", r -> r.gpu().gpuClass().label(), 90));
        table.getColumns().add(column("Fits as planned", r -> r.fitsAsPlanned() ? "yes" : "no", 95));
        table.getColumns().add(column("GPUs needed", GpuComparison.Row::gpusNeeded, 90));
        table.getColumns().add(column("Layout", r -> r.gpusNeeded() == null ? "-"
                : "tp " + r.tensorParallel() + " x pp " + r.pipelineParallel(), 95));
        table.getColumns().add(column("Needs GiB/GPU", r -> round(r.perGpuBytes() / Format.GIB), 100));
        table.getColumns().add(column("Usable GiB", r -> round(r.capacityBytes() / Format.GIB), 85));
        table.getColumns().add(column("Tokens/s", r -> r.outputTokensPerSecond() != null
                ? round(r.outputTokensPerSecond()) : r.trainingTokensPerSecond() != null ? round(r.trainingTokensPerSecond()) : null, 85));
        table.getColumns().add(column("GPU price ($)", r -> r.priceUsd() == null ? null : Math.round(r.priceUsd()), 100));
        Label note = new Label("Needs GiB/GPU is the plan's memory on its own layout; GPUs needed is the smallest"
                + " tp x pp that fits each GPU, where tokens/s is measured. Prices are the catalog's dated purchase"
                + " prices of those GPUs alone (no servers, no power); Costs compares owning and renting in full.");
        note.setWrapText(true);
        note.getStyleClass().add("text-muted");
        getChildren().addAll(note, table);
        setSpacing(8);
        setPadding(new Insets(8));
        VBox.setVgrow(table, javafx.scene.layout.Priority.ALWAYS);
        vm.estimateProperty().addListener((obs, old, e) -> refresh());
        showing.addListener((obs, old, now) -> refresh());
    }

    private void refresh() {
        Scenario s = vm.currentScenario();
        if (!showing.get() || s == null) {
            return;
        }
        table.getItems().setAll(comparison.compare(s));
    }

    private static Double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static <T> TableColumn<GpuComparison.Row, T> column(String title, Function<GpuComparison.Row, T> value,
                                                              double width) {
        TableColumn<GpuComparison.Row, T> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return column;
    }
}
