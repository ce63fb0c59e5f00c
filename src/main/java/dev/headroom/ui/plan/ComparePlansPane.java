package dev.headroom.ui.plan;

import dev.headroom.common.Format;
import dev.headroom.report.PlanCharts;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import dev.headroom.sizing.SizingEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.jfree.chart.fx.ChartViewer;

/**
 * Two or more plans side by side: a table of inputs and results where a value that differs from the first plan
 * is highlighted, and their memory bars overlaid on one chart.
 */
final class ComparePlansPane extends VBox {
    /** A plan and the name it is shown under. */
    record Plan(String name, Scenario scenario) {
    }

    /** One row: a field and its value in each plan. */
    record Row(String field, List<String> values) {
        boolean differs(int column) {
            return column > 0 && !values.get(column).equals(values.get(0));
        }
    }

    ComparePlansPane(SizingEngine engine, List<Plan> plans) {
        List<Estimate> estimates = new ArrayList<>();
        List<PlanCharts.Bar> bars = new ArrayList<>();
        for (Plan plan : plans) {
            Estimate e;
            try {
                e = engine.estimate(plan.scenario());
            } catch (ScenarioException ex) {
                e = null;
            }
            estimates.add(e);
            if (e != null) {
                bars.add(new PlanCharts.Bar(plan.name(), e));
            }
        }
        TableView<Row> table = new TableView<>();
        table.setId("compare-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<Row, String> field = new TableColumn<>("");
        field.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().field()));
        table.getColumns().add(field);
        for (int i = 0; i < plans.size(); i++) {
            int column = i;
            TableColumn<Row, String> values = new TableColumn<>(plans.get(i).name());
            values.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().values().get(column)));
            values.setCellFactory(c -> new TableCell<>() {
                @Override
                protected void updateItem(String item, boolean empty) {
                    super.updateItem(item, empty);
                    setText(empty ? null : item);
                    Row row = empty || getTableRow() == null ? null : getTableRow().getItem();
                    getStyleClass().remove("differs");
                    if (row != null && row.differs(column)) {
                        getStyleClass().add("differs");
                    }
                }
            });
            table.getColumns().add(values);
        }
        table.getItems().setAll(rows(plans, estimates));
        ChartViewer chart = new ChartViewer(PlanCharts.memoryBars(bars));
        chart.setPrefHeight(300);
        chart.setId("compare-chart-memory");
        String note = "Plans: " + String.join(", ", plans.stream().map(Plan::name).toList())
                + ". Headroom estimates; assumptions and sources in each plan's report.";
        // A dialog of its own, without the shell's status bar: exports say where they went on a line under the chart.
        javafx.scene.control.Label exportStatus = new javafx.scene.control.Label();
        exportStatus.getStyleClass().add("text-muted");
        getChildren().addAll(table, dev.headroom.ui.common.ChartExportMenu.install(chart, () -> note,
                java.util.concurrent.ForkJoinPool.commonPool(), exportStatus::setText), exportStatus);
        setSpacing(8);
        setPadding(new Insets(8));
    }

    static List<Row> rows(List<Plan> plans, List<Estimate> estimates) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (int i = 0; i < plans.size(); i++) {
            Map<String, String> described = PlanViewModel.describe(plans.get(i).scenario());
            Estimate e = estimates.get(i);
            described.put("Total per GPU (GiB)", e == null ? "invalid" : String.format(Locale.ROOT, "%.2f",
                    e.memory().totalBytes() / Format.GIB));
            // the engine's figure at each plan's context: windowed models differ between plans of other lengths
            described.put("KV cache per token (bytes)", e == null || e.kvCacheBytesPerToken() == null ? "-"
                    : String.format(Locale.ROOT, "%,d", e.kvCacheBytesPerToken()));
            described.put("Fits", e == null ? "-" : e.fit().fits() ? "yes" : "no");
            described.put("Minimum GPUs", e == null || e.fit().minGpus() == null ? "-" : e.fit().minGpus().toString());
            described.put("Output tokens/s", e == null || e.performance().outputTokensPerSecond() == null ? "-"
                    : String.format(Locale.ROOT, "%,.1f", e.performance().outputTokensPerSecond()));
            described.put("Training tokens/s", e == null || e.performance().trainingTokensPerSecond() == null ? "-"
                    : String.format(Locale.ROOT, "%,.0f", e.performance().trainingTokensPerSecond()));
            for (Map.Entry<String, String> entry : described.entrySet()) {
                rows.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(entry.getValue());
            }
        }
        List<Row> result = new ArrayList<>();
        rows.forEach((name, values) -> result.add(new Row(name, values)));
        return result;
    }

    static void show(Window owner, SizingEngine engine, List<Plan> plans) {
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.setTitle("Compare plans");
        Scene scene = new Scene(new ComparePlansPane(engine, plans), 900, 640);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        stage.setScene(scene);
        stage.show();
    }
}
