package dev.headroom.ui.plan;

import dev.headroom.serving.Balancer;
import dev.headroom.ui.common.Forms;
import java.util.List;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.StringProperty;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.FileChooser;
import org.controlsfx.validation.ValidationSupport;

/**
 * Step 6 of the wizard, "Load & targets": how requests arrive and how long they are, the p99 targets, the replicas
 * and their autoscaling, vLLM's scheduler limits. Fields are the flags of {@code headroom simulate}; a run starts
 * from here or from the Serving tab.
 */
final class LoadStep {
    private final ServingViewModel vm;
    private final ValidationSupport validation;
    private final Runnable simulate;

    LoadStep(ServingViewModel vm, ValidationSupport validation, Runnable simulate) {
        this.vm = vm;
        this.validation = validation;
        this.simulate = simulate;
    }

    private TextField field(GridPane grid, String label, StringProperty value, String field, String explanation) {
        TextField text = Forms.textField(value, "serving-" + field);
        Forms.row(grid, label, text, explanation);
        Forms.validate(validation, text, vm.fieldProblems(), field);
        return text;
    }

    private static GridPane shownWhen(GridPane grid, BooleanBinding when) {
        grid.visibleProperty().bind(when);
        grid.managedProperty().bind(when);
        return grid;
    }

    Node page() {
        GridPane arrivals = Forms.grid();
        Forms.row(arrivals, "Arrivals", Forms.choice(vm.arrivalProperty(), List.of(ServingViewModel.Arrival.values()),
                ServingViewModel.Arrival::label, "serving-arrival"), "Poisson: independent requests at a steady rate."
                + " Gamma: bursts, as a coefficient of variation of the gaps (1 = Poisson). Daily curve: the rate over"
                + " a day, peaking at 15:00. Trace: a CSV of arrival_seconds,input_tokens,output_tokens. Users: a closed"
                + " loop, each user waits for the answer and thinks before the next request.");
        var kind = vm.arrivalProperty();
        GridPane open = shownWhen(Forms.grid(), kind.isNotEqualTo(ServingViewModel.Arrival.USERS)
                .and(kind.isNotEqualTo(ServingViewModel.Arrival.TRACE)));
        field(open, "Rate (requests/s)", vm.rateProperty(), "rate", "Mean requests per second over the run.");
        GridPane gamma = shownWhen(Forms.grid(), kind.isEqualTo(ServingViewModel.Arrival.GAMMA));
        field(gamma, "Burstiness (CV)", vm.burstinessProperty(), "arrival",
                "Coefficient of variation of the gaps between requests: 1 is Poisson, 2-4 is bursty chat traffic.");
        GridPane daily = shownWhen(Forms.grid(), kind.isEqualTo(ServingViewModel.Arrival.DAILY));
        field(daily, "Peak to average", vm.peakToAverageProperty(), "arrival",
                "The busiest moment's rate over the day's average; run a day (duration 24h) to see the whole curve.");
        GridPane trace = shownWhen(Forms.grid(), kind.isEqualTo(ServingViewModel.Arrival.TRACE));
        TextField file = field(trace, "Trace file", vm.traceFileProperty(), "trace", "CSV: arrival_seconds,"
                + "input_tokens,output_tokens per line, a header optional; Vidur's traces read as they are.");
        Button browse = new Button("Choose…");
        browse.setId("serving-trace-browse");
        browse.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Choose a request trace");
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv", "*.txt"));
            java.io.File chosen = chooser.showOpenDialog(browse.getScene() == null ? null : browse.getScene().getWindow());
            if (chosen != null) {
                vm.traceFileProperty().set(chosen.getAbsolutePath());
            }
        });
        trace.add(browse, 1, trace.getRowCount());
        GridPane users = shownWhen(Forms.grid(), kind.isEqualTo(ServingViewModel.Arrival.USERS));
        field(users, "Users", vm.usersProperty(), "users", "Users, each with one request in flight at most.");
        field(users, "Think time", vm.thinkTimeProperty(), "think-time",
                "Mean pause between an answer and the user's next request (exponential), e.g. 5s.");
        file.setPrefColumnCount(18);

        GridPane lengths = shownWhen(Forms.grid(), kind.isNotEqualTo(ServingViewModel.Arrival.TRACE));
        String forms = " A fixed count (1024), uniform:A:B, or lognormal:MEAN:SD.";
        field(lengths, "Prompt tokens", vm.inputTokensProperty(), "input-tokens", "Tokens in each prompt." + forms);
        field(lengths, "Output tokens", vm.outputTokensProperty(), "output-tokens", "Tokens generated per request." + forms);

        GridPane length = Forms.grid();
        field(length, "Requests", vm.requestsProperty(), "requests", "Arrivals stop after this many; then the replicas"
                + " drain. Blank with a duration.");
        field(length, "Or duration", vm.durationProperty(), "duration", "Arrivals for this long instead (e.g. 30m, 24h).");

        GridPane targets = Forms.grid();
        field(targets, "TTFT p99 target", vm.ttftSloProperty(), "ttft-slo",
                "Time to first token that 99 % of requests must meet, e.g. 2s; blank for none.");
        field(targets, "TPOT p99 target", vm.tpotSloProperty(), "tpot-slo",
                "Time per output token after the first that 99 % of requests must meet, e.g. 100ms; blank for none.");
        CheckBox findMax = new CheckBox("Find the highest Poisson rate that meets them");
        findMax.setId("serving-find-max-rate");
        findMax.selectedProperty().bindBidirectional(vm.findMaxRateProperty());
        targets.add(findMax, 1, targets.getRowCount());

        GridPane cluster = Forms.grid();
        field(cluster, "Replicas", vm.replicasProperty(), "replicas", "Copies of this plan behind the balancer.");
        Forms.row(cluster, "Balancer", Forms.choice(vm.balancerProperty(), List.of(Balancer.values()), b -> switch (b) {
            case ROUND_ROBIN -> "Round robin";
            case LEAST_OUTSTANDING -> "Fewest requests in flight";
            case LEAST_KV -> "Most KV cache free";
        }, "serving-balancer"), "Where each request goes.");
        Forms.row(cluster, "Autoscaling", Forms.choice(vm.scalingProperty(), List.of(ServingViewModel.Scaling.values()),
                ServingViewModel.Scaling::label, "serving-autoscale"), "Replicas follow this metric over a 60 s window,"
                + " checked every 15 s: ceil(replicas x metric / target), as Kubernetes' HPA does.");
        GridPane scaling = shownWhen(Forms.grid(), vm.scalingProperty().isNotEqualTo(ServingViewModel.Scaling.OFF));
        field(scaling, "Target", vm.scalingTargetProperty(), "autoscale", "The metric's value to hold.");
        field(scaling, "Min replicas", vm.minReplicasProperty(), "min-replicas", null);
        field(scaling, "Max replicas", vm.maxReplicasProperty(), "max-replicas", null);
        field(scaling, "Scale-up delay", vm.scaleUpDelayProperty(), "scale-up-delay", "Until a new replica serves;"
                + " blank: its weights at 1 GB/s plus 64 s of vLLM start-up.");

        GridPane scheduler = Forms.grid();
        field(scheduler, "Max batched tokens", vm.maxBatchedTokensProperty(), "max-batched-tokens",
                "vLLM's max_num_batched_tokens: tokens per step; blank for vLLM 0.11's default on this GPU.");
        field(scheduler, "Max sequences", vm.maxSeqsProperty(), "max-seqs",
                "vLLM's max_num_seqs: requests running at once; blank for vLLM 0.11's default on this GPU.");
        field(scheduler, "Seed", vm.seedProperty(), "seed", "The same seed gives the same run.");

        Button run = new Button("Simulate");
        run.setId("serving-simulate-step");
        run.getStyleClass().add("accent");
        run.setOnAction(e -> simulate.run());
        run.disableProperty().bind(vm.runningProperty());
        Label hint = new Label("Results in the Serving tab");
        hint.getStyleClass().add("text-muted");
        HBox actions = new HBox(10, run, hint);
        HBox.setHgrow(hint, Priority.ALWAYS);
        return WizardSteps.page("Under load?", "How requests arrive, what they ask, the latency they must get, and"
                        + " the replicas that serve them: continuous batching as vLLM 0.11 schedules it.",
                heading("Arrivals"), arrivals, open, gamma, daily, trace, users, lengths, length,
                heading("Targets"), targets, heading("Cluster"), cluster, scaling,
                heading("Scheduler"), scheduler, actions);
    }

    private static Label heading(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("text-bold");
        return label;
    }
}
