package dev.headroom.telemetry;

import java.util.List;

/**
 * When to raise an alert: a condition on one GPU, held for a duration, with a severity.
 *
 * @param condition what is checked, see {@link Condition}
 * @param metric    the metric compared, for METRIC rules
 * @param threshold the number the condition compares against (its meaning depends on the condition)
 */
public record AlertRule(String id, String name, Condition condition, Metric metric, Comparison comparison,
                        double threshold, int durationSeconds, Severity severity, boolean enabled) {

    public enum Severity { INFO, WARNING, CRITICAL }

    public enum Comparison {
        ABOVE, BELOW;

        boolean holds(double value, double threshold) {
            return this == ABOVE ? value >= threshold : value <= threshold;
        }
    }

    public enum Condition {
        /** metric compared with threshold. */
        METRIC,
        /** temperature within {@code threshold} °C of the GPU's slowdown threshold. */
        TEMPERATURE_NEAR_SLOWDOWN,
        /** memory used above {@code threshold} % of total. */
        MEMORY_PERCENT,
        /** power above {@code threshold} % of the enforced limit while a power cap or brake throttles. */
        POWER_AT_LIMIT_THROTTLED,
        /** a hardware slowdown (HW, HW thermal or HW power brake) is active. */
        HARDWARE_SLOWDOWN,
        /** the volatile uncorrected ECC count rose. */
        ECC_UNCORRECTED_RISE,
        /** the GPU stopped answering, or the driver went away. */
        GPU_LOST,
        /** an XID arrived whose recommended action in NVIDIA's catalog is a reset, a reboot or service. */
        XID_NEEDS_ACTION,
        /** {@code metric} (a count) rose since the previous reading. */
        METRIC_RISE
    }

    /** The defaults of a fresh install; users edit, disable and add to them. */
    public static List<AlertRule> defaults() {
        return List.of(
                new AlertRule("temperature-near-slowdown", "Temperature within 5 °C of the slowdown threshold",
                        Condition.TEMPERATURE_NEAR_SLOWDOWN, Metric.TEMPERATURE, Comparison.ABOVE, 5, 10,
                        Severity.WARNING, true),
                new AlertRule("memory-95", "Memory above 95 %", Condition.MEMORY_PERCENT, Metric.MEMORY_USED,
                        Comparison.ABOVE, 95, 30, Severity.WARNING, true),
                new AlertRule("power-at-limit", "Power at the limit and throttled by it",
                        Condition.POWER_AT_LIMIT_THROTTLED, Metric.POWER, Comparison.ABOVE, 98, 10, Severity.WARNING,
                        true),
                new AlertRule("hardware-slowdown", "Hardware slowdown", Condition.HARDWARE_SLOWDOWN, null,
                        Comparison.ABOVE, 0, 0, Severity.CRITICAL, true),
                new AlertRule("ecc-uncorrected", "Uncorrected ECC errors rose", Condition.ECC_UNCORRECTED_RISE,
                        Metric.ECC_UNCORRECTED, Comparison.ABOVE, 0, 0, Severity.CRITICAL, true),
                new AlertRule("row-remap-failure", "Row remapping failed (the GPU needs service)", Condition.METRIC,
                        Metric.ROW_REMAP_FAILURE, Comparison.ABOVE, 0.5, 0, Severity.CRITICAL, true), // a 0/1 flag
                new AlertRule("xid-needs-action", "An XID error that needs a reset or service", Condition.XID_NEEDS_ACTION,
                        Metric.XID, Comparison.ABOVE, 0, 0, Severity.CRITICAL, true),
                new AlertRule("remapped-uncorrectable-rise", "Rows remapped for uncorrectable errors rose",
                        Condition.METRIC_RISE, Metric.REMAPPED_ROWS_UNCORRECTABLE, Comparison.ABOVE, 0, 0,
                        Severity.CRITICAL, true),
                new AlertRule("gpu-lost", "GPU lost", Condition.GPU_LOST, null, Comparison.ABOVE, 0, 0,
                        Severity.CRITICAL, true));
    }
}
