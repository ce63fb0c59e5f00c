package dev.headroom.serving;

import java.util.List;

/**
 * What a run measured. Latencies in seconds as {@code vllm bench serve} defines them (serving-and-planning.md
 * §1.5): TTFT from arrival to the first token; TPOT = (E2E - TTFT) / (output tokens - 1), per request, for requests
 * of two or more tokens; E2E from arrival to the last token; queue from arrival to the first scheduled step.
 * Percentiles from HdrHistogram at 3 significant digits; means exact. Latency fields are null when the run is not
 * stable: the percentiles of a queue that grows without bound only say how long the run was.
 */
public record SimulationResult(
        boolean stable,
        String verdict,
        long requests,
        long rejected,
        double durationSeconds,
        Latency ttftSeconds,
        Latency tpotSeconds,
        Latency e2eSeconds,
        Latency queueSeconds,
        Throughput throughput,
        Double goodputRequestsPerSecond,
        Double sloAttainment,
        Slo slo,
        long preemptions,
        List<ReplicaPoint> replicas,
        TimeSeries timeSeries,
        double utilization,
        Cost costUsd,
        MaxRate maxRate,
        LittlesLaw littlesLaw,
        Capacity capacity,
        List<ClassLatency> classes,
        Comparison comparison,
        List<String> assumptions,
        List<String> warnings) {

    /** Percentiles, the maximum and the mean; {@code quantiles} at the percent levels of {@link #LEVELS}, for a CDF. */
    public record Latency(double p50, double p90, double p99, double max, double mean, double[] quantiles) {
        /** 0, 1, 2, ..., 99, 99.5, 99.9, 100 percent. */
        public static final double[] LEVELS = levels();

        private static double[] levels() {
            double[] levels = new double[103];
            for (int i = 0; i < 100; i++) {
                levels[i] = i;
            }
            levels[100] = 99.5;
            levels[101] = 99.9;
            levels[102] = 100;
            return levels;
        }
    }

    public record Throughput(double requestsPerSecond, double inputTokensPerSecond, double outputTokensPerSecond) {
    }

    public record ReplicaPoint(double timeSeconds, int replicas) {
    }

    /**
     * Sampled at a fixed interval: requests waiting (replicas and balancer), running, the mean share of KV blocks in
     * use over serving replicas, serving replicas, and the p99 TTFT and TPOT of requests that got their first token
     * (finished) in each interval (null where none did).
     */
    public record TimeSeries(double intervalSeconds, double[] timeSeconds, double[] waiting, double[] running,
                             double[] kvUse, double[] replicas, Double[] ttftP99, Double[] tpotP99) {
    }

    /**
     * The period's cost: GPU-hours of every replica from the moment it was asked for until it left, owned (the cost
     * engine's fixed cost per GPU-hour plus energy at the measured busy share) or rented at the cheapest catalog offer
     * for the GPU; null where the catalog has no price.
     */
    public record Cost(double gpuHours, Double owned, Double cloud, String cloudOffer, Double cloudGpuHourUsd) {
    }

    /** The highest Poisson rate whose p99 TTFT and TPOT met the SLOs, found by bisection. */
    public record MaxRate(double requestsPerSecond, double outputTokensPerSecond, int iterations, double precision) {
    }

    /** L = lambda W over the whole run: time-average requests in the system against arrival rate x mean time in it. */
    public record LittlesLaw(double meanInSystem, double arrivalRate, double meanSecondsInSystem, double relativeError) {
    }

    /** The analytic estimate of what one replica sustains at this length mix (what "unstable" is measured against). */
    public record Capacity(double requestsPerSecondPerReplica, int batch, String limitedBy, long kvBlocks,
                           int blockTokens, double stepSecondsAtBatch) {
    }

    public record ClassLatency(String name, long requests, Latency ttftSeconds, Latency tpotSeconds) {
    }

    /** Horizontal against vertical: the same load on more replicas, or on fewer replicas with a wider tensor split. */
    public record Comparison(Plan horizontal, Plan vertical) {
        public record Plan(String layout, int replicas, int tensorParallel, int gpus, Latency ttftSeconds,
                           Latency tpotSeconds, Double sloAttainment, Double costUsd, boolean stable, String verdict) {
        }
    }

    public SimulationResult withMaxRate(MaxRate value) {
        return new SimulationResult(stable, verdict, requests, rejected, durationSeconds, ttftSeconds, tpotSeconds,
                e2eSeconds, queueSeconds, throughput, goodputRequestsPerSecond, sloAttainment, slo, preemptions,
                replicas, timeSeries, utilization, costUsd, value, littlesLaw, capacity, classes, comparison,
                assumptions, warnings);
    }

    public SimulationResult withComparison(Comparison value) {
        return new SimulationResult(stable, verdict, requests, rejected, durationSeconds, ttftSeconds, tpotSeconds,
                e2eSeconds, queueSeconds, throughput, goodputRequestsPerSecond, sloAttainment, slo, preemptions,
                replicas, timeSeries, utilization, costUsd, maxRate, littlesLaw, capacity, classes, value,
                assumptions, warnings);
    }
}
