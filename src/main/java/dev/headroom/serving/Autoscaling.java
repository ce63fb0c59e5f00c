package dev.headroom.serving;

import dev.headroom.common.Format;
import dev.headroom.common.Ranges;
import java.util.List;
import java.util.Locale;

/**
 * Replicas follow a target, evaluated every {@code intervalSeconds} over the last {@code windowSeconds}: requests
 * waiting per replica (what the vLLM production stack's KEDA example scales on), the share of time the replicas
 * are busy, or the p99 time to first token. Like Kubernetes' HPA, the desired count is ceil(current x metric /
 * target), within [min, max]; a new replica serves after {@code scaleUpDelaySeconds} (model load); a replica is
 * removed (one at a time) only when the metric is below half the target and no scaling happened within {@code cooldownSeconds}
 * (KEDA's cooldownPeriod, 300 s by default); it stops taking requests and leaves when its last one finishes.
 *
 * @param scaleUpDelaySeconds null: the weights over the storage bandwidth plus a start-up time (see Simulation)
 */
public record Autoscaling(Metric metric, double target, int minReplicas, int maxReplicas, Double scaleUpDelaySeconds,
                          double cooldownSeconds, double windowSeconds, double intervalSeconds) {
    public static final int MAX_REPLICAS = 10_000;
    /** KEDA's default cooldownPeriod (keda.sh, ScaledObject spec). */
    public static final double DEFAULT_COOLDOWN = 300;
    /** Knative's stable window (knative docs, KPA). */
    public static final double DEFAULT_WINDOW = 60;
    /** The HPA's default sync period. */
    public static final double DEFAULT_INTERVAL = 15;

    public enum Metric {
        QUEUE("queue", "requests waiting per replica"), UTILIZATION("util", "busy share of the replicas"),
        TTFT("ttft", "p99 time to first token, s");

        private final String label;
        private final String meaning;

        Metric(String label, String meaning) {
            this.label = label;
            this.meaning = meaning;
        }

        public String label() {
            return label;
        }

        public String meaning() {
            return meaning;
        }
    }

    /** queue:N, util:X (0-1) or ttft:S (seconds). */
    public static Autoscaling parse(String text, int min, int max, Double scaleUpDelay, Double cooldown) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":", -1);
        Metric metric = null;
        for (Metric m : Metric.values()) {
            if (parts.length == 2 && m.label.equals(parts[0])) {
                metric = m;
            }
        }
        double target;
        try {
            target = metric == null ? Double.NaN : Double.parseDouble(parts[1].replaceAll("s$", ""));
        } catch (NumberFormatException e) {
            target = Double.NaN;
        }
        if (metric == null || Double.isNaN(target)) {
            throw new IllegalArgumentException("autoscale = " + Format.echo(text)
                    + ": must be queue:N, util:X or ttft:S");
        }
        return new Autoscaling(metric, target, min, max, scaleUpDelay, cooldown == null ? DEFAULT_COOLDOWN : cooldown,
                DEFAULT_WINDOW, DEFAULT_INTERVAL);
    }

    public void problems(List<String> problems) {
        switch (metric) {
            case QUEUE -> Ranges.optional(problems, "autoscale queue target", target, 0.01, 1e6);
            case UTILIZATION -> Ranges.optional(problems, "autoscale util target", target, 0.01, 1);
            case TTFT -> Ranges.optional(problems, "autoscale ttft target (s)", target, 0.001, 3600);
        }
        Ranges.optional(problems, "min-replicas", minReplicas, 1, MAX_REPLICAS);
        Ranges.optional(problems, "max-replicas", maxReplicas, 1, MAX_REPLICAS);
        if (maxReplicas < minReplicas) {
            problems.add("max-replicas = " + maxReplicas + ": must be at least min-replicas (" + minReplicas + ")");
        }
        Ranges.optional(problems, "scale-up-delay (s)", scaleUpDelaySeconds, 0, 86_400);
        Ranges.optional(problems, "cooldown (s)", cooldownSeconds, 0, 86_400);
    }
}
