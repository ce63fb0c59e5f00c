package dev.headroom.ui.plan;

import dev.headroom.common.Format;
import dev.headroom.report.PlanCharts;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.Scenario;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.jfree.chart.fx.ChartViewer;

/**
 * The answer beside the wizard: fit, memory per GPU (stacked bar against the usable capacity, and a table with
 * GiB and shares), the fit searches, speed, the rule of thumb, warnings. Redrawn from the estimate on every edit;
 * while an input is bad it shows the problems and no numbers at all.
 */
final class ResultsPane extends VBox {
    private final Label verdict = new Label();
    private final Label problems = new Label();
    private final ChartViewer memoryChart = new ChartViewer();
    private final GridPane memoryTable = new GridPane();
    private final GridPane figures = new GridPane();
    private final Label warnings = new Label();
    private final Label timing = new Label();
    private final VBox body;

    ResultsPane(PlanViewModel vm, java.util.function.Function<ChartViewer, javafx.scene.Node> exportable) {
        setSpacing(10);
        setPadding(new Insets(8));
        verdict.setId("plan-fits");
        verdict.getStyleClass().add("title-4");
        verdict.setWrapText(true);
        // Tab reaches the verdict, and a screen reader reads it with the memory and the fit (spoken()).
        verdict.setFocusTraversable(true);
        problems.setId("plan-problems");
        problems.setWrapText(true);
        problems.getStyleClass().add("text-danger");
        memoryChart.setPrefHeight(260);
        memoryChart.setMinHeight(200);
        memoryTable.setId("plan-memory-table");
        memoryTable.setHgap(16);
        memoryTable.setVgap(2);
        figures.setId("plan-figures");
        figures.setHgap(16);
        figures.setVgap(3);
        warnings.setId("plan-warnings");
        warnings.setWrapText(true);
        warnings.getStyleClass().add("text-warning");
        timing.getStyleClass().add("text-muted");
        memoryChart.setId("plan-chart-memory");
        body = new VBox(10, exportable.apply(memoryChart), memoryTable, figures, warnings);
        getChildren().addAll(verdict, problems, body, timing);
        vm.estimateProperty().addListener((obs, old, estimate) -> show(vm, estimate));
        // One bad input can follow another with the estimate null throughout: the messages must still follow.
        vm.problems().addListener((javafx.collections.ListChangeListener<String>) change -> {
            if (vm.getEstimate() == null) {
                show(vm, null);
            }
        });
        vm.recomputeMillisProperty().addListener((obs, old, ms) -> timing.setText(
                String.format(Locale.ROOT, "Estimated in %.2f ms on the UI thread", ms.doubleValue())));
        show(vm, vm.getEstimate());
    }

    private void show(PlanViewModel vm, Estimate e) {
        boolean valid = e != null;
        body.setVisible(valid);
        body.setManaged(valid);
        problems.setText(String.join("\n", vm.problems()));
        problems.setVisible(!valid);
        problems.setManaged(!valid);
        if (!valid) {
            verdict.setText("Fix the marked inputs to see an estimate");
            verdict.setAccessibleText(verdict.getText() + ": " + String.join("; ", vm.problems()));
            verdict.getStyleClass().removeAll("success", "danger");
            return;
        }
        Scenario s = vm.currentScenario();
        Estimate.Fit fit = e.fit();
        verdict.getStyleClass().removeAll("success", "danger");
        verdict.getStyleClass().add(fit.fits() ? "success" : "danger");
        verdict.setText(fit.fits()
                ? String.format(Locale.ROOT, "Fits on %d x %s with %s of headroom per GPU", s.hardware().count(),
                        fit.gpu(), Format.gib(fit.headroomBytes()))
                : String.format(Locale.ROOT, "Does not fit: %s over per GPU; %s", Format.gib(-fit.headroomBytes()),
                        fit.minGpus() == null ? "no split up to 8 x layers GPUs fits"
                                : "needs " + fit.minGpus() + " GPUs (tp " + fit.minTensorParallel() + " x pp "
                                + fit.minPipelineParallel() + ")"));
        memoryChart.setChart(PlanCharts.memoryBars(List.of(new PlanCharts.Bar(e.model(), e))));
        fillMemory(e);
        fillFigures(vm, s, e);
        warnings.setText(e.warnings().isEmpty() ? "" : "⚠ " + String.join("\n⚠ ", e.warnings()));
        verdict.setAccessibleText(spoken(verdict.getText(), e));
    }

    /** The result as one sentence for a screen reader: the verdict, the memory per GPU, the fit, the warnings. */
    static String spoken(String verdict, Estimate e) {
        Estimate.Memory m = e.memory();
        Estimate.Fit fit = e.fit();
        StringBuilder text = new StringBuilder(verdict).append(". Per GPU: weights ").append(Format.gib(m.weightsBytes()));
        if (m.kvCacheBytes() != null) {
            text.append(", KV cache ").append(Format.gib(m.kvCacheBytes()));
        }
        if (m.activationsBytes() != null) {
            text.append(", activations ").append(Format.gib(m.activationsBytes()));
        }
        if (m.gradientsBytes() != null) {
            text.append(", gradients ").append(Format.gib(m.gradientsBytes()));
        }
        if (m.optimizerStatesBytes() != null) {
            text.append(", optimizer states ").append(Format.gib(m.optimizerStatesBytes()));
        }
        text.append(", runtime overhead ").append(Format.gib(m.overheadBytes())).append(", total ")
                .append(Format.gib(m.totalBytes())).append(" of ").append(Format.gib(fit.usableBytes())).append(" usable.");
        if (fit.minGpus() != null) {
            text.append(" Minimum GPUs: ").append(fit.minGpus()).append(" (tp ").append(fit.minTensorParallel())
                    .append(" x pp ").append(fit.minPipelineParallel()).append(").");
        }
        e.warnings().forEach(w -> text.append(" Warning: ").append(w).append('.'));
        return text.toString();
    }

