package dev.headroom.ui.plan;

import dev.headroom.serving.Balancer;
import dev.headroom.serving.ServingSpec;
import dev.headroom.serving.Simulation;
import dev.headroom.serving.SimulationResult;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import javafx.concurrent.Task;

/**
 * Plan's "Load & targets" step and "Serving" tab: the fields of a {@link ServingSpec} as text, and one simulation at a
 * time as a background {@link Task}. Partial results arrive on the FX thread as the run goes; Cancel stops it and
 * keeps what was shown. Reading a trace file and simulating never happen on the FX thread.
 */
public final class ServingViewModel {
    /** How requests arrive: the open-loop processes, a trace, or a closed loop of users. */
    public enum Arrival {
        POISSON("Poisson (steady)"), GAMMA("Bursty (Gamma)"), DAILY("Daily curve"), TRACE("Trace file (CSV)"),
        USERS("Users who wait and think");

        private final String label;

        Arrival(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The autoscaling target, or none. */
    public enum Scaling {
        OFF("Fixed replicas", null), QUEUE("Waiting requests per replica", "queue"), UTIL("Busy share (0-1)", "util"),
        TTFT("p99 TTFT (s)", "ttft");

        private final String label;
        private final String prefix;

        Scaling(String label, String prefix) {
            this.label = label;
            this.prefix = prefix;
        }

        public String label() {
            return label;
        }
    }

    /** A run's outcome on the FX thread: a result (partial while running), or the problems that stopped it. */
    public record Outcome(SimulationResult result, List<String> problems, boolean finished) {
    }

    private final Simulation simulation;
    private final ObjectProperty<Arrival> arrival = new SimpleObjectProperty<>(Arrival.POISSON);
    private final StringProperty rate = new SimpleStringProperty("10");
    private final StringProperty burstiness = new SimpleStringProperty("2");
    private final StringProperty peakToAverage = new SimpleStringProperty("3");
    private final StringProperty traceFile = new SimpleStringProperty("");
    private final StringProperty users = new SimpleStringProperty("40");
    private final StringProperty thinkTime = new SimpleStringProperty("5s");
    private final StringProperty inputTokens = new SimpleStringProperty("uniform:1000:8000");
    private final StringProperty outputTokens = new SimpleStringProperty("lognormal:300:200");
    private final StringProperty requests = new SimpleStringProperty("2000");
    private final StringProperty duration = new SimpleStringProperty("");
    private final StringProperty replicas = new SimpleStringProperty("1");
    private final ObjectProperty<Balancer> balancer = new SimpleObjectProperty<>(Balancer.LEAST_OUTSTANDING);
    private final ObjectProperty<Scaling> scaling = new SimpleObjectProperty<>(Scaling.OFF);
    private final StringProperty scalingTarget = new SimpleStringProperty("4");
    private final StringProperty minReplicas = new SimpleStringProperty("1");
    private final StringProperty maxReplicas = new SimpleStringProperty("4");
    private final StringProperty scaleUpDelay = new SimpleStringProperty("");
    private final StringProperty maxBatchedTokens = new SimpleStringProperty("");
    private final StringProperty maxSeqs = new SimpleStringProperty("");
    private final StringProperty ttftSlo = new SimpleStringProperty("2s");
    private final StringProperty tpotSlo = new SimpleStringProperty("100ms");
    private final StringProperty seed = new SimpleStringProperty("0");
    private final BooleanProperty findMaxRate = new SimpleBooleanProperty(false);

    private final ObjectProperty<SimulationResult> result = new SimpleObjectProperty<>();
    private final ObservableList<String> problems = FXCollections.observableArrayList();
    private final ObservableMap<String, String> fieldProblems = FXCollections.observableHashMap();
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final StringProperty status = new SimpleStringProperty("Not run yet: set the load and targets, then Simulate");
    private Task<Outcome> task;
    private Scenario simulated;

    public ServingViewModel(Simulation simulation) {
        this.simulation = simulation;
    }

    /** The spec the fields describe; number problems go into {@code messages} under their field. */
    ServingSpec spec(Map<String, String> messages) {
        Numbers n = new Numbers(messages);
        Arrival kind = arrival.get();
        String arrivalText = switch (kind) {
            case POISSON, USERS -> null;
            case GAMMA -> "gamma:" + burstiness.get().trim();
            case DAILY -> "diurnal:" + peakToAverage.get().trim();
            case TRACE -> "trace:" + traceFile.get().trim();
        };
        boolean closed = kind == Arrival.USERS;
        boolean trace = kind == Arrival.TRACE;
        Double rateValue = closed || trace ? null : n.optionalDecimal("rate", rate);
        if (!closed && !trace && rateValue == null && !findMaxRate.get() && !messages.containsKey("rate")) {
            messages.put("rate", "rate: is required (requests per second)");
        }
        Integer replicaCount = n.optionalInteger("replicas", replicas);
        Scaling s = scaling.get();
        String durationText = blank(duration);
        Integer requestCount = durationText != null || trace ? null : n.optionalInteger("requests", requests);
        return new ServingSpec(findMaxRate.get() ? null : rateValue, closed ? n.integer("users", users) : null,
                closed ? blank(thinkTime) : null, arrivalText, trace ? null : blank(inputTokens),
                trace ? null : blank(outputTokens), null, durationText,
                requestCount == null ? null : requestCount.longValue(), replicaCount, balancer.get().label(), false,
                s == Scaling.OFF ? null : s.prefix + ":" + scalingTarget.get().trim(),
                s == Scaling.OFF ? null : n.optionalInteger("min-replicas", minReplicas),
                s == Scaling.OFF ? null : n.optionalInteger("max-replicas", maxReplicas),
                s == Scaling.OFF ? null : blank(scaleUpDelay), null, n.optionalInteger("max-batched-tokens",
                maxBatchedTokens), n.optionalInteger("max-seqs", maxSeqs), null, null, blank(ttftSlo), blank(tpotSlo),
                seedValue(n), findMaxRate.get());
    }

    /** The longest request the lengths allow, prompt and output, or null where a length does not parse. */
    Integer longestRequest() {
        try {
            return dev.headroom.serving.Lengths.parse("input-tokens", inputTokens.get()).max()
                    + dev.headroom.serving.Lengths.parse("output-tokens", outputTokens.get()).max();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private long seedValue(Numbers n) {
        Integer value = n.optionalInteger("seed", seed);
        return value == null ? 0 : value;
    }

    private static String blank(StringProperty text) {
        String t = text.get() == null ? "" : text.get().trim();
        return t.isEmpty() ? null : t;
    }

    /** Starts a run of the plan under this load; a run already going is cancelled first. */
    public void run(Scenario scenario, Executor background) {
        cancel();
        Map<String, String> messages = new LinkedHashMap<>();
        if (scenario == null) {
            showProblems(List.of("plan: fix the plan's marked inputs first; a plan that cannot be sized cannot be"
                    + " simulated"), messages);
            return;
        }
        ServingSpec spec = spec(messages);
        if (!messages.isEmpty()) {
            showProblems(List.copyOf(messages.values()), messages);
            return;
        }
        Task<Outcome> next = new Task<>() {
            @Override
            protected Outcome call() {
                List<String> found = new ArrayList<>();
                Simulation.Input input = spec.input(scenario, found); // reads a trace file: here, not on the FX thread
                if (input == null) {
                    return new Outcome(null, found, true);
                }
                try {
                    Simulation.Listener listener = (fraction, partial) -> {
                        updateProgress(fraction, 1);
                        updateValue(new Outcome(partial, List.of(), false));
                    };
                    SimulationResult done = spec.findMaxRate() ? simulation.findMaxRate(input, listener, this::isCancelled)
                            : simulation.run(input, listener, this::isCancelled);
                    return new Outcome(done, List.of(), true);
                } catch (ScenarioException e) {
                    return new Outcome(null, e.problems(), true);
                }
            }
        };
        task = next;
        simulated = scenario;
        problems.clear();
        fieldProblems.clear();
        running.set(true);
        progress.set(0);
        status.set("Simulating…");
        next.valueProperty().addListener((obs, old, outcome) -> {
            if (outcome != null && outcome.result() != null && next == task && !outcome.finished()) {
                result.set(outcome.result());
                status.set(String.format(java.util.Locale.ROOT, "Simulating… %,d requests so far",
                        outcome.result().requests()));
            }
        });
        next.progressProperty().addListener((obs, old, p) -> {
            if (next == task && p.doubleValue() >= 0) {
                progress.set(p.doubleValue());
            }
        });
        next.setOnSucceeded(e -> {
            if (next != task) {
                return;
            }
            running.set(false);
            Outcome outcome = next.getValue();
            if (outcome.result() == null) {
                showProblems(outcome.problems(), new LinkedHashMap<>());
                return;
            }
            progress.set(1);
            result.set(outcome.result());
            status.set(String.format(java.util.Locale.ROOT, "%,d requests simulated", outcome.result().requests()));
        });
        next.setOnCancelled(e -> {
            if (next == task) {
                running.set(false);
                status.set("Cancelled: the figures shown are from the part that ran");
            }
        });
        next.setOnFailed(e -> {
            if (next != task) {
                return;
            }
            running.set(false);
            Throwable error = next.getException();
            status.set(error instanceof CancellationException ? "Cancelled: the figures shown are from the part that ran"
                    : "The simulation failed: " + error);
        });
        background.execute(next);
    }

    /** The result, where it was simulated on this very plan; null otherwise (the report leaves it out). */
    public SimulationResult resultFor(Scenario scenario) {
        return scenario != null && scenario.equals(simulated) && !running.get() ? result.get() : null;
    }

    /** Says so where the plan changed after the result shown. */
    public void planChanged(Scenario scenario) {
        if (result.get() != null && !running.get() && !java.util.Objects.equals(scenario, simulated)) {
            status.set("The plan changed after this run: Simulate again to update it");
        }
    }

    public void cancel() {
        if (task != null && task.isRunning()) {
            task.cancel(false); // the run polls isCancelled and stops within a few thousand events
        }
    }

    private void showProblems(List<String> list, Map<String, String> byField) {
        for (String p : list) {
            byField.merge(PlanViewModel.fieldOf(p), p, (a, b) -> a + "\n" + b);
        }
        fieldProblems.clear();
        fieldProblems.putAll(byField);
        problems.setAll(list);
        running.set(false);
        status.set("Not run: fix the marked load and targets");
    }

    // --- properties -------------------------------------------------------------------------------------------

    public ObjectProperty<Arrival> arrivalProperty() { return arrival; }
    public StringProperty rateProperty() { return rate; }
    public StringProperty burstinessProperty() { return burstiness; }
    public StringProperty peakToAverageProperty() { return peakToAverage; }
    public StringProperty traceFileProperty() { return traceFile; }
    public StringProperty usersProperty() { return users; }
    public StringProperty thinkTimeProperty() { return thinkTime; }
    public StringProperty inputTokensProperty() { return inputTokens; }
    public StringProperty outputTokensProperty() { return outputTokens; }
    public StringProperty requestsProperty() { return requests; }
    public StringProperty durationProperty() { return duration; }
    public StringProperty replicasProperty() { return replicas; }
    public ObjectProperty<Balancer> balancerProperty() { return balancer; }
    public ObjectProperty<Scaling> scalingProperty() { return scaling; }
    public StringProperty scalingTargetProperty() { return scalingTarget; }
    public StringProperty minReplicasProperty() { return minReplicas; }
    public StringProperty maxReplicasProperty() { return maxReplicas; }
    public StringProperty scaleUpDelayProperty() { return scaleUpDelay; }
    public StringProperty maxBatchedTokensProperty() { return maxBatchedTokens; }
    public StringProperty maxSeqsProperty() { return maxSeqs; }
    public StringProperty ttftSloProperty() { return ttftSlo; }
    public StringProperty tpotSloProperty() { return tpotSlo; }
    public StringProperty seedProperty() { return seed; }
    public BooleanProperty findMaxRateProperty() { return findMaxRate; }
    public ReadOnlyObjectProperty<SimulationResult> resultProperty() { return result; }
    public ObservableList<String> problems() { return problems; }
    public ObservableMap<String, String> fieldProblems() { return fieldProblems; }
    public DoubleProperty progressProperty() { return progress; }
    public ReadOnlyBooleanProperty runningProperty() { return running; }
    public StringProperty statusProperty() { return status; }
}
