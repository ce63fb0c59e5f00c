package dev.headroom.ui.monitor;

import dev.headroom.catalog.Catalog;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.PlanFile;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.SizingEngine;
import dev.headroom.telemetry.AlertEngine;
import dev.headroom.telemetry.AlertEvent;
import dev.headroom.telemetry.AlertRule;
import dev.headroom.telemetry.AlertRulesStore;
import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.GpuSource;
import dev.headroom.telemetry.History;
import dev.headroom.telemetry.Recording;
import dev.headroom.telemetry.ReplaySource;
import dev.headroom.telemetry.Sampler;
import dev.headroom.telemetry.Snapshot;
import dev.headroom.telemetry.SourceUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The dashboard's state. Snapshots arrive on the sampler's thread, which also stores them in the history, runs
 * the alert rules and appends to a recording; the FX thread gets at most one pending update at a time (a slow
 * frame coalesces ticks, it never queues them), and never waits on the source, the disk or NVML.
 */
public final class MonitorViewModel {
    /** Where the dashboard stands. */
    public enum State { STARTING, NO_SOURCE, RUNNING }

    /** Alert events kept on screen; older ones scroll off (recordings keep everything). */
    static final int MAX_EVENTS = 500;

    private final Catalog catalog;
    private final Executor background;
    private final AlertRulesStore rulesStore;
    private final long retentionMillis;

    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.STARTING);
    private final ReadOnlyStringWrapper sourceName = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper unavailable = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper stall = new ReadOnlyStringWrapper("");
    private final BooleanProperty simulated = new SimpleBooleanProperty();
    private final ObservableList<GpuInfo> gpus = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Snapshot> latest = new ReadOnlyObjectWrapper<>();
    private final ObservableList<AlertEvent> events = FXCollections.observableArrayList();
    private final ObjectProperty<Path> recordingFile = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<Double> plannedBytesPerGpu = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper planName = new ReadOnlyStringWrapper("");
    /** The plan being compared (Calibrate from this run fits it) and the most memory a real GPU has used. */
    private volatile Path comparedPlan;
    /** The source's driver, for the served /metrics' DCGM_FI_DRIVER_VERSION label (null: simulated, a replay). */
    private volatile String driverVersion;
    private volatile double peakMemoryUsed;
    private final ReadOnlyObjectWrapper<ReplaySource> replay = new ReadOnlyObjectWrapper<>();

    private GpuSource source;
    private Sampler sampler;
    private volatile History history = new History(0, 1000, 1000);
    private volatile AlertEngine alertEngine;
    private volatile Recording.Writer recorder;
    private List<AlertRule> rules;
    private final AtomicReference<Delivery> pending = new AtomicReference<>();

    /** What the FX thread has not yet seen: the newest snapshot and every event since the last update. */
    private record Delivery(Snapshot snapshot, List<AlertEvent> events) {
    }

    public MonitorViewModel(Catalog catalog, Executor background, AlertRulesStore rulesStore, long retentionMillis) {
        this.catalog = catalog;
        this.background = background;
        this.rulesStore = rulesStore;
        this.retentionMillis = retentionMillis;
        this.rules = rulesStore.load();
    }

    /** Opens a source off the FX thread; on failure the dashboard shows why and what to do. */
    public void start(Supplier<GpuSource> factory, long intervalMillis) {
        lastFactory = factory;
        lastInterval = intervalMillis;
        stop();
        state.set(State.STARTING);
        CompletableFuture.supplyAsync(() -> {
            GpuSource opened = factory.get();
            try {
                List<GpuInfo> infos = opened.open();
                return new Opened(opened, infos, past(opened));
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
        }, background).whenComplete((opened, error) -> Platform.runLater(() -> {
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                unavailable.set(cause instanceof SourceUnavailableException ? cause.getMessage()
                        : "The source could not start: " + cause.getMessage());
                state.set(State.NO_SOURCE);
                return;
            }
            attach(opened.source(), opened.gpus());
            opened.past().forEach(history::add); // before the first live sample, so the charts run in time order
            long interval = opened.source() instanceof ReplaySource r ? Math.max(Sampler.MIN_INTERVAL_MILLIS,
                    r.recordedIntervalMillis()) : intervalMillis;
            sampler = new Sampler(source, interval, Math.max(interval, 5000), new Sampler.Listener() {
                @Override
                public void onSnapshot(Snapshot snapshot) {
                    ingest(snapshot);
                }

                @Override
                public void onStall(long millis) {
                    Platform.runLater(() -> stall.set(source.name() + " has not answered for " + millis + " ms"));
                }
            });
            sampler.start();
        }));
    }

    private record Opened(GpuSource source, List<GpuInfo> gpus, List<Snapshot> past) {
    }

    /** A fleet's last hour from Prometheus's storage (range query, 15 s steps); nothing for local sources. */
    private static List<Snapshot> past(GpuSource source) {
        if (source instanceof dev.headroom.telemetry.prometheus.PrometheusSource fleet) {
            try {
                return fleet.history(java.time.Duration.ofHours(1), java.time.Duration.ofSeconds(15));
            } catch (IOException e) {
                return List.of(); // live samples still come; the stall line says what failed
            }
        }
        return List.of();
    }

    /** Takes a source that is already open: the FX part of {@link #start}, and what tests drive directly. */
    void attach(GpuSource opened, List<GpuInfo> infos) {
        source = opened;
        driverVersion = opened.driverVersion();
        peakMemoryUsed = 0; // "this run" is this source's
        history = new History(infos.size(), retentionMillis, 1000);
        alertEngine = new AlertEngine(rules, infos);
        sourceName.set(opened.name());
        simulated.set(opened.simulated()); // before the cards are built: they carry the badge
        gpus.setAll(infos);
        fleetError = null;
        if (served != null) {
            served.setGpus(infos); // the served GPUs follow the source
            served.setDriverVersion(driverVersion);
        }
        replay.set(opened instanceof ReplaySource r ? r : null);
        events.clear();
        latest.set(null);
        stall.set("");
        state.set(State.RUNNING);
    }

    /**
     * The sampler-thread half of a tick: history, alerts, recording; then one coalesced hand-off to the FX
     * thread. Called by the sampler, and by tests that play time faster than the clock.
     */
    /** Tries the last source again (the Retry button of the no-source screen). */
    public void retry() {
        if (lastFactory != null) {
            start(lastFactory, lastInterval);
        }
    }

    private Supplier<GpuSource> lastFactory;
    private volatile String fleetError;
    private long lastInterval;

    private volatile dev.headroom.telemetry.prometheus.DcgmMetrics served;
    private dev.headroom.telemetry.prometheus.MetricsServer metricsServer;
    private final ReadOnlyStringWrapper serving = new ReadOnlyStringWrapper("");

    /**
     * Serves the watched GPUs on /metrics (dcgm-exporter names) at 127.0.0.1:{@code port} while on, as
     * 'headroom exporter' does. Starting the server binds a socket, so it runs on the background executor.
     */
    public void serveMetrics(boolean on, int port) {
        if (!on) {
            dev.headroom.telemetry.prometheus.MetricsServer server = metricsServer;
            metricsServer = null;
            served = null;
            serving.set("");
            if (server != null) {
                background.execute(server::close);
            }
            return;
        }
        dev.headroom.telemetry.prometheus.DcgmMetrics metrics = new dev.headroom.telemetry.prometheus.DcgmMetrics(
                List.copyOf(gpus), hostname(), dev.headroom.telemetry.prometheus.DcgmMetrics.HOSTNAME_LABEL,
                driverVersion);
        CompletableFuture.supplyAsync(() -> {
            try {
                return new dev.headroom.telemetry.prometheus.MetricsServer(metrics, "127.0.0.1", port, null, null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, background).whenComplete((server, error) -> Platform.runLater(() -> {
            if (error != null) {
                Throwable cause = error.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : error;
                serving.set("cannot serve /metrics on 127.0.0.1:" + port + ": " + cause.getMessage());
                return;
            }
            metricsServer = server;
            served = metrics;
            serving.set("serving /metrics on http://127.0.0.1:" + server.port() + "/metrics");
        }));
    }

    public ReadOnlyStringProperty servingProperty() { return serving.getReadOnlyProperty(); }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return null;
        }
    }

    void ingest(Snapshot snapshot) {
        dev.headroom.telemetry.prometheus.DcgmMetrics metrics = served;
        if (metrics != null) {
            metrics.update(snapshot);
        }
        if (source instanceof dev.headroom.telemetry.prometheus.PrometheusSource fleet) {
            // A fleet that stops answering keeps its cards (marked "read failed") and says why until it answers;
            // only a change is told, so other messages on the line (a stopped recording) are not wiped each tick.
            String error = fleet.lastError();
            if (!java.util.Objects.equals(error, fleetError)) {
                fleetError = error;
                Platform.runLater(() -> stall.set(error == null ? "" : error + " \u2014 asking again every tick"));
            }
        }
        List<GpuInfo> grown = source.gpusChanged();
        if (grown != null) {
            // A host or GPU joined the fleet: the history widens, alerts and the served /metrics follow, cards too.
            history = history.widened(grown.size());
            alertEngine.setGpus(grown);
            if (metrics != null) {
                metrics.setGpus(grown);
                metrics.update(snapshot);
            }
            Platform.runLater(() -> gpus.setAll(grown));
        }
        History target = history;
        target.add(snapshot);
        if (!snapshot.simulated()) {
            for (dev.headroom.telemetry.GpuReading g : snapshot.gpus()) {
                double used = g.value(dev.headroom.telemetry.Metric.MEMORY_USED);
                if (used > peakMemoryUsed) {
                    peakMemoryUsed = used; // read by "Calibrate from this run"; a double written by one thread
                }
            }
        }
        List<AlertEvent> raised = alertEngine == null ? List.of() : alertEngine.evaluate(snapshot);
        Recording.Writer writer = recorder;
        if (writer != null) {
            try {
                writer.append(snapshot);
            } catch (IOException e) {
                Platform.runLater(() -> stall.set("recording stopped: " + e.getMessage()));
                recorder = null;
            }
        }
        Delivery previous = pending.getAndUpdate(d -> {
            if (d == null) {
                return new Delivery(snapshot, raised);
            }
            List<AlertEvent> merged = new ArrayList<>(d.events());
            merged.addAll(raised);
            return new Delivery(snapshot, merged);
        });
        if (previous == null) {
            if (Platform.isFxApplicationThread()) {
                applyPending();
            } else {
                Platform.runLater(this::applyPending);
            }
        }
    }

    /** The FX-thread half: publish the newest snapshot and the new events. */
    void applyPending() {
        Delivery delivery = pending.getAndSet(null);
        if (delivery == null) {
            return;
        }
        if (!delivery.events().isEmpty()) {
            List<AlertEvent> newestFirst = new ArrayList<>(delivery.events());
            java.util.Collections.reverse(newestFirst);
            events.addAll(0, newestFirst);
            if (events.size() > MAX_EVENTS) {
                events.remove(MAX_EVENTS, events.size());
            }
        }
        stall.set("");
        latest.set(delivery.snapshot());
    }

    public void stop() {
        if (sampler != null) {
            sampler.close();
            sampler = null;
        }
        stopRecording();
        if (source != null) {
            GpuSource closing = source;
            source = null;
            background.execute(closing::close);
        }
    }

    public void startRecording(Path file) throws IOException {
        if (source == null) {
            throw new IOException("no source to record");
        }
        // the save dialog has already asked whether to replace an existing file: a yes means replace it
        recorder = new Recording.Writer(file, source, List.copyOf(gpus), sampler == null ? 1000 : sampler.intervalMillis(),
                true);
        recordingFile.set(file);
    }

    public void stopRecording() {
        Recording.Writer writer = recorder;
        recorder = null;
        recordingFile.set(null);
        if (writer != null) {
            background.execute(() -> {
                try {
                    writer.close();
                } catch (IOException e) {
                    // the ticks already written were flushed; nothing more to save
                }
            });
        }
    }

    /** Replays only: shows the recording's tick {@code index} now. */
    public void seek(int index) {
        ReplaySource r = replay.get();
        if (r != null) {
            background.execute(() -> {
                synchronized (r) {
                    r.seek(index);
                    ingest(r.sample(true));
                    r.seek(index + 1);
                }
            });
        }
    }

    /**
     * Fits the compared plan's memory overhead to the most memory this run has used on any GPU (a peak-memory point,
     * as {@code headroom calibrate} reads a recording) and saves it as a calibration profile, in the background.
     *
     * @param done gets the line to show: what was saved and the plan's error before and after, or why not
     */
    public void calibrateFromRun(String name, java.util.function.Consumer<String> done) {
        Path file = comparedPlan;
        double peak = peakMemoryUsed;
        if (file == null) {
            done.accept("Compare with a plan first: the calibration is of that plan");
            return;
        }
        if (!(peak > 0)) {
            done.accept(simulated.get() ? "A simulated source measures nothing real"
                    : "No memory reading yet from a real GPU");
            return;
        }
        CompletableFuture.supplyAsync(() -> {
            try {
                dev.headroom.calibration.CalibrationStore.checkName(name);
                Scenario scenario = PlanFile.read(file);
                var point = new dev.headroom.calibration.MeasuredPoint(scenario,
                        dev.headroom.calibration.Quantity.PEAK_MEMORY_BYTES, peak, "this run's peak memory used");
                var result = new dev.headroom.calibration.Calibrator(new SizingEngine(catalog))
                        .fit(name, scenario, List.of(point));
                Path saved = dev.headroom.calibration.CalibrationStore.standard().save(result);
                var p = result.points().get(0);
                return String.format(java.util.Locale.ROOT, "Saved calibration '%s' (%s): the plan was %+.1f %% off"
                        + " this run's peak, now %+.1f %%", name, saved, p.errorBefore() * 100, p.errorAfter() * 100);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, background).whenComplete((line, error) -> Platform.runLater(() -> done.accept(error == null ? line
                : "Not calibrated: " + (error.getCause() != null ? error.getCause() : error).getMessage())));
    }

    /** Reads a saved plan and sizes it: its per-GPU memory becomes a line on the memory chart. */
    public void comparePlan(Path file) {
        comparedPlan = file;
        CompletableFuture.supplyAsync(() -> {
            try {
                Scenario scenario = PlanFile.read(file);
                return new SizingEngine(catalog).estimate(scenario);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, background).whenComplete((estimate, error) -> Platform.runLater(() -> {
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                planName.set("plan not usable: " + cause.getMessage());
                plannedBytesPerGpu.set(null);
                return;
            }
            showPlan(file.getFileName().toString(), estimate);
        }));
    }

    void showPlan(String name, Estimate estimate) {
        planName.set(name + " (" + estimate.model() + ")");
        plannedBytesPerGpu.set((double) estimate.memory().totalBytes());
    }

    public void clearPlan() {
        comparedPlan = null;
        planName.set("");
        plannedBytesPerGpu.set(null);
    }

    public List<AlertRule> rules() {
        return rules;
    }

    /** Saves the rules and applies them from the next tick on. */
    public void setRules(List<AlertRule> updated) throws IOException {
        rulesStore.save(updated);
        rules = List.copyOf(updated);
        alertEngine = new AlertEngine(rules, List.copyOf(gpus));
    }

    public History history() {
        return history;
    }

    public ReadOnlyObjectProperty<State> stateProperty() { return state.getReadOnlyProperty(); }
    public ReadOnlyStringProperty sourceNameProperty() { return sourceName.getReadOnlyProperty(); }
    public ReadOnlyStringProperty unavailableProperty() { return unavailable.getReadOnlyProperty(); }
    public ReadOnlyStringProperty stallProperty() { return stall.getReadOnlyProperty(); }
    public BooleanProperty simulatedProperty() { return simulated; }
    public ObservableList<GpuInfo> gpus() { return gpus; }
    public ReadOnlyObjectProperty<Snapshot> latestProperty() { return latest.getReadOnlyProperty(); }
    public ObservableList<AlertEvent> events() { return events; }
    public ObjectProperty<Path> recordingFileProperty() { return recordingFile; }
    public ReadOnlyObjectProperty<Double> plannedBytesPerGpuProperty() { return plannedBytesPerGpu.getReadOnlyProperty(); }
    public ReadOnlyStringProperty planNameProperty() { return planName.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<ReplaySource> replayProperty() { return replay.getReadOnlyProperty(); }
}
