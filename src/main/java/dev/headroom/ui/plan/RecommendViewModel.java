package dev.headroom.ui.plan;

import dev.headroom.catalog.Catalog;
import dev.headroom.planner.Recommendation;
import dev.headroom.planner.Recommender;
import dev.headroom.planner.SearchSpace;
import dev.headroom.sizing.WeightFormat;
import dev.headroom.serving.ServingSpec;
import dev.headroom.serving.Simulation;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;

/**
 * Plan's "Recommend" tab: the search space and budget as text, one search at a time as a background task over the
 * plan's model and the load and targets of step 6. The recommender reads the catalog only; nothing here touches disk.
 */
public final class RecommendViewModel {
    private final Catalog catalog;
    private final StringProperty gpus = new SimpleStringProperty("");
    private final StringProperty maxGpus = new SimpleStringProperty("64");
    private final StringProperty budget = new SimpleStringProperty("");
    private final BooleanProperty owned = new SimpleBooleanProperty(true);
    private final BooleanProperty cloud = new SimpleBooleanProperty(true);
    private final ObjectProperty<Recommendation> result = new SimpleObjectProperty<>();
    private final ObservableList<String> problems = FXCollections.observableArrayList();
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final StringProperty status = new SimpleStringProperty(
            "Searches every catalog GPU, format and split for the plan's model under step 6's load and targets");
    private Task<Object> task;

    public RecommendViewModel(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Starts a search; a search already going is cancelled first. */
    public void run(Scenario plan, ServingViewModel serving, Executor background) {
        cancel();
        Map<String, String> messages = new LinkedHashMap<>();
        Numbers n = new Numbers(messages);
        Integer max = n.optionalInteger("max-gpus", maxGpus);
        Double cap = n.optionalDecimal("budget-usd-month", budget);
        ServingSpec spec = serving.spec(messages);
        if (plan == null) {
            messages.put("plan", "plan: fix the plan's marked inputs first");
        }
        if (!messages.isEmpty()) {
            problems.setAll(messages.values());
            status.set("Not run: fix the marked inputs");
            return;
        }
        String filter = gpus.get() == null || gpus.get().isBlank() ? null : gpus.get().trim();
        boolean ownedPrices = owned.get() || !cloud.get();
        boolean cloudPrices = cloud.get() || !owned.get();
        Task<Object> next = new Task<>() {
            @Override
            protected Object call() {
                List<String> found = new ArrayList<>();
                try {
                    Simulation.Input input = spec.input(plan, found);
                    if (input == null) {
                        return found;
                    }
                    WeightFormat nativeFormat = SearchSpace.nativeFormat(catalog, plan);
                    SearchSpace space = new SearchSpace(SearchSpace.gpus(catalog, filter),
                            SearchSpace.formats(null, nativeFormat), max == null ? SearchSpace.DEFAULT_MAX_GPUS : max,
                            ownedPrices, cloudPrices, nativeFormat);
                    return new Recommender(catalog).recommend(plan, input.load(), input.slo(), space, cap, 20,
                            input.length(), input.seed(), (stage, fraction) -> {
                                updateMessage(stage);
                                updateProgress(fraction, 1);
                            }, this::isCancelled);
                } catch (ScenarioException e) {
                    return e.problems();
                } catch (IllegalArgumentException e) {
                    return List.of(e.getMessage());
                }
            }
        };
        task = next;
        problems.clear();
        running.set(true);
        progress.set(0);
        status.set("Searching…");
        next.progressProperty().addListener((obs, old, p) -> {
            if (next == task && p.doubleValue() >= 0) {
                progress.set(p.doubleValue());
                status.set(next.getMessage() + "…");
            }
        });
        next.setOnSucceeded(e -> {
            if (next != task) {
                return;
            }
            running.set(false);
            if (next.getValue() instanceof Recommendation r) {
                result.set(r);
                progress.set(1);
                status.set(String.format(java.util.Locale.ROOT, "%,d configurations screened, %d layouts simulated",
                        r.screened(), r.simulated()));
            } else {
                @SuppressWarnings("unchecked")
                List<String> list = (List<String>) next.getValue();
                problems.setAll(list);
                status.set("Not run: fix the marked inputs");
            }
        });
        next.setOnCancelled(e -> {
            if (next == task) {
                running.set(false);
                status.set("Cancelled");
            }
        });
        next.setOnFailed(e -> {
            if (next == task) {
                running.set(false);
                status.set(next.getException() instanceof java.util.concurrent.CancellationException ? "Cancelled"
                        : "The search failed: " + next.getException());
            }
        });
        background.execute(next);
    }

    public void cancel() {
        if (task != null && task.isRunning()) {
            task.cancel(false);
        }
    }

    public StringProperty gpusProperty() { return gpus; }
    public StringProperty maxGpusProperty() { return maxGpus; }
    public StringProperty budgetProperty() { return budget; }
    public BooleanProperty ownedProperty() { return owned; }
    public BooleanProperty cloudProperty() { return cloud; }
    public ObjectProperty<Recommendation> resultProperty() { return result; }
    public ObservableList<String> problems() { return problems; }
    public DoubleProperty progressProperty() { return progress; }
    public BooleanProperty runningProperty() { return running; }
    public StringProperty statusProperty() { return status; }
}
