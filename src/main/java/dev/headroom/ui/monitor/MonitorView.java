package dev.headroom.ui.monitor;

import dev.headroom.report.MonitorCharts;
import dev.headroom.telemetry.AlertEvent;
import dev.headroom.telemetry.AlertRule;
import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.GpuProcess;
import dev.headroom.telemetry.GpuReading;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.ReplaySource;
import dev.headroom.telemetry.SimulatedSource;
import dev.headroom.telemetry.Snapshot;
import dev.headroom.telemetry.nvml.NvmlSource;
import dev.headroom.ui.common.Forms;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.controlsfx.control.Notifications;
import org.jfree.chart.JFreeChart;

/**
 * The Monitor workspace: source and recording controls, a card per GPU, charts of the history (windows from a
 * minute to a day, pause, crosshair, all GPUs or one), processes, alerts. With no driver it explains what was
 * looked for and offers the simulation or a recording instead of an empty screen.
 */
final class MonitorView extends StackPane {
    /** Chart windows offered, in milliseconds. */
    static final long[] WINDOWS = {60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000};
    static final String[] WINDOW_NAMES = {"1 min", "5 min", "15 min", "1 h", "6 h", "24 h"};
    private static final Metric[] CHARTED = {Metric.UTILIZATION_GPU, Metric.MEMORY_USED, Metric.TEMPERATURE, Metric.POWER};
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final MonitorViewModel vm;
    private final FlowPane cards = new FlowPane(10, 10);
    private final SplitPane split = new SplitPane();
    private boolean fitAfterReading;
    /** One line per GPU, so that the live charts get the height (issue 21: strips under the cards at 1280 x 800). */
    private final javafx.scene.control.CheckBox compactCards = new javafx.scene.control.CheckBox("One line per GPU");
    private final List<GpuCard> cardList = new ArrayList<>();
    private final LiveChart[] charts = new LiveChart[CHARTED.length];
    /** Draws the charts off the FX thread; one frame at a time, the newest request wins. */
    private final java.util.concurrent.ExecutorService renderer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "headroom-chart-renderer");
        thread.setDaemon(true);
        return thread;
    });
    private final java.util.concurrent.atomic.AtomicBoolean rendering = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean renderAgain;
    private final java.util.concurrent.atomic.AtomicReference<java.awt.image.BufferedImage[]> pendingFrame =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final ChoiceBox<String> window = new ChoiceBox<>();
    private final ChoiceBox<String> gpuChoice = new ChoiceBox<>();
    private final ToggleButton pause = new ToggleButton("Pause charts");
    private final Label crosshair = new Label();
    private final TableView<ProcessRow> processes = new TableView<>();
    private final TableView<AlertEvent> alerts = new TableView<>();
    private final Label sourceLabel = new Label();
    private final Label simulatedBadge = new Label("SIMULATED");
    private final Label stall = new Label();
    private final Label planLabel = new Label();
    private final Slider timeline = new Slider();
    private final BorderPane dashboard = new BorderPane();
    private final VBox noSource = new VBox(12);
    private final Label noSourceText = new Label();
    private double lastUpdateMillis;
    private volatile double lastFrameMillis;
    private Long crosshairMillis;

    /** A process row: the GPU it runs on and what NVML and /proc say about it. */
    record ProcessRow(int gpu, GpuProcess process) {
    }

    private java.util.function.Consumer<String> exportStatus = text -> { };
    private final dev.headroom.ui.common.ChartExportMenu[] exports =
            new dev.headroom.ui.common.ChartExportMenu[CHARTED.length];

    /** What the chart's Export menu does once a file is chosen (tests call it: no file dialog headless). */
    javafx.concurrent.Task<java.nio.file.Path> exportChart(int chart, dev.headroom.ui.common.ChartExportMenu.Target target,
                                             java.nio.file.Path file) {
        return exports[chart].export(target, file);
    }

    /** Where export progress and results are told (the shell's status bar). */
    void exportStatus(java.util.function.Consumer<String> sink) {
        exportStatus = sink;
    }

    private String exportFootnote() {
        return (vm.simulatedProperty().get() ? "SIMULATED readings, " : "Readings from ") + vm.sourceNameProperty().get()
                + ", exported " + java.time.LocalDateTime.now().withNano(0) + " by Headroom.";
    }

    MonitorView(MonitorViewModel vm) {
        this.vm = vm;
        getStyleClass().add("monitor-view");
        dashboard.setTop(toolbar());
        cards.setPadding(new Insets(10));
        cards.setId("monitor-cards");
        ScrollPane cardScroll = new ScrollPane(cards);
        cardScroll.setFitToWidth(true);
        compactCards.setId("monitor-compact-cards");
        compactCards.setSelected(true);
        compactCards.setPadding(new Insets(6, 10, 0, 10));
        VBox cardArea = new VBox(compactCards, cardScroll);
        VBox.setVgrow(cardScroll, Priority.ALWAYS);
        TabPane tabs = new TabPane(new Tab("Charts", chartsPane()), new Tab("Processes", processesPane()),
                new Tab("Alerts", alertsPane()));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("monitor-tabs");
        tabs.setAccessibleText("Monitor: charts, processes, alerts");
        split.getItems().setAll(cardArea, tabs);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.36);
        compactCards.selectedProperty().addListener((obs, old, on) -> {
            cardList.forEach(card -> card.setCompact(on));
            fitCardsArea();
        });
        split.heightProperty().addListener((obs, old, height) -> fitCardsArea());
        dashboard.setCenter(split);
        timeline.setId("monitor-timeline");
        timeline.setVisible(false);
        timeline.setManaged(false);
        dashboard.setBottom(timeline);
        buildNoSource();
        getChildren().addAll(dashboard, noSource);

        vm.stateProperty().addListener((obs, old, s) -> showState());
        vm.gpus().addListener((javafx.collections.ListChangeListener<GpuInfo>) c -> {
            rebuildCards();
            fitAfterReading = true;
        });
        vm.latestProperty().addListener((obs, old, snapshot) -> onSnapshot(snapshot));
        vm.events().addListener((javafx.collections.ListChangeListener<AlertEvent>) c -> {
            while (c.next()) {
                if (c.wasAdded()) {
                    c.getAddedSubList().stream().filter(AlertEvent::raised).forEach(this::notifyDesktop);
                }
            }
        });
        vm.planNameProperty().addListener((obs, old, name) -> planLabel.setText(name.isEmpty() ? "" : "Plan: " + name));
        vm.replayProperty().addListener((obs, old, replay) -> showTimeline(replay));
        showState();
    }

    // --- toolbar ----------------------------------------------------------------------------------------------

    private ToolBar toolbar() {
        MenuButton source = new MenuButton("Source");
        source.setId("monitor-source");
        MenuItem nvml = new MenuItem("Local GPUs (NVML)");
        nvml.setOnAction(e -> vm.start(NvmlSource::new, 1000));
        MenuItem h100 = new MenuItem("Simulated: 2 x H100, training");
        h100.setOnAction(e -> vm.start(() -> SimulatedSource.parse("simulated:h100-training:2"), 1000));
        MenuItem rtx = new MenuItem("Simulated: RTX 4090, bursty inference");
        rtx.setOnAction(e -> vm.start(() -> SimulatedSource.parse("simulated:rtx-4090-inference:1"), 1000));
        MenuItem recording = new MenuItem("Open recording…");
        recording.setOnAction(e -> openRecording());
        MenuItem prometheus = new MenuItem("Fleet through Prometheus\u2026");
        prometheus.setId("monitor-source-prometheus");
        prometheus.setOnAction(e -> askPrometheus());
        source.getItems().addAll(nvml, h100, rtx, recording, prometheus);

        ToggleButton record = new ToggleButton("Record");
        record.setId("monitor-record");
        record.setOnAction(e -> {
            if (record.isSelected()) {
                FileChooser chooser = new FileChooser();
                chooser.setTitle("Record to");
                chooser.setInitialFileName("gpu-recording.jsonl");
                File file = chooser.showSaveDialog(getScene().getWindow());
                if (file == null) {
                    record.setSelected(false);
                    return;
                }
                try {
                    vm.startRecording(file.toPath());
                } catch (IOException ex) {
                    record.setSelected(false);
                    error("Cannot record", ex.getMessage());
                }
            } else {
                vm.stopRecording();
            }
        });
        vm.recordingFileProperty().addListener((obs, old, file) -> record.setSelected(file != null));

        for (String name : WINDOW_NAMES) {
            window.getItems().add(name);
        }
        window.setValue("5 min");
        window.setId("monitor-window");
        window.setAccessibleText("Time window of the charts");
        window.setPrefWidth(100); // fits "10 min" and "24 h": the toolbar must fit 1280 px
        window.valueProperty().addListener((obs, old, v) -> redrawCharts());
        gpuChoice.setId("monitor-gpu-choice");
        gpuChoice.setAccessibleText("GPUs the charts show");
        gpuChoice.setPrefWidth(115);
        gpuChoice.valueProperty().addListener((obs, old, v) -> redrawCharts());
        pause.setId("monitor-pause");
        pause.selectedProperty().addListener((obs, old, paused) -> {
            pause.setText(paused ? "Resume charts" : "Pause charts");
            redrawCharts();
        });
        // One menu for the plan: compare its memory with the run, then calibrate it from the run.
        javafx.scene.control.MenuItem compare = new javafx.scene.control.MenuItem("Compare with plan…");
        compare.setId("monitor-plan-compare");
        compare.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("A saved plan to compare memory with");
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Headroom plan", "*.headroom-plan"));
            File file = chooser.showOpenDialog(getScene().getWindow());
            if (file != null) {
                vm.comparePlan(file.toPath());
            }
        });
        javafx.scene.control.MenuItem calibrate = new javafx.scene.control.MenuItem("Calibrate from this run…");
        calibrate.setId("monitor-calibrate");
        calibrate.disableProperty().bind(vm.planNameProperty().isEmpty());
        calibrate.setOnAction(e -> {
            javafx.scene.control.TextInputDialog ask = new javafx.scene.control.TextInputDialog("my-gpu");
            ask.setTitle("Calibrate from this run");
            ask.setHeaderText("Fit the compared plan's memory overhead to the most memory this run has used, and save"
                    + " it as a calibration profile named:");
            ask.showAndWait().ifPresent(name -> vm.calibrateFromRun(name.trim(), line -> planLabel.setText(line)));
        });
        javafx.scene.control.MenuButton comparePlan = new javafx.scene.control.MenuButton("Plan", null, compare,
                calibrate);
        comparePlan.setId("monitor-plan");
        sourceLabel.setId("monitor-source-name");
        sourceLabel.textProperty().bind(vm.sourceNameProperty());
        simulatedBadge.setId("monitor-simulated");
        simulatedBadge.getStyleClass().add("simulated-badge");
        simulatedBadge.visibleProperty().bind(vm.simulatedProperty());
        simulatedBadge.managedProperty().bind(vm.simulatedProperty());
        stall.textProperty().bind(vm.stallProperty());
        stall.getStyleClass().add("text-warning");
        planLabel.setId("monitor-plan-name");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        ToggleButton serve = new ToggleButton("Serve /metrics");
        serve.setId("monitor-serve");
        serve.setTooltip(dev.headroom.ui.common.Forms.tooltip("Serve these GPUs to Prometheus on"
                + " http://127.0.0.1:9400/metrics under dcgm-exporter's names, as 'headroom exporter' does."));
        serve.setOnAction(e -> vm.serveMetrics(serve.isSelected(), 9400));
        vm.servingProperty().addListener((obs, old, text) -> {
            serve.getTooltip().setText(text.isEmpty() ? "Serve these GPUs to Prometheus on"
                    + " http://127.0.0.1:9400/metrics under dcgm-exporter's names." : text);
            if (text.startsWith("cannot")) { // the port is taken, say: tell, and leave the toggle off
                serve.setSelected(false);
                javafx.scene.control.Alert alert = new javafx.scene.control.Alert(
                        javafx.scene.control.Alert.AlertType.ERROR, text);
                alert.setHeaderText("/metrics is not served");
                alert.show();
            }
        });
        return new ToolBar(source, record, serve, new Label("Window"), window, gpuChoice, pause, comparePlan,
                planLabel, spacer, stall, simulatedBadge, sourceLabel);
    }

    /** URL and optional bearer token of a Prometheus that scrapes dcgm-exporter; read every 5 s. */
    private void askPrometheus() {
        javafx.scene.control.Dialog<String[]> dialog = new javafx.scene.control.Dialog<>();
        dialog.setTitle("Fleet through Prometheus");
        dialog.setHeaderText("A Prometheus server that scrapes dcgm-exporter or 'headroom exporter'");
        javafx.scene.control.TextField url = new javafx.scene.control.TextField("http://localhost:9090");
        url.setId("prometheus-url");
        javafx.scene.control.PasswordField token = new javafx.scene.control.PasswordField();
        token.setPromptText("bearer token (optional)");
        javafx.scene.control.TextField basic = new javafx.scene.control.TextField();
        basic.setPromptText("user:password (optional)");
        javafx.scene.layout.GridPane grid = dev.headroom.ui.common.Forms.grid();
        dev.headroom.ui.common.Forms.row(grid, "URL", url, "http:// or https:// address of the Prometheus server"
                + " (https uses the system's trusted certificates)");
        dev.headroom.ui.common.Forms.row(grid, "Token", token, "Sent as 'Authorization: Bearer TOKEN'");
        dev.headroom.ui.common.Forms.row(grid, "Basic auth", basic, "user:password, when there is no token");
        dialog.getDialogPane().setContent(grid);
        dialog.getDialogPane().getButtonTypes().addAll(javafx.scene.control.ButtonType.OK,
                javafx.scene.control.ButtonType.CANCEL);
        dialog.setResultConverter(b -> b == javafx.scene.control.ButtonType.OK
                ? new String[] {url.getText().trim(), token.getText(), basic.getText()} : null);
        dialog.showAndWait().ifPresent(answer -> startPrometheus(answer[0], answer[1].isBlank() ? null : answer[1],
                answer[2].isBlank() ? null : answer[2]));
    }

    void startPrometheus(String url, String token) {
        startPrometheus(url, token, null);
    }

    void startPrometheus(String url, String token, String basic) {
        java.net.URI address;
        try {
            address = dev.headroom.telemetry.prometheus.PrometheusSource.address(url);
            dev.headroom.telemetry.prometheus.PrometheusSource.checkCredentials(token, basic);
        } catch (IllegalArgumentException e) {
            javafx.scene.control.Alert alert = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.ERROR,
                    e.getMessage());
            alert.setHeaderText("Not a usable Prometheus address or credential");
            alert.show();
            return;
        }
        vm.start(() -> new dev.headroom.telemetry.prometheus.PrometheusSource(address, token, basic,
                java.time.Duration.ofSeconds(5)), 5000);
    }

    private void openRecording() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open a recording");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Headroom recording", "*.jsonl", "*.json"));
        File file = chooser.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        if (file != null) {
            vm.start(() -> new ReplaySource(file.toPath()), 1000);
        }
    }

    // --- no source ----------------------------------------------------------------------------------------------

    private void buildNoSource() {
        noSource.setId("monitor-no-source");
        noSource.setPadding(new Insets(40));
        noSource.setAlignment(Pos.TOP_LEFT);
        noSource.setMaxWidth(760);
        Label heading = new Label("No NVIDIA GPU to watch here");
        heading.getStyleClass().add("title-3");
        noSourceText.setWrapText(true);
        Label lookedFor = new Label("Headroom looked for libnvidia-ml.so.1, the management library the NVIDIA driver"
                + " installs, on the system library path (or at -Dheadroom.nvml.library). Install or load the driver"
                + " (for example 'sudo apt install nvidia-driver', or NVIDIA's installer, then reboot), and choose"
                + " Source > Local GPUs again. Meanwhile you can watch a labelled simulation or replay a recording.");
        lookedFor.setWrapText(true);
        lookedFor.getStyleClass().add("text-muted");
        Button simulate = new Button("Start the simulation");
        simulate.setId("monitor-start-simulation");
        simulate.setDefaultButton(true);
        simulate.setOnAction(e -> vm.start(() -> SimulatedSource.parse("simulated:h100-training:2"), 1000));
        Button recording = new Button("Open a recording…");
        recording.setId("monitor-open-recording");
        recording.setOnAction(e -> openRecording());
        Button retry = new Button("Retry");
        retry.setId("monitor-retry");
        retry.setOnAction(e -> vm.retry());
        noSource.getChildren().addAll(heading, noSourceText, lookedFor, new HBox(10, retry, simulate, recording));
        noSourceText.textProperty().bind(vm.unavailableProperty());
        String localHeading = heading.getText();
        String localHelp = lookedFor.getText();
        vm.unavailableProperty().addListener((obs, old, why) -> {
            boolean fleet = why != null && why.contains("Prometheus");
            heading.setText(fleet ? "The fleet cannot be read" : localHeading);
            lookedFor.setText(fleet ? "Headroom asked the Prometheus server for dcgm-exporter's series"
                    + " (DCGM_FI_DEV_*). Check the address, that Prometheus runs and answers, and that it scrapes"
                    + " dcgm-exporter or 'headroom exporter'; then Retry." : localHelp);
        });
    }

    private void showState() {
        boolean none = vm.stateProperty().get() == MonitorViewModel.State.NO_SOURCE;
        noSource.setVisible(none);
        dashboard.setVisible(!none);
    }

    // --- cards ---------------------------------------------------------------------------------------------------

    /**
     * The cards' area as tall as the cards need (at most 60 % of the dashboard), the rest to the live charts:
     * computed after the cards' next layout, when their height is known.
     */
    private void fitCardsArea() {
        javafx.application.Platform.runLater(() -> {
            double height = split.getHeight();
            if (height <= 0) {
                return;
            }
            split.applyCss();
            split.layout();
            double needed = compactCards.prefHeight(-1) + cards.prefHeight(split.getWidth() - 20) + 24;
            split.setDividerPositions(Math.min(0.6, Math.max(0.12, needed / height)));
        });
    }

    private void rebuildCards() {
        cards.getChildren().clear();
        cardList.clear();
        List<String> choices = new ArrayList<>(List.of("All GPUs"));
        for (GpuInfo info : vm.gpus()) {
            GpuCard card = new GpuCard(info, vm.simulatedProperty().get());
            card.setCompact(compactCards.isSelected());
            cardList.add(card);
            cards.getChildren().add(card);
            choices.add("GPU " + info.index());
        }
        gpuChoice.getItems().setAll(choices);
        gpuChoice.setValue("All GPUs");
        renderer.execute(() -> {
            for (LiveChart chart : charts) {
                chart.chart().getXYPlot().setDataset(new org.jfree.data.xy.XYSeriesCollection());
            }
        });
    }

    private void onSnapshot(Snapshot snapshot) {
        if (snapshot == null) {
            return;
        }
        long start = System.nanoTime();
        Double planned = vm.plannedBytesPerGpuProperty().get();
        for (GpuReading reading : snapshot.gpus()) {
            if (reading.index() < cardList.size()) {
                cardList.get(reading.index()).update(reading, planned);
            }
        }
        if (fitAfterReading) { // the cards' height is known once they hold a reading
            fitAfterReading = false;
            fitCardsArea();
        }
        if (snapshot.gpus().stream().anyMatch(r -> r.processes() != null)) {
            List<ProcessRow> rows = new ArrayList<>();
            for (GpuReading reading : snapshot.gpus()) {
                if (reading.processes() != null) {
                    reading.processes().forEach(p -> rows.add(new ProcessRow(reading.index(), p)));
                }
            }
            processes.getItems().setAll(rows);
        }
        ReplaySource replay = vm.replayProperty().get();
        if (replay != null && !timeline.isValueChanging()) {
            timeline.setValue(Math.min(timeline.getMax(), timeline.getValue() + 1));
        }
        if (!pause.isSelected()) {
            redrawCharts();
        }
        lastUpdateMillis = (System.nanoTime() - start) / 1e6;
    }

    /** FX-thread time the last snapshot took to show on cards and tables (charts draw elsewhere). */
    double lastUpdateMillis() {
        return lastUpdateMillis;
    }

    /** FX-thread time the last chart frame took to swap in (the pixel copy; drawing ran on the renderer). */
    double lastFrameMillis() {
        return lastFrameMillis;
    }

    // --- charts ---------------------------------------------------------------------------------------------------

    private Node chartsPane() {
        GridPane grid = new GridPane();
        grid.setHgap(6);
        grid.setVgap(6);
        String[][] titles = {{"Utilization", "%"}, {"Memory used", "GiB"}, {"Temperature", "°C"}, {"Power", "W"}};
        for (int i = 0; i < CHARTED.length; i++) {
            LiveChart chart = new LiveChart(MonitorCharts.timeSeries(titles[i][0], titles[i][1]),
                    "monitor-chart-" + CHARTED[i].key());
            chart.setOnMouseMoved(event -> moveCrosshair(chart, event.getX()));
            chart.widthProperty().addListener((obs, old, w) -> redrawCharts());
            chart.heightProperty().addListener((obs, old, h) -> redrawCharts());
            charts[i] = chart;
            // The chart belongs to the renderer thread: the export copy is taken and written there.
            exports[i] = dev.headroom.ui.common.ChartExportMenu.of(chart, chart::chart, renderer,
                    this::exportFootnote, renderer, text -> exportStatus.accept(text));
            javafx.scene.layout.VBox exportable = exports[i].installOnRegion();
            grid.add(exportable, i % 2, i / 2);
            GridPane.setHgrow(exportable, Priority.ALWAYS);
            GridPane.setVgrow(exportable, Priority.ALWAYS);
        }
        crosshair.setId("monitor-crosshair");
        crosshair.getStyleClass().add("text-muted");
        crosshair.setText("Move the mouse over a chart to read the values at a time.");
        VBox box = new VBox(4, crosshair, grid);
        VBox.setVgrow(grid, Priority.ALWAYS);
        box.setPadding(new Insets(6));
        return box;
    }

    private void moveCrosshair(LiveChart chart, double x) {
        Long time = chart.timeAt(x);
        if (time == null || vm.gpus().isEmpty()) {
            return;
        }
        crosshairMillis = time;
        renderer.execute(() -> {
            for (LiveChart other : charts) {
                other.chart().getXYPlot().setDomainCrosshairValue(time, false);
            }
        });
        redrawCharts();
        StringBuilder text = new StringBuilder(CLOCK.format(Instant.ofEpochMilli(crosshairMillis)));
        for (int g : selectedGpus()) {
            text.append(String.format(Locale.ROOT, "   GPU %d: %s %% util, %s GiB, %s °C, %s W", g,
                    at(g, Metric.UTILIZATION_GPU, 1), at(g, Metric.MEMORY_USED, 1L << 30),
                    at(g, Metric.TEMPERATURE, 1), at(g, Metric.POWER, 1)));
        }
        crosshair.setText(text.toString());
    }

    private String at(int gpu, Metric metric, double scale) {
        long t = crosshairMillis;
        double v = vm.history().query(gpu, metric, t - 500, t + 500, 1).mean()[0];
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v / scale);
    }

    private List<Integer> selectedGpus() {
        List<Integer> gpus = new ArrayList<>();
        String choice = gpuChoice.getValue();
        for (GpuInfo info : vm.gpus()) {
            if (choice == null || choice.equals("All GPUs") || choice.equals("GPU " + info.index())) {
                gpus.add(info.index());
            }
        }
        return gpus;
    }

    /**
     * Asks the renderer for a new frame of every chart. The FX thread only gathers the parameters; the history
     * queries and the drawing run on the renderer thread, and a request during a frame folds into the next one.
     */
    private void redrawCharts() {
        if (pause.isSelected() || vm.gpus().isEmpty() || vm.history().size() == 0) {
            return;
        }
        long windowMillis = WINDOWS[Math.max(0, List.of(WINDOW_NAMES).indexOf(window.getValue()))];
        var history = vm.history();
        long to = history.newestMillis();
        long from = to - windowMillis;
        List<Integer> gpus = selectedGpus();
        List<String> labels = gpus.stream().map(g -> "GPU " + g).toList();
        Double planned = vm.plannedBytesPerGpuProperty().get();
        int[][] sizes = new int[charts.length][2];
        for (int i = 0; i < charts.length; i++) {
            sizes[i][0] = (int) charts[i].getWidth();
            sizes[i][1] = (int) charts[i].getHeight();
        }
        Runnable frame = () -> {
            java.awt.image.BufferedImage[] pixels = new java.awt.image.BufferedImage[charts.length];
            for (int i = 0; i < charts.length; i++) {
                JFreeChart chart = charts[i].chart();
                int buckets = Math.max(60, Math.min(400, sizes[i][0] / 2));
                double scale = CHARTED[i] == Metric.MEMORY_USED ? 1L << 30 : 1;
                MonitorCharts.update(chart, history, CHARTED[i], gpus, labels, from, to, buckets, scale);
                if (CHARTED[i] == Metric.MEMORY_USED) {
                    MonitorCharts.setMarker(chart, planned == null ? null : planned / (1L << 30), planned == null ? null
                            : String.format(Locale.ROOT, "plan: %.1f GiB per GPU", planned / (1L << 30)), new Color(0xb00020));
                }
                java.awt.image.BufferedImage drawn = charts[i].render(sizes[i][0], sizes[i][1], from, to);
                pixels[i] = drawn == null ? null : copy(drawn);
            }
            // One frame waits for the FX thread at most: a newer one replaces it instead of queueing behind it.
            if (pendingFrame.getAndSet(pixels) == null) {
                javafx.application.Platform.runLater(() -> {
                    java.awt.image.BufferedImage[] newest = pendingFrame.getAndSet(null);
                    long start = System.nanoTime();
                    for (int i = 0; i < charts.length; i++) {
                        charts[i].show(newest[i]);
                    }
                    lastFrameMillis = (System.nanoTime() - start) / 1e6;
                });
            }
        };
        if (!rendering.compareAndSet(false, true)) {
            renderAgain = true;
            return;
        }
        renderer.execute(() -> {
            try {
                frame.run();
            } finally {
                rendering.set(false);
                if (renderAgain) {
                    renderAgain = false;
                    javafx.application.Platform.runLater(this::redrawCharts);
                }
            }
        });
    }

    private static java.awt.image.BufferedImage copy(java.awt.image.BufferedImage source) {
        java.awt.image.BufferedImage copy = new java.awt.image.BufferedImage(source.getWidth(), source.getHeight(),
                source.getType());
        copy.setData(source.getRaster());
        return copy;
    }

    // --- processes and alerts -------------------------------------------------------------------------------------

    private Node processesPane() {
        processes.setId("monitor-processes");
        processes.setAccessibleText("Processes on the GPUs");
        processes.getColumns().add(column("GPU", r -> r.gpu()));
        processes.getColumns().add(column("PID", r -> r.process().pid()));
        processes.getColumns().add(column("Name", r -> r.process().name() == null ? "(not visible here)" : r.process().name()));
        processes.getColumns().add(column("User", r -> r.process().user() == null ? "?" : r.process().user()));
        processes.getColumns().add(column("Kind", r -> r.process().kind()));
        processes.getColumns().add(column("GPU memory (MiB)", r -> r.process().usedBytes() == null ? null
                : Math.round(r.process().usedBytes() / 1048576.0)));
        processes.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label note = new Label("Processes refresh every 5 s; a process in another PID namespace (a container) shows"
                + " without a name.");
        note.getStyleClass().add("text-muted");
        VBox box = new VBox(6, note, processes);
        VBox.setVgrow(processes, Priority.ALWAYS);
        box.setPadding(new Insets(6));
        return box;
    }

    private Node alertsPane() {
        alerts.setId("monitor-alerts");
        alerts.setAccessibleText("Alerts raised and cleared");
        alerts.setItems(vm.events());
        alerts.getColumns().add(alertColumn("Time", e -> CLOCK.format(Instant.ofEpochMilli(e.epochMillis()))));
        alerts.getColumns().add(alertColumn("GPU", e -> Integer.toString(e.gpu())));
        alerts.getColumns().add(alertColumn("Severity", e -> e.raised() ? e.severity().name() : "cleared"));
        alerts.getColumns().add(alertColumn("Rule", AlertEvent::rule));
        alerts.getColumns().add(alertColumn("What was seen", AlertEvent::detail));
        alerts.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Button edit = new Button("Edit rules…");
        edit.setId("monitor-edit-rules");
        edit.setOnAction(e -> new AlertRulesDialog(vm).showAndWait());
        VBox box = new VBox(6, edit, alerts);
        VBox.setVgrow(alerts, Priority.ALWAYS);
        box.setPadding(new Insets(6));
        return box;
    }

    private void notifyDesktop(AlertEvent event) {
        if (getScene() == null || getScene().getWindow() == null || !getScene().getWindow().isShowing()) {
            return;
        }
        Notifications notice = Notifications.create().title("GPU " + event.gpu() + ": " + event.rule())
                .text(event.detail()).owner(getScene().getWindow()).hideAfter(javafx.util.Duration.seconds(6));
        if (event.severity() == AlertRule.Severity.CRITICAL) {
            notice.showError();
        } else {
            notice.showWarning();
        }
    }

    private void showTimeline(ReplaySource replay) {
        boolean visible = replay != null;
        timeline.setVisible(visible);
        timeline.setManaged(visible);
        if (visible) {
            int ticks = replay.contents().ticks().size();
            timeline.setMin(0);
            timeline.setMax(Math.max(1, ticks - 1));
            timeline.setValue(0);
            timeline.setTooltip(Forms.tooltip("Drag to scrub through the recording (" + ticks + " ticks)"));
            timeline.valueChangingProperty().addListener((obs, was, changing) -> {
                if (!changing) {
                    vm.seek((int) Math.round(timeline.getValue()));
                }
            });
        }
    }

    private static <T> TableColumn<ProcessRow, T> column(String title, java.util.function.Function<ProcessRow, T> value) {
        TableColumn<ProcessRow, T> column = new TableColumn<>(title);
        column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(value.apply(c.getValue())));
        return column;
    }

    private static TableColumn<AlertEvent, String> alertColumn(String title, java.util.function.Function<AlertEvent, String> value) {
        TableColumn<AlertEvent, String> column = new TableColumn<>(title);
        column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(value.apply(c.getValue())));
        return column;
    }

    private void error(String header, String message) {
        Alert alert = new Alert(Alert.AlertType.ERROR, message, ButtonType.CLOSE);
        alert.setHeaderText(header);
        alert.initOwner(getScene().getWindow());
        alert.show();
    }

    static String time(long millis) {
        return LocalTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.systemDefault()).toString();
    }
}
