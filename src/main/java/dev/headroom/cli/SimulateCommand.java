package dev.headroom.cli;

import dev.headroom.catalog.Catalog;
import dev.headroom.serving.Arrivals;
import dev.headroom.serving.ServingSpec;
import dev.headroom.serving.Simulation;
import dev.headroom.serving.SimulationResult;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "simulate", sortOptions = false,
        description = {"A plan under load: continuous batching as vLLM 0.11 schedules it, on N replicas behind a"
                + " balancer, optionally autoscaled.",
            "Prints TTFT, TPOT and end-to-end latency percentiles, throughput, goodput, SLO attainment, preemptions,"
                + " utilization and the period's cost; --json prints one object."})
final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ScenarioOptions options;
    @Mixin
    HardwareOptions hardware;
    @Mixin
    LoadOptions load;

    @Option(names = "--users", paramLabel = "N", description = "A closed loop of N users instead of --rate.")
    Integer users;
    @Option(names = "--think-time", paramLabel = "S", description = "With --users: mean think time (exponential), e.g. 5s.")
    String thinkTime;
    @Option(names = "--prefix-hit-rate", paramLabel = "F", description = "Share of prompt tokens found in the prefix cache (0-1).")
    Double prefixHitRate;
    @Option(names = "--duration", paramLabel = "DURATION", description = "Arrivals for this long (e.g. 1h), then drain.")
    String duration;

    @Option(names = "--replicas", paramLabel = "N", description = "Replicas of the plan (default 1).")
    Integer replicas;
    @Option(names = "--balancer", paramLabel = "rr|least-outstanding|least-kv", description = "Default least-outstanding.")
    String balancer;
    @Option(names = "--router-queue", description = "The balancer holds requests while every replica is at --max-seqs.")
    boolean routerQueue;
    @Option(names = "--autoscale", paramLabel = "queue:N|util:X|ttft:S",
            description = "Scale on waiting requests per replica, busy share or p99 TTFT over a 60 s window.")
    String autoscale;
    @Option(names = "--min-replicas", paramLabel = "N", description = "With --autoscale (default 1).") Integer minReplicas;
    @Option(names = "--max-replicas", paramLabel = "N", description = "With --autoscale (default 8 x min-replicas, at least --replicas).")
    Integer maxReplicas;
    @Option(names = "--scale-up-delay", paramLabel = "DURATION",
            description = "Until a new replica serves (default: weights at 1 GB/s + 64 s start-up).")
    String scaleUpDelay;
    @Option(names = "--cooldown", paramLabel = "DURATION", description = "No scale-down within this of a change (default 300s).")
    String cooldown;

    @Option(names = "--max-batched-tokens", paramLabel = "N", description = "Tokens per step (default: vLLM 0.11's for the GPU).")
    Integer maxBatchedTokens;
    @Option(names = "--max-seqs", paramLabel = "N", description = "Running sequences per replica (default: vLLM 0.11's for the GPU).")
    Integer maxSeqs;
    @Option(names = "--priority", paramLabel = "none|non-preemptive|preemptive", description = "Two priority classes.")
    String priority;
    @Option(names = "--priority-share", paramLabel = "F", description = "Share of requests in the high class (0-1).")
    Double priorityShare;

    @Option(names = "--find-max-rate", description = "The highest Poisson rate whose p99 TTFT and TPOT meet the SLOs (bisection).")
    boolean findMaxRate;
    @Option(names = "--compare-scaling", description = "Also run 2N replicas of this split against N of twice the tensor split.")
    boolean compareScaling;
    @Option(names = "--json", description = "Print the result as JSON.") boolean json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Catalog catalog = CatalogCommand.load(spec.commandLine());
        List<String> problems = new ArrayList<>();
        Simulation.Input input = null;
        try {
            input = input(problems);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("headroom: " + p));
            return Cli.EXIT_USAGE;
        }
        Simulation simulation = new Simulation(catalog);
        SimulationResult result;
        try {
            result = findMaxRate ? simulation.findMaxRate(input, null, null) : simulation.run(input, null, null);
            if (compareScaling) {
                result = result.withComparison(simulation.compareScaling(input, null));
            }
        } catch (ScenarioException e) {
            e.problems().forEach(p -> err.println("headroom: " + p));
            return Cli.EXIT_USAGE;
        }
        input.scenario().warnings().forEach(w -> err.println("headroom: warning: " + w));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(result));
        } else {
            out.println(title(input));
            SimulationText.print(result, out);
        }
        return 0;
    }

    private static String title(Simulation.Input input) {
        Scenario s = input.scenario();
        String model = s.model().catalogId() != null ? s.model().catalogId() : s.model().name() != null
                ? s.model().name() : "custom model";
        return String.format(Locale.ROOT, "%s (%s) on %d replica%s of %d x %s (tp %d pp %d)", model,
                s.precision().weights().label(), input.cluster().replicas(), input.cluster().replicas() == 1 ? "" : "s",
                s.hardware().count(), s.hardware().gpuId(), s.parallelism().tensor(), s.parallelism().pipeline());
    }

    private Simulation.Input input(List<String> problems) {
        Scenario scenario = options.calibrated(options.scenario(problems, null, null, null, hardware), problems);
        ServingSpec spec = new ServingSpec(load.rate, users, thinkTime, load.arrival, load.inputTokens,
                load.outputTokens, prefixHitRate, duration, load.requests, replicas, balancer, routerQueue, autoscale,
                minReplicas, maxReplicas, scaleUpDelay, cooldown, maxBatchedTokens, maxSeqs, priority, priorityShare,
                load.ttftSlo, load.tpotSlo, load.seed, findMaxRate);
        return spec.input(scenario, problems);
    }
}
