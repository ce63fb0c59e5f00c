package dev.headroom.planner;

import java.util.List;

/**
 * The answer: candidates ranked by monthly cost (those that meet the SLOs first), the indices of the Pareto front of
 * cost against p99 TTFT, the GPUs that gave nothing and why, how many configurations were screened and simulated, and
 * the assumptions of both stages.
 */
public record Recommendation(List<Candidate> candidates, List<Integer> pareto, List<Rejection> rejected, long screened,
                             int simulated, List<String> assumptions) {
}
