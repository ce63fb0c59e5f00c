package dev.headroom.serving;

import dev.headroom.common.Durations;
import dev.headroom.common.Format;
import dev.headroom.common.Ranges;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.Workload;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * A run as a person writes it, on the command line ({@code headroom simulate}) or in Plan's "Load & targets" step:
 * every field as given (null where not), with lengths, arrivals, policies and durations in their text forms
 * ({@code uniform:1000:8000}, {@code gamma:2}, {@code queue:4}, {@code 2s}). {@link #input} turns it into a run
 * or names every problem at once, each with the field (the flag's name), the value and the allowed range.
 * Defaults where a field is absent are vllm bench serve's: 1024 prompt and 128 output tokens, 1000 requests, seed 0.
 */
public record ServingSpec(Double rate, Integer users, String thinkTime, String arrival, String inputTokens,
                          String outputTokens, Double prefixHitRate, String duration, Long requests, Integer replicas,
                          String balancer, boolean routerQueue, String autoscale, Integer minReplicas,
                          Integer maxReplicas, String scaleUpDelay, String cooldown, Integer maxBatchedTokens,
                          Integer maxSeqs, String priority, Double priorityShare, String ttftSlo, String tpotSlo,
                          long seed, boolean findMaxRate) {
    public static final String DEFAULT_INPUT = "1024";
    public static final String DEFAULT_OUTPUT = "128";
    public static final long DEFAULT_REQUESTS = 1000;

    /** The run these fields describe for {@code scenario}; null with {@code problems} filled where they do not. */
    public Simulation.Input input(Scenario scenario, List<String> problems) {
        if (scenario != null && scenario.workload() != Workload.INFERENCE) {
            problems.add("workload = " + scenario.workload().label() + ": simulate serves inference only");
        }
        Arrivals arrivals = arrivals(problems);
        boolean trace = arrivals instanceof Arrivals.Trace;
        Lengths in = lengths(problems, "input-tokens", inputTokens, DEFAULT_INPUT, arrivals);
        Lengths out = lengths(problems, "output-tokens", outputTokens, DEFAULT_OUTPUT, arrivals);
        Double think = Durations.seconds(problems, "think-time", thinkTime, 0, Math.round(Load.MAX_THINK_SECONDS * 1000));
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
        Double seconds = Durations.seconds(problems, "duration", duration, 1, Durations.MAX_MILLIS);
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
        Slo slo = new Slo(Durations.seconds(problems, "ttft-slo", ttftSlo, 1, sloMax),
                Durations.seconds(problems, "tpot-slo", tpotSlo, 1, sloMax));
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
            return Autoscaling.parse(autoscale, min, max, Durations.seconds(problems, "scale-up-delay", scaleUpDelay, 0, Durations.MAX_MILLIS),
                    Durations.seconds(problems, "cooldown", cooldown, 0, Durations.MAX_MILLIS));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static String str(Integer value) {
        return value == null ? null : value.toString();
    }
}
