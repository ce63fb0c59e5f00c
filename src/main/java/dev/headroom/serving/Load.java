package dev.headroom.serving;

import dev.headroom.common.Ranges;
import java.util.ArrayList;
import java.util.List;

/**
 * What the replicas are asked to serve: an open loop at {@code rate} requests per second with these arrivals, or a
 * closed loop of {@code users} who each send a request, wait for its last token and think for an exponentially
 * distributed time of mean {@code thinkTimeSeconds}; prompt and output lengths; the share of prompt tokens found in
 * the prefix cache; the share of requests in the high-priority class.
 */
public record Load(Arrivals arrivals, Double rate, Integer users, Double thinkTimeSeconds, Lengths input,
                   Lengths output, double prefixHitRate, double highPriorityShare) {
    public static final double MAX_RATE = 1e6;
    public static final int MAX_USERS = 1_000_000;
    public static final double MAX_THINK_SECONDS = 86_400;

    public static Load open(Arrivals arrivals, double rate, Lengths input, Lengths output) {
        return new Load(arrivals, rate, null, null, input, output, 0, 0);
    }

    public static Load closed(int users, double thinkTimeSeconds, Lengths input, Lengths output) {
        return new Load(new Arrivals.Poisson(), null, users, thinkTimeSeconds, input, output, 0, 0);
    }

    public Load withRate(double value) {
        return new Load(arrivals, value, users, thinkTimeSeconds, input, output, prefixHitRate, highPriorityShare);
    }

    public Load withPrefixHitRate(double value) {
        return new Load(arrivals, rate, users, thinkTimeSeconds, input, output, value, highPriorityShare);
    }

    public Load withHighPriorityShare(double value) {
        return new Load(arrivals, rate, users, thinkTimeSeconds, input, output, prefixHitRate, value);
    }

    public boolean closedLoop() {
        return users != null;
    }

    /** Every problem, each naming the field, the value and the allowed range. */
    public List<String> problems(int modelContext) {
        List<String> problems = new ArrayList<>();
        if (users == null && rate == null && !(arrivals instanceof Arrivals.Trace)) {
            problems.add("rate: --rate R (requests/s) or --users N --think-time S is required");
        }
        if (users != null && rate != null) {
            problems.add("rate = " + rate + ": give either --rate or --users, not both");
        }
        if (rate != null && !(rate > 0 && rate <= MAX_RATE)) {
            problems.add("rate = " + dev.headroom.common.Format.plain(rate) + ": must be above 0 and at most "
                    + dev.headroom.common.Format.plain(MAX_RATE) + " requests/s");
        }
        Ranges.optional(problems, "users", users, 1, MAX_USERS);
        if (users != null && thinkTimeSeconds == null) {
            problems.add("think-time: is required with --users (seconds a user waits between requests; 0 = none)");
        }
        Ranges.optional(problems, "think-time", thinkTimeSeconds, 0, MAX_THINK_SECONDS);
        Ranges.optional(problems, "prefix-hit-rate", prefixHitRate, 0, 1);
        Ranges.optional(problems, "priority-share", highPriorityShare, 0, 1);
        if (input != null && output != null && (long) input.max() + output.max() > modelContext) {
            problems.add(String.format(java.util.Locale.ROOT,
                    "input-tokens + output-tokens = %s + %s: the longest request (%d tokens) must fit the model's"
                            + " context of %d", input.label(), output.label(), (long) input.max() + output.max(),
                    modelContext));
        }
        return problems;
    }
}
