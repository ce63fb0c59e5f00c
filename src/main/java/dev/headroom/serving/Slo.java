package dev.headroom.serving;

import dev.headroom.common.Format;
import java.util.List;

/** p99 targets: time to first token and time per output token, in seconds; null where none is set. */
public record Slo(Double ttftSeconds, Double tpotSeconds) {
    public static final Slo NONE = new Slo(null, null);
    public static final double MAX_SECONDS = 3600;

    public boolean any() {
        return ttftSeconds != null || tpotSeconds != null;
    }

    /** Whether one request met every target. */
    public boolean met(double ttft, double tpot) {
        return (ttftSeconds == null || ttft <= ttftSeconds) && (tpotSeconds == null || tpot <= tpotSeconds);
    }

    public void problems(List<String> problems) {
        check(problems, "ttft-slo", ttftSeconds);
        check(problems, "tpot-slo", tpotSeconds);
    }

    private static void check(List<String> problems, String field, Double value) {
        if (value != null && !(value > 0 && value <= MAX_SECONDS)) {
            problems.add(field + " = " + Format.plain(value) + " s: must be above 0 and at most " + (int) MAX_SECONDS
                    + " s");
        }
    }
}
