package dev.headroom.ui.plan;

import dev.headroom.common.Format;
import dev.headroom.report.ServingCharts;
import dev.headroom.serving.SimulationResult;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.chart.fx.ChartViewer;

/**
 * The "Serving" results tab: Simulate and Cancel with the run's progress, the verdict against the SLOs, the latency
 * table and the run's figures, and three charts (latency CDF with the SLO lines, p99 latency over time, queue, KV
 * and replicas over time). Filled from partial results while a run goes; charts are redrawn only while the tab
 * shows.
 */
final class ServingPane extends VBox {
    private final ServingViewModel vm;
    private final Label verdict = new Label();
    private final Label problems = new Label();
    private final GridPane latency = new GridPane();
    private final GridPane figures = new GridPane();
    private final Label notes = new Label();
    private final ChartViewer cdf = viewer("serving-chart-cdf");
    private final ChartViewer overTime = viewer("serving-chart-latency-time");
    private final ChartViewer queue = viewer("serving-chart-queue");
    private final VBox body;
    private final Node cdfBox;
    private final ObservableValue<Boolean> showing;
    private boolean stale;

    ServingPane(ServingViewModel vm, Runnable simulate, ObservableValue<Boolean> showing,
                Function<ChartViewer, Node> exportable) {
        this.vm = vm;
        this.showing = showing;
        setSpacing(10);
        setPadding(new Insets(8));
        Button run = new Button("Simulate");
        run.setId("serving-simulate");
        run.getStyleClass().add("accent");
        run.setOnAction(e -> simulate.run());
        run.disableProperty().bind(vm.runningProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("serving-cancel");
        cancel.setOnAction(e -> vm.cancel());
        cancel.disableProperty().bind(vm.runningProperty().not());
        ProgressBar progress = new ProgressBar();
        progress.setId("serving-progress");
        progress.progressProperty().bind(vm.progressProperty());
        progress.setPrefWidth(160);
        Label status = new Label();
        status.setId("serving-status");
        status.textProperty().bind(vm.statusProperty());
        status.getStyleClass().add("text-muted");
        HBox bar = new HBox(10, run, cancel, progress, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(status, Priority.ALWAYS);

        verdict.setId("serving-verdict");
        verdict.getStyleClass().add("title-4");
        verdict.setWrapText(true);
        problems.setId("serving-problems");
        problems.setWrapText(true);
        problems.getStyleClass().add("text-danger");
        latency.setId("serving-latency-table");
        latency.setHgap(16);
        latency.setVgap(2);
        figures.setId("serving-figures");
        figures.setHgap(16);
        figures.setVgap(3);
        notes.setWrapText(true);
        notes.getStyleClass().add("text-muted");
        cdfBox = new VBox(exportable.apply(cdf)); // a holder: the export wrapper binds its own visibility
        body = new VBox(10, latency, figures, cdfBox, exportable.apply(overTime),
                exportable.apply(queue), notes);
        getChildren().addAll(bar, verdict, problems, body);

        vm.resultProperty().addListener((obs, old, r) -> show(r));
        vm.problems().addListener((javafx.collections.ListChangeListener<String>) c -> showProblems());
        showing.addListener((obs, old, now) -> {
            if (now && stale) {
                drawCharts(vm.resultProperty().get());
            }
        });
        show(vm.resultProperty().get());
    }

    private static ChartViewer viewer(String id) {
        ChartViewer viewer = new ChartViewer();
        viewer.setId(id);
        viewer.setPrefHeight(300);
        viewer.setMinHeight(240);
        return viewer;
    }

    private void showProblems() {
        boolean any = !vm.problems().isEmpty();
        problems.setText(String.join("\n", vm.problems()));
        problems.setVisible(any);
        problems.setManaged(any);
    }

    private void show(SimulationResult r) {
        showProblems();
        boolean has = r != null;
        body.setVisible(has);
        body.setManaged(has);
        verdict.getStyleClass().removeAll("success", "danger", "warning");
        if (!has) {
            verdict.setText("Simulate the plan under the load of step 6 to see its latency percentiles");
            return;
        }
        boolean good = r.stable() && (r.slo() == null || !r.slo().any() || r.verdict().startsWith("meets"));
        verdict.getStyleClass().add(good ? "success" : r.stable() ? "warning" : "danger");
        verdict.setText(capitalized(r.verdict()) + (r.maxRate() == null ? "" : String.format(Locale.ROOT,
                " — highest rate that meets them: %.3g requests/s", r.maxRate().requestsPerSecond())));
        fillLatency(r);
        fillFigures(r);
        boolean distribution = r.ttftSeconds() != null; // an unstable run has no percentiles to draw
        cdfBox.setVisible(distribution);
        cdfBox.setManaged(distribution);
        notes.setText("Assumptions: " + String.join(" · ", r.assumptions())
                + (r.warnings().isEmpty() ? "" : "\n⚠ " + String.join("\n⚠ ", r.warnings())));
        if (showing.getValue()) {
            drawCharts(r);
        } else {
            stale = true;
        }
    }

    private void drawCharts(SimulationResult r) {
        stale = false;
        if (r == null) {
            return;
        }
        cdf.setChart(ServingCharts.latencyCdf(r));
        overTime.setChart(ServingCharts.latencyOverTime(r));
        queue.setChart(ServingCharts.queueAndReplicas(r));
    }

    private void fillLatency(SimulationResult r) {
        latency.getChildren().clear();
        String[] headers = {"Latency", "p50", "p90", "p99", "max", "mean"};
        for (int i = 0; i < headers.length; i++) {
            Label h = new Label(headers[i]);
            h.getStyleClass().add("text-muted");
            latency.add(h, i, 0);
        }
        row("Time to first token", r.ttftSeconds());
        row("Time per output token", r.tpotSeconds());
        row("End to end", r.e2eSeconds());
        row("Queued", r.queueSeconds());
    }

    private void row(String name, SimulationResult.Latency l) {
        int at = latency.getRowCount();
        latency.add(new Label(name), 0, at);
        double[] values = l == null ? null : new double[] {l.p50(), l.p90(), l.p99(), l.max(), l.mean()};
        for (int i = 0; i < 5; i++) {
            latency.add(new Label(values == null ? "–" : Format.time(values[i])), i + 1, at);
        }
    }

    private void fillFigures(SimulationResult r) {
        figures.getChildren().clear();
        SimulationResult.Throughput t = r.throughput();
        figure("Requests completed", String.format(Locale.ROOT, "%,d in %s", r.requests(), Format.time(r.durationSeconds())));
        figure("Throughput", String.format(Locale.ROOT, "%.3g requests/s · %,.0f input and %,.0f output tokens/s",
                t.requestsPerSecond(), t.inputTokensPerSecond(), t.outputTokensPerSecond()));
        if (r.goodputRequestsPerSecond() != null) {
            figure("Goodput", String.format(Locale.ROOT, "%.3g requests/s meet every SLO", r.goodputRequestsPerSecond()));
        }
        if (r.sloAttainment() != null) {
            figure("SLO attainment", String.format(Locale.ROOT, "%.1f %% of requests", r.sloAttainment() * 100));
        }
        figure("Preemptions", String.format(Locale.ROOT, "%,d", r.preemptions()));
        figure("GPUs busy", String.format(Locale.ROOT, "%.1f %% of the time a step runs", r.utilization() * 100));
        int peak = r.replicas().stream().mapToInt(SimulationResult.ReplicaPoint::replicas).max().orElse(0);
        figure("Replicas", r.replicas().isEmpty() ? "–" : r.replicas().get(0).replicas() + " at the start, "
                + peak + " at most");
        if (r.capacity() != null) {
            figure("Capacity estimate", String.format(Locale.ROOT, "%.3g requests/s per replica at batch %d (%s)",
                    r.capacity().requestsPerSecondPerReplica(), r.capacity().batch(), r.capacity().limitedBy()));
        }
        SimulationResult.Cost c = r.costUsd();
        figure("Cost of the period", String.format(Locale.ROOT, "%.3g GPU-hours: owned %s, rented %s", c.gpuHours(),
                Format.usd(c.owned()), c.cloud() == null ? "– (no offer)" : Format.usd(c.cloud()) + " on "
                        + c.cloudOffer()));
        if (r.littlesLaw() != null) {
            figure("Little's law check", String.format(Locale.ROOT, "L = %.4g, λW = %.4g (%.2f %% apart)",
                    r.littlesLaw().meanInSystem(), r.littlesLaw().arrivalRate() * r.littlesLaw().meanSecondsInSystem(),
                    r.littlesLaw().relativeError() * 100));
        }
    }

    private void figure(String name, String text) {
        dev.headroom.ui.common.Forms.figure(figures, name, text);
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