    private void fillMemory(Estimate e) {
        memoryTable.getChildren().clear();
        Estimate.Memory m = e.memory();
        header(memoryTable, "Per GPU (" + m.stage() + " stage)", "GiB", "share");
        row(memoryTable, "Weights", m.weightsBytes(), m.totalBytes());
        row(memoryTable, "KV cache", m.kvCacheBytes(), m.totalBytes());
        row(memoryTable, "Activations", m.activationsBytes(), m.totalBytes());
        row(memoryTable, "Gradients", m.gradientsBytes(), m.totalBytes());
        row(memoryTable, "Optimizer states", m.optimizerStatesBytes(), m.totalBytes());
        row(memoryTable, "Runtime overhead", m.overheadBytes(), m.totalBytes());
        int r = memoryTable.getRowCount();
        Label total = new Label(String.format(Locale.ROOT, "%.2f", m.totalBytes() / Format.GIB));
        total.setId("plan-total");
        total.getStyleClass().add("text-bold");
        Label name = new Label("Total");
        name.getStyleClass().add("text-bold");
        memoryTable.addRow(r, name, total, new Label(String.format(Locale.ROOT, "of %s usable",
                Format.gib(e.fit().usableBytes()))));
    }

    private void fillFigures(PlanViewModel vm, Scenario s, Estimate e) {
        figures.getChildren().clear();
        Estimate.Fit f = e.fit();
        figure("Minimum GPUs", f.minGpus() == null ? "none up to 8 x layers"
                : f.minGpus() + " (tp " + f.minTensorParallel() + " x pp " + f.minPipelineParallel() + ")");
        figure(s.workload().isTraining() ? "Largest micro-batch" : "Largest batch at this context", value(f.maxBatch()));
        figure("Longest sequence at this batch", f.maxContextTokens() == null ? "n/a"
                : String.format(Locale.ROOT, "%,d tokens", f.maxContextTokens()));
        if (f.maxConcurrentSequences() != null) {
            figure("Concurrent sequences the KV budget holds", value(f.maxConcurrentSequences()));
        }
        if (e.kvCacheBytesPerToken() != null) {
            figure("KV cache per token (whole model)", String.format(Locale.ROOT, "%,d bytes", e.kvCacheBytesPerToken()));
        }
        figure("Rule of thumb (whole model)", Format.gib(e.ruleOfThumbBytes()) + (s.workload().isTraining()
                ? "  = parameters x bytes x 6" : "  = parameters x bytes x 1.2"));
        figure("Detailed (whole model, all GPUs)", Format.gib(e.memory().totalBytes() * s.hardware().count()));
        if (e.host() != null) {
            figure("Host memory per node", HardwareText.host(e.host()));
            figure("Host memory read", HardwareText.hostRead(e.host()).substring("read at ".length()));
        }
        if (e.layout() != null) {
            figure("Layout", HardwareText.layout(e.layout(), vm.catalog(), vm.catalog().gpu(e.fit().gpu()).orElse(null)));
            HardwareText.links(e.layout()).forEach(this::figure);
        }
        Estimate.Performance p = e.performance();
        if (p.prefillSeconds() != null) {
            figure("Time to first token (whole batch)", seconds(p.prefillSeconds()) + " (" + p.prefillBound() + "-bound)");
            figure("Time per output token", seconds(p.timePerOutputTokenSeconds()) + " (" + p.decodeBound() + "-bound)");
            figure("Output tokens/s (batch)", String.format(Locale.ROOT, "%,.1f", p.outputTokensPerSecond()));
            figure("Request latency", seconds(p.requestLatencySeconds()));
        } else {
            figure("Training step", seconds(p.trainingStepSeconds()));
            figure("Training tokens/s", String.format(Locale.ROOT, "%,.0f", p.trainingTokensPerSecond()));
            figure("MFU achieved", String.format(Locale.ROOT, "%.1f %%", p.mfu() * 100));
            figure("Days to train", p.trainingDays() == null ? "set tokens to train" : String.format(Locale.ROOT, "%,.1f", p.trainingDays()));
            figure("GPU-hours", p.trainingGpuHours() == null ? "set tokens to train" : String.format(Locale.ROOT, "%,.0f", p.trainingGpuHours()));
        }
    }

    private void figure(String name, String text) {
        dev.headroom.ui.common.Forms.figure(figures, name, text);
    }

    private static void header(GridPane grid, String... titles) {
        for (int i = 0; i < titles.length; i++) {
            Label title = new Label(titles[i]);
            title.getStyleClass().add("text-muted");
            grid.add(title, i, 0);
        }
    }

    private static void row(GridPane grid, String name, Long bytes, long total) {
        if (bytes == null) {
            return; // does not apply to this workload
        }
        grid.addRow(grid.getRowCount(), new Label(name), new Label(String.format(Locale.ROOT, "%.2f", bytes / Format.GIB)),
                new Label(total == 0 ? "" : String.format(Locale.ROOT, "%.1f %%", 100.0 * bytes / total)));
    }

    private static String value(Number n) {
        return n == null ? "n/a" : String.format(Locale.ROOT, "%,d", n.longValue());
    }

    static String seconds(Double s) {
        return s == null ? "n/a" : Format.time(s);
    }
}
