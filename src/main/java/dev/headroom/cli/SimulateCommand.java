package dev.headroom.cli;

import dev.headroom.catalog.Catalog;
import dev.headroom.common.Format;
import dev.headroom.common.Ranges;
import dev.headroom.serving.Arrivals;
import dev.headroom.serving.Autoscaling;
import dev.headroom.serving.Balancer;
import dev.headroom.serving.ClusterSpec;
import dev.headroom.serving.Lengths;
import dev.headroom.serving.Load;
import dev.headroom.serving.RunLength;
import dev.headroom.serving.SchedulerSettings;
import dev.headroom.serving.Simulation;
import dev.headroom.serving.SimulationResult;
import dev.headroom.serving.Slo;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import dev.headroom.sizing.Workload;
import java.io.IOException;
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
    /** vllm bench serve's random dataset: 1024 prompt tokens and 128 output tokens, 1000 prompts, seed 0. */
    static final String DEFAULT_INPUT = "1024";
    static final String DEFAULT_OUTPUT = "128";
    static final long DEFAULT_REQUESTS = 1000;

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ScenarioOptions options;

    @Option(names = "--rate", paramLabel = "R", description = "Requests per second (open loop).")
    Double rate;
    @Option(names = "--users", paramLabel = "N", description = "A closed loop of N users instead of --rate.")
    Integer users;
    @Option(names = "--think-time", paramLabel = "S", description = "With --users: mean think time (exponential), e.g. 5s.")
    String thinkTime;
    @Option(names = "--arrival", paramLabel = "poisson|gamma:CV|diurnal:PEAK_TO_AVG|trace:FILE",
            description = "Arrival process (default poisson). A trace is CSV arrival_seconds,input_tokens,output_tokens;"
                    + " with --rate its times are scaled to that mean rate.")
    String arrival;
    @Option(names = "--input-tokens", paramLabel = "N|uniform:A:B|lognormal:MEAN:SD",
            description = "Prompt tokens per request (default " + DEFAULT_INPUT + ", vllm bench serve's random dataset).")
    String inputTokens;
    @Option(names = "--output-tokens", paramLabel = "N|uniform:A:B|lognormal:MEAN:SD",
            description = "Output tokens per request (default " + DEFAULT_OUTPUT + ").")
    String outputTokens;
    @Option(names = "--prefix-hit-rate", paramLabel = "F", description = "Share of prompt tokens found in the prefix cache (0-1).")
    Double prefixHitRate;
    @Option(names = "--duration", paramLabel = "DURATION", description = "Arrivals for this long (e.g. 1h), then drain.")
    String duration;
    @Option(names = "--requests", paramLabel = "N", description = "Arrivals for N requests (default " + DEFAULT_REQUESTS
            + ", vllm bench serve's --num-prompts; a trace: all its rows).")
    Long requests;

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

    @Option(names = "--ttft-slo", paramLabel = "DURATION", description = "p99 time-to-first-token target, e.g. 2s.")
    String ttftSlo;
    @Option(names = "--tpot-slo", paramLabel = "DURATION", description = "p99 time-per-output-token target, e.g. 200ms.")
    String tpotSlo;
    @Option(names = "--seed", paramLabel = "N", description = "Random streams' seed (default 0).")
    long seed;
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
        Scenario scenario = options.scenario(problems, null, null, null);
        if (scenario != null && scenario.workload() != Workload.INFERENCE) {
            problems.add("workload = " + scenario.workload().label() + ": simulate serves inference only");
        }
        Arrivals arrivals = arrivals(problems);
        boolean trace = arrivals instanceof Arrivals.Trace;
        Lengths in = lengths(problems, "input-tokens", inputTokens, DEFAULT_INPUT, arrivals);
        Lengths out = lengths(problems, "output-tokens", outputTokens, DEFAULT_OUTPUT, arrivals);
        Double think = seconds(problems, "think-time", thinkTime, 0, Math.round(Load.MAX_THINK_SECONDS * 1000));
        if (findMaxRate && (rate != null || users != null)) {
            problems.add((rate != null ? "rate = " + Format.plain(rate) : "users = " + users)
                    + ": --find-max-rate searches the Poisson rate itself; drop --rate and --users");
        }
        // The search sets the rate of each probe; 1/s only stands in until then.
        Load load = new Load(arrivals, findMaxRate ? Double.valueOf(1) : rate, findMaxRate ? null : users, think, in, out, prefixHitRate == null ? 0 : prefixHitRate,
                priorityShare == null ? 0 : priorityShare);
        if (users != null && arrival != null) {
            problems.add("arrival = " + Format.echo(arrival) + ": a closed loop (--users) sends a request when the last"
                    + " one ends; --arrival is for --rate");
        }
        Double seconds = seconds(problems, "duration", duration, 1);
        RunLength length = new RunLength(seconds, requests == null && seconds == null && !trace ? Long.valueOf(DEFAULT_REQUESTS)
                : requests);
        Ranges.optional(problems, "max-batched-tokens", maxBatchedTokens, 16, SchedulerSettings.MAX_TOKENS);
        Ranges.optional(problems, "max-seqs", maxSeqs, 1, SchedulerSettings.MAX_SEQS);
        SchedulerSettings.Priority classes = priority(problems);
        SchedulerSettings scheduler = maxBatchedTokens == null && maxSeqs == null
                && classes == SchedulerSettings.Priority.NONE ? null // vLLM's defaults for the GPU, and said so
                : new SchedulerSettings(maxBatchedTokens == null ? 0 : maxBatchedTokens, maxSeqs == null ? 0 : maxSeqs,
                        classes);
        long sloMax = Math.round(Slo.MAX_SECONDS * 1000);
        Slo slo = new Slo(seconds(problems, "ttft-slo", ttftSlo, 1, sloMax),
                seconds(problems, "tpot-slo", tpotSlo, 1, sloMax));
        ClusterSpec cluster = new ClusterSpec(replicas == null ? 1 : replicas, balancer(problems),
                autoscaling(problems), routerQueue);
        // Every problem at once; the lengths against the model's context are checked once the model is known.
        problems.addAll(load.problems(Integer.MAX_VALUE));
        length.problems(problems);
        cluster.problems(problems);
        return problems.isEmpty() ? new Simulation.Input(scenario, load, length, cluster, scheduler, slo, seed) : null;
    }

    private Arrivals arrivals(List<String> problems) {
        try {
            return Arrivals.parse(arrival == null ? "poisson" : arrival);
        } catch (IOException e) {
            problems.add("arrival = " + Format.echo(arrival) + ": cannot read the trace (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return new Arrivals.Poisson();
    }

    /** A trace brings each request's lengths; elsewhere the flag, or vllm bench serve's default. */
    private static Lengths lengths(List<String> problems, String field, String text, String fallback,
                                   Arrivals arrivals) {
        if (arrivals instanceof Arrivals.Trace t) {
            if (text != null) {
                problems.add(field + " = " + Format.echo(text) + ": the trace gives each request's lengths; drop --"
                        + field + " or --arrival trace:FILE");
            }
            return field.startsWith("input") ? t.trace().inputLengths() : t.trace().outputLengths();
        }
        try {
            return Lengths.parse(field, text == null ? fallback : text);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return Lengths.parse(field, fallback);
        }
    }

    /** A duration flag in seconds, at least {@code minMillis}; null when absent. */
    private static Double seconds(List<String> problems, String field, String text, long minMillis) {
        return seconds(problems, field, text, minMillis, DurationParser.MAX_MILLIS);
    }

    private static Double seconds(List<String> problems, String field, String text, long minMillis, long maxMillis) {
        if (text == null) {
            return null;
        }
        try {
            return DurationParser.millis(field, text, minMillis, maxMillis) / 1000.0;
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private SchedulerSettings.Priority priority(List<String> problems) {
        if (priority == null) {
            return priorityShare != null ? SchedulerSettings.Priority.NON_PREEMPTIVE : SchedulerSettings.Priority.NONE;
        }
        return switch (priority.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> SchedulerSettings.Priority.NONE;
            case "non-preemptive" -> SchedulerSettings.Priority.NON_PREEMPTIVE;
            case "preemptive" -> SchedulerSettings.Priority.PREEMPTIVE;
            default -> {
                problems.add("priority = " + Format.echo(priority) + ": must be none, non-preemptive or preemptive");
                yield SchedulerSettings.Priority.NONE;
            }
        };
    }

    private Balancer balancer(List<String> problems) {
        try {
            return balancer == null ? Balancer.LEAST_OUTSTANDING : Balancer.parse(balancer);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return Balancer.LEAST_OUTSTANDING;
        }
    }

    private Autoscaling autoscaling(List<String> problems) {
        if (autoscale == null) {
            for (String[] flag : new String[][] {{"min-replicas", str(minReplicas)}, {"max-replicas", str(maxReplicas)},
                {"scale-up-delay", scaleUpDelay}, {"cooldown", cooldown}}) {
                if (flag[1] != null) {
                    problems.add(flag[0] + " = " + Format.echo(flag[1]) + ": only with --autoscale");
                }
            }
            return null;
        }
        int start = replicas == null ? 1 : replicas;
        int min = minReplicas != null ? minReplicas : Math.min(start, 1);
        int max = maxReplicas != null ? maxReplicas : Math.max(start, 8 * Math.max(1, min));
        try {
            return Autoscaling.parse(autoscale, min, max, seconds(problems, "scale-up-delay", scaleUpDelay, 0),
                    seconds(problems, "cooldown", cooldown, 0));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static String str(Integer value) {
        return value == null ? null : value.toString();
    }
}
