package dev.headroom.serving;

import dev.headroom.common.Format;
import java.util.List;

/** How long arrivals go on: for a duration in seconds, or for a number of requests. Then the replicas drain. */
public record RunLength(Double durationSeconds, Long requests) {
    public static final double MAX_SECONDS = 366 * 86_400.0;
    public static final long MAX_REQUESTS = 100_000_000L;

    public static RunLength ofRequests(long n) {
        return new RunLength(null, n);
    }

    public static RunLength ofSeconds(double s) {
        return new RunLength(s, null);
    }

    public void problems(List<String> problems) {
        if (durationSeconds != null && requests != null) {
            problems.add("duration = " + Format.plain(durationSeconds) + " s: give either --duration or --requests, not both");
        }
        if (durationSeconds != null && !(durationSeconds > 0 && durationSeconds <= MAX_SECONDS)) {
            problems.add("duration = " + Format.plain(durationSeconds) + " s: must be above 0 and at most 366 days");
        }
        if (requests != null && !(requests >= 1 && requests <= MAX_REQUESTS)) {
            problems.add("requests = " + requests + ": must be between 1 and " + MAX_REQUESTS);
        }
    }
}
