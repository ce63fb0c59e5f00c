package dev.headroom.ui.plan;

import dev.headroom.common.Format;
import dev.headroom.sizing.GpuComparison;
import dev.headroom.sizing.Scenario;
import java.util.Locale;
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
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(column("GPU", r -> r.gpu().name()));
        table.getColumns().add(column("Class", r -> r.gpu().gpuClass().label()));
        table.getColumns().add(column("Fits as planned", r -> r.fitsAsPlanned() ? "yes" : "no"));
        table.getColumns().add(column("GPUs needed", GpuComparison.Row::gpusNeeded));
        table.getColumns().add(column("Layout", r -> r.gpusNeeded() == null ? "-"
                : "tp " + r.tensorParallel() + " x pp " + r.pipelineParallel()));
        table.getColumns().add(column("GiB per GPU (planned)", r -> round(r.perGpuBytes() / Format.GIB)));
        table.getColumns().add(column("Usable GiB", r -> round(r.capacityBytes() / Format.GIB)));
        table.getColumns().add(column("Tokens/s (on GPUs needed)", r -> r.outputTokensPerSecond() != null
                ? round(r.outputTokensPerSecond()) : r.trainingTokensPerSecond() != null ? round(r.trainingTokensPerSecond()) : null));
        table.getColumns().add(column("Price of GPUs needed ($)", r -> r.priceUsd() == null ? null : Math.round(r.priceUsd())));
        Label note = new Label("Prices are the catalog's dated purchase prices of the GPUs alone (no servers, no"
                + " power); Costs compares owning and renting in full.");
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

    private static <T> TableColumn<GpuComparison.Row, T> column(String title, Function<GpuComparison.Row, T> value) {
        TableColumn<GpuComparison.Row, T> column = new TableColumn<>(title);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return column;
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%,.1f", value);
    }
}
