package dev.headroom.ui.plan;

import dev.headroom.catalog.LayerPlan;
import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.report.PlanCharts;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.Sweeps;
import java.util.Arrays;
import java.util.Locale;
import javafx.beans.value.ObservableBooleanValue;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.VBox;
import org.jfree.chart.fx.ChartViewer;

/**
 * Memory against context for a few batch sizes, KV cache per token against context (where windows, chunks or
 * recurrent states make it vary), memory against batch, and decode throughput against batch. The sweeps run a few
 * hundred estimates, so they are redrawn only while the tab is showing.
 */
final class ChartsPane extends ScrollPane {
    private final PlanViewModel vm;
    private final Sweeps sweeps;
    private final ChartViewer byContext = viewer("plan-chart-context");
    private final ChartViewer kvPerToken = viewer("plan-chart-kv-per-token");
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
        VBox box = new VBox(12, note, exportable.apply(byContext), exportable.apply(kvPerToken),
                exportable.apply(byBatch),
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
        String kvNote = refreshKvPerToken(s, training);
        int maxBatch = Math.max(8, Math.min(256, (e.fit().maxBatch() == null ? current : e.fit().maxBatch()) * 2));
        byBatch.setChart(PlanCharts.memoryByBatch(sweeps.memoryByBatch(s, maxBatch), e.fit().usableBytes(),
                e.fit().gpu(), training));
        throughput.setVisible(!training);
        throughput.setManaged(!training);
        if (!training) {
            throughput.setChart(PlanCharts.throughputByBatch(sweeps.throughputByBatch(s, 1024)));
        }
        note.setText("Curves keep every other input of the plan; the dashed line is the memory the runtime may use"
                + " on one " + e.fit().gpu() + "." + kvNote);
    }

    /** Points per doubling of the context: enough for the bend where a window closes to read as a curve. */
    private static final int KV_POINTS_PER_DOUBLING = 6;

    /**
     * Draws KV per token against context up to the model's context (or the plan's, if longer). A model whose every
     * layer keeps the whole context has one number at every length: a flat line would only repeat the Results
     * tab, so the chart is left out and the note says why, with the number.
     *
     * @return a sentence for the note when the chart is left out, else ""
     */
    private String refreshKvPerToken(Scenario s, boolean training) {
        int planContext = s.shape().inputTokens() + s.shape().outputTokens();
        ModelArchitecture a = vm.chosenArchitecture();
        Sweeps.Series series = null;
        if (!training) {
            int modelContext = a == null || a.maxContextTokens() == null ? 131_072 : a.maxContextTokens();
            series = sweeps.kvPerTokenByContext(s, Math.max(modelContext, planContext), KV_POINTS_PER_DOUBLING);
        }
        boolean varies = series != null && series.varies();
        kvPerToken.setVisible(varies);
        kvPerToken.setManaged(varies);
        if (varies) {
            kvPerToken.setChart(PlanCharts.kvPerTokenByContext(series, planContext));
            return "";
        }
        if (series == null || series.y().length == 0) {
            return "";
        }
        String why = a != null && LayerPlan.kvVariesWithContext(a)
                ? "the plan caches the sliding layers in full (sliding window off)"
                : "every layer keeps the whole context";
        return String.format(Locale.ROOT, " KV cache per token is %,d bytes at every context here: %s, so it has"
                + " no chart of its own.", Math.round(series.y()[0]), why);
    }
}
