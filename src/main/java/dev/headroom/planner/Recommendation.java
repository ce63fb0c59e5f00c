package dev.headroom.planner;

import java.util.List;

/**
 * The answer: candidates ranked by monthly cost (those that meet the SLOs first), the indices of the Pareto front of
 * cost against p99 TTFT, the GPUs that gave nothing and why, how many configurations were screened and simulated, and
 * the assumptions of both stages. When no candidate meets the targets, {@code closest} holds the configurations that
 * came nearest, simulated, each saying what it misses (empty otherwise).
 */
public record Recommendation(List<Candidate> candidates, List<Integer> pareto, List<Rejection> rejected, long screened,
                             int simulated, List<String> assumptions, List<Candidate> closest) {
    public Recommendation {
        closest = closest == null ? List.of() : List.copyOf(closest);
    }
}
