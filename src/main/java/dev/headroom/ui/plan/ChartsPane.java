package dev.headroom.ui.plan;

import dev.headroom.report.PlanCharts;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.Sweeps;
import java.util.Arrays;
import javafx.beans.value.ObservableBooleanValue;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.VBox;
import org.jfree.chart.fx.ChartViewer;

/**
 * Memory against context for a few batch sizes, memory against batch, and decode throughput against batch. The
 * sweeps run a few hundred estimates, so they are redrawn only while the tab is showing.
 */
final class ChartsPane extends ScrollPane {
    private final PlanViewModel vm;
    private final Sweeps sweeps;
    private final ChartViewer byContext = viewer("plan-chart-context");
    private final ChartViewer byBatch = viewer("plan-chart-batch");
    private final ChartViewer throughput = viewer("plan-chart-throughput");
    private final Label note = new Label();
    private final ObservableBooleanValue showing;

    ChartsPane(PlanViewModel vm, ObservableBooleanValue showing,
               java.util.function.Function<ChartViewer, javafx.scene.Node> exportable) {
        this.vm = vm;
        this.showing = showing;
        this.sweeps = new Sweeps(vm.engine());
        note.setWrapText(true);
        note.getStyleClass().add("text-muted");
        VBox box = new VBox(12, note, exportable.apply(byContext), exportable.apply(byBatch),
                exportable.apply(throughput));
        box.setPadding(new Insets(8));
        setContent(box);
        setFitToWidth(true);
        vm.estimateProperty().addListener((obs, old, e) -> refresh());
        showing.addListener((obs, old, now) -> refresh());
    }

    private static ChartViewer viewer(String id) {
        ChartViewer viewer = new ChartViewer();
        viewer.setId(id);
        viewer.setPrefHeight(300);
        viewer.setMinHeight(260);
        return viewer;
    }

    private void refresh() {
        Estimate e = vm.getEstimate();
        Scenario s = vm.currentScenario();
        if (!showing.get() || e == null || s == null) {
            return;
        }
        boolean training = s.workload().isTraining();
        int current = training ? s.training().microBatch() : s.shape().batch();
        int[] batches = Arrays.stream(new int[] {1, 8, 32, current}).distinct().sorted().toArray();
        int modelContext = e.fit().maxContextTokens() == null ? 131072
                : Math.max(2048, Math.min(1 << 20, Math.max(e.fit().maxContextTokens() * 2,
                        s.shape().inputTokens() + s.shape().outputTokens())));
        byContext.setChart(PlanCharts.memoryByContext(sweeps.memoryByContext(s, batches, modelContext, 40),
                e.fit().usableBytes(), e.fit().gpu()));
        int maxBatch = Math.max(8, Math.min(256, (e.fit().maxBatch() == null ? current : e.fit().maxBatch()) * 2));
        byBatch.setChart(PlanCharts.memoryByBatch(sweeps.memoryByBatch(s, maxBatch), e.fit().usableBytes(),
                e.fit().gpu(), training));
        throughput.setVisible(!training);
        throughput.setManaged(!training);
        if (!training) {
            throughput.setChart(PlanCharts.throughputByBatch(sweeps.throughputByBatch(s, 1024)));
        }
        note.setText("Curves keep every other input of the plan; the dashed line is the memory the runtime may use"
                + " on one " + e.fit().gpu() + ".");
    }
}
