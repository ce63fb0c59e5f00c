package dev.headroom.planner;

/**
 * One configuration that serves the load: replicas of a plan on one GPU type, its format and limits, its p99
 * latencies (the simulator's where {@code simulated}, the screening estimate otherwise), and its monthly cost owned or
 * on one cloud offer ({@code pricing}: "owned" or the offer's id). Training fields are null for serving.
 */
public record Candidate(String gpu, int gpusPerReplica, int replicas, int tp, int pp, String weights, String kvCache,
                        int maxSeqs, Double ttftP99Seconds, Double tpotP99Seconds, double outputTokensPerSecond,
                        double costPerMonthUsd, Double costPerMillionTokensUsd, String pricing,
                        String bindingConstraint, boolean meetsSlo, boolean simulated, Double trainingDays,
                        Double checkpointIntervalHours, Double expectedInterruptions) {
    public int gpus() {
        return gpusPerReplica * replicas;
    }

    /** The same layout: what the simulator runs once for every price of it. */
    String layout() {
        return gpu + "/" + tp + "x" + pp + "/" + weights + "/" + kvCache + "/" + maxSeqs + "/" + replicas;
    }
}
