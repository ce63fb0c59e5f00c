package dev.headroom.telemetry;

/** An alert raised (or cleared) at a time, for a GPU, by a rule, with what was seen. */
public record AlertEvent(long epochMillis, int gpu, String ruleId, String rule, AlertRule.Severity severity,
                         boolean raised, String detail) {
}
