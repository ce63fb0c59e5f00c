package dev.headroom.ui.plan;

import dev.headroom.common.Format;
import dev.headroom.planner.Candidate;
import dev.headroom.planner.LaunchCommand;
import dev.headroom.planner.Recommendation;
import dev.headroom.report.PlannerCharts;
import dev.headroom.sizing.Labeled;
import dev.headroom.sizing.WeightFormat;
import dev.headroom.ui.common.Forms;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.property.SimpleStringProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.chart.entity.XYItemEntity;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.fx.interaction.ChartMouseEventFX;
import org.jfree.chart.fx.interaction.ChartMouseListenerFX;

/**
 * The "Recommend" results tab: the search's budget and GPUs, Recommend and Cancel with progress, cost against p99
 * TTFT (clicking a point makes that candidate the current plan), the ranked table, the GPUs that gave nothing and why,
 * and the launch command of the selected candidate to copy.
 */
final class RecommendPane extends VBox {
    private final RecommendViewModel vm;
    private final PlanViewModel plan;
    private final ServingViewModel serving;
    private final TableView<Candidate> table = new TableView<>();
    private final ChartViewer chart = new ChartViewer();
    private final Label rejected = new Label();
    private final Label problems = new Label();
    private final ComboBox<LaunchCommand.Runtime> runtime = new ComboBox<>();
    private final Label launch = new Label();

