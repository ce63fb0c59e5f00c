package dev.headroom.serving;

import dev.headroom.common.Ranges;
import java.util.List;

/**
 * Replicas of one plan behind a balancer, optionally autoscaled. With {@code routerQueue} the balancer holds a
 * request while every replica already has max-seqs requests, and hands it to the first that frees a slot (the flow
 * control of llm-d's gateway); without it, every request goes to a replica at once, as with a plain proxy.
 */
public record ClusterSpec(int replicas, Balancer balancer, Autoscaling autoscaling, boolean routerQueue) {
    public static ClusterSpec single() {
        return new ClusterSpec(1, Balancer.LEAST_OUTSTANDING, null, false);
    }

    public ClusterSpec withReplicas(int value) {
        return new ClusterSpec(value, balancer, autoscaling, routerQueue);
    }

    public void problems(List<String> problems) {
        Ranges.optional(problems, "replicas", replicas, 1, Autoscaling.MAX_REPLICAS);
        if (autoscaling != null) {
            autoscaling.problems(problems);
        }
    }
}