    RecommendPane(RecommendViewModel vm, PlanViewModel plan, ServingViewModel serving, Runnable search,
                  Function<ChartViewer, Node> exportable) {
        this.vm = vm;
        this.plan = plan;
        this.serving = serving;
        setSpacing(10);
        setPadding(new Insets(8));
        javafx.scene.control.TextField budget = Forms.textField(vm.budgetProperty(), "recommend-budget");
        budget.setPromptText("no cap");
        budget.setAccessibleText("Budget in dollars per month");
        javafx.scene.control.TextField gpus = Forms.textField(vm.gpusProperty(), "recommend-gpus");
        gpus.setPromptText("all; or h100-sxm,b200 / class:consumer / vendor:amd");
        gpus.setPrefColumnCount(18);
        gpus.setAccessibleText("GPUs to search: all, ids, class: or vendor:");
        javafx.scene.control.TextField max = Forms.textField(vm.maxGpusProperty(), "recommend-max-gpus");
        max.setPrefColumnCount(4);
        max.setAccessibleText("At most this many GPUs");
        CheckBox owned = new CheckBox("Owned");
        owned.selectedProperty().bindBidirectional(vm.ownedProperty());
        CheckBox cloud = new CheckBox("Cloud");
        cloud.selectedProperty().bindBidirectional(vm.cloudProperty());
        FlowPane inputs = new FlowPane(10, 6, new Label("Budget $/month"), budget, new Label("GPUs"), gpus,
                new Label("At most"), max, new Label("GPUs"), owned, cloud);
        inputs.setAlignment(Pos.CENTER_LEFT);
        Button run = new Button("Recommend");
        run.setId("recommend-run");
        run.getStyleClass().add("accent");
        run.setOnAction(e -> search.run());
        run.disableProperty().bind(vm.runningProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("recommend-cancel");
        cancel.setOnAction(e -> vm.cancel());
        cancel.disableProperty().bind(vm.runningProperty().not());
        ProgressBar progress = new ProgressBar();
        progress.progressProperty().bind(vm.progressProperty());
        progress.setPrefWidth(140);
        Label status = new Label();
        status.setId("recommend-status");
        status.textProperty().bind(vm.statusProperty());
        status.getStyleClass().add("text-muted");
        run.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        cancel.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox bar = new HBox(10, run, cancel, progress, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(status, Priority.ALWAYS);
        Label hint = new Label("For the plan's model, under the load and targets of step 6. Click a point or a row to"
                + " make it the current plan.");
        hint.setWrapText(true);
        hint.getStyleClass().add("text-muted");

        problems.setId("recommend-problems");
        problems.setWrapText(true);
        problems.getStyleClass().add("text-danger");
        problems.managedProperty().bind(problems.textProperty().isNotEmpty());
        problems.visibleProperty().bind(problems.textProperty().isNotEmpty());
        chart.setId("recommend-chart");
        chart.setPrefHeight(300);
        chart.setMinHeight(240);
        chart.addChartMouseListener(new ChartMouseListenerFX() {
            @Override
            public void chartMouseClicked(ChartMouseEventFX event) {
                if (event.getEntity() instanceof XYItemEntity item) {
                    candidateAt(item.getSeriesIndex(), item.getItem());
                }
            }

            @Override
            public void chartMouseMoved(ChartMouseEventFX event) {
            }
        });
        table.setId("recommend-table");
        table.setAccessibleText("Recommended configurations, cheapest first");
        table.setPrefHeight(260);
        column("GPU", c -> c.gpu());
        column("Layout", c -> c.replicas() + " x " + c.gpusPerReplica() + " (tp " + c.tp() + " pp " + c.pp() + ")");
        column("Format", Candidate::weights);
        column("KV", Candidate::kvCache);
        column("Seqs", c -> String.valueOf(c.maxSeqs()));
        column("TTFT p99", c -> c.ttftP99Seconds() == null ? "–" : Format.time(c.ttftP99Seconds()));
        column("TPOT p99", c -> c.tpotP99Seconds() == null ? "–" : Format.time(c.tpotP99Seconds()));
        column("$/month", c -> String.format(Locale.ROOT, "%,.0f", c.costPerMonthUsd()));
        column("Pricing", Candidate::pricing);
        column("Binding", Candidate::bindingConstraint);
        column("SLOs", c -> c.meetsSlo() ? "meet" : "miss");
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, c) -> {
            if (c != null) {
                apply(c);
            }
        });
        runtime.getItems().setAll(LaunchCommand.Runtime.values());
        runtime.setValue(LaunchCommand.Runtime.VLLM);
        runtime.setId("recommend-runtime");
        runtime.setAccessibleText("Runtime of the launch command");
        runtime.valueProperty().addListener((obs, old, r) -> showLaunch());
        Button copy = new Button("Copy launch command");
        copy.setId("recommend-copy");
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(launch.getText());
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
        });
        launch.setId("recommend-launch");
        launch.setWrapText(true);
        launch.getStyleClass().add("text-muted");
        HBox deploy = new HBox(10, runtime, copy);
        deploy.setAlignment(Pos.CENTER_LEFT);
        rejected.setId("recommend-rejected");
        rejected.setWrapText(true);
        getChildren().addAll(inputs, bar, hint, problems, exportable.apply(chart), table, deploy, launch, rejected);
        vm.resultProperty().addListener((obs, old, r) -> show(r));
        vm.problems().addListener((javafx.collections.ListChangeListener<String>) c ->
                problems.setText(String.join("\n", vm.problems())));
        show(vm.resultProperty().get());
    }

    private void column(String name, Function<Candidate, String> text) {
        TableColumn<Candidate, String> column = new TableColumn<>(name);
        column.setCellValueFactory(row -> new SimpleStringProperty(text.apply(row.getValue())));
        table.getColumns().add(column);
    }

    private void show(Recommendation r) {
        if (r == null) {
            table.getItems().clear();
            rejected.setText("");
            return;
        }
        chart.setChart(PlannerCharts.pareto(r));
        // Nothing meets the targets: the table holds the closest configurations, each saying what it misses.
        table.getItems().setAll(r.candidates().isEmpty() ? r.closest() : r.candidates());
        String closest = r.candidates().isEmpty() && !r.closest().isEmpty()
                ? "Nothing meets the targets: the table shows the closest, simulated (Binding says what each misses).\n"
                : "";
        rejected.setText(closest + (r.rejected().isEmpty() ? "" : "No candidate on:\n" + String.join("\n",
                r.rejected().stream().map(j -> "  " + j.gpu() + ": " + j.reason()).toList())));
        showLaunch();
    }

    /** The candidate behind a chart point: the n-th candidate of its series, in the order the chart added them. */
    private void candidateAt(int series, int item) {
        Recommendation r = vm.resultProperty().get();
        if (r == null) {
            return;
        }
        java.util.Set<Integer> front = new java.util.HashSet<>(r.pareto());
        List<Integer> indices = new java.util.ArrayList<>();
        for (int i = 0; i < r.candidates().size(); i++) {
            Candidate c = r.candidates().get(i);
            if (c.meetsSlo() && c.ttftP99Seconds() != null && front.contains(i) == (series == PlannerCharts.FRONT)) {
                indices.add(i);
            }
        }
        if (series == PlannerCharts.FRONT) { // the front's series sorts by cost
            indices.sort(java.util.Comparator.comparingDouble(i -> r.candidates().get(i).costPerMonthUsd()));
        }
        if (item < indices.size()) {
            table.getSelectionModel().select(r.candidates().get(indices.get(item)));
        }
    }

    /** Makes the candidate the current plan: its GPU, count, split and format, and its replicas and max-seqs. */
    void apply(Candidate c) {
        plan.gpuIdProperty().set(c.gpu());
        plan.gpuCountProperty().set(String.valueOf(c.gpusPerReplica()));
        plan.tensorParallelProperty().set(String.valueOf(c.tp()));
        plan.pipelineParallelProperty().set(String.valueOf(c.pp()));
        plan.dataParallelProperty().set("1");
        plan.weightsProperty().set(Labeled.parse(WeightFormat.class, "weights", c.weights()));
        serving.replicasProperty().set(String.valueOf(c.replicas()));
        serving.maxSeqsProperty().set(String.valueOf(c.maxSeqs()));
        showLaunch();
    }

    private void showLaunch() {
        Candidate c = table.getSelectionModel().getSelectedItem();
        Recommendation r = vm.resultProperty().get();
        if (c == null && r != null) {
            c = r.candidates().stream().filter(Candidate::meetsSlo).findFirst().orElse(null);
        }
        if (c == null) {
            launch.setText("");
            return;
        }
        String model = plan.catalog().model(plan.modelIdProperty().get()).map(m -> m.huggingFaceId() != null
                ? m.huggingFaceId() : m.id()).orElse("MODEL");
        try {
            Integer longest = serving.longestRequest();
            launch.setText(LaunchCommand.of(runtime.getValue(), c, model, longest == null ? 8192 : longest, 0.9));
        } catch (IllegalArgumentException e) {
            launch.setText(e.getMessage());
        }
    }
}
