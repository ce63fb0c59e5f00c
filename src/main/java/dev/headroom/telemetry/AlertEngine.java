package dev.headroom.telemetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns snapshots into alert events. A rule fires once its condition has held for its duration, and clears
 * (with an event of its own) when the condition stops; it never repeats while it holds.
 */
public final class AlertEngine {
    private final List<AlertRule> rules;
    private volatile List<GpuInfo> gpus;
    private final Map<String, Long> holdingSince = new HashMap<>();
    private final Map<String, Boolean> active = new HashMap<>();
    /** The previous reading of each GPU, for the conditions that compare with it. */
    private final Map<Integer, GpuReading> previous = new HashMap<>();

    public AlertEngine(List<AlertRule> rules, List<GpuInfo> gpus) {
        this.rules = List.copyOf(rules);
        this.gpus = List.copyOf(gpus);
    }

    /** A fleet's new GPU list (hosts come and go); the rules' state of the known GPUs is kept. */
    public void setGpus(List<GpuInfo> next) {
        gpus = List.copyOf(next);
    }

    public List<AlertRule> rules() {
        return rules;
    }

    public List<AlertEvent> evaluate(Snapshot snapshot) {
        List<AlertEvent> events = new ArrayList<>();
        for (GpuReading reading : snapshot.gpus()) {
            GpuInfo info = reading.index() < gpus.size() ? gpus.get(reading.index()) : null;
            for (AlertRule rule : rules) {
                if (!rule.enabled()) {
                    continue;
                }
                String detail = check(rule, reading, info);
                String key = rule.id() + "#" + reading.index();
                boolean wasActive = active.getOrDefault(key, false);
                if (detail != null) {
                    long since = holdingSince.computeIfAbsent(key, k -> snapshot.epochMillis());
                    if (!wasActive && snapshot.epochMillis() - since >= rule.durationSeconds() * 1000L) {
                        active.put(key, true);
                        events.add(new AlertEvent(snapshot.epochMillis(), reading.index(), rule.id(), rule.name(),
                                rule.severity(), true, detail));
                    }
                } else {
                    holdingSince.remove(key);
                    if (wasActive) {
                        active.put(key, false);
                        events.add(new AlertEvent(snapshot.epochMillis(), reading.index(), rule.id(), rule.name(),
                                rule.severity(), false, rule.condition() == AlertRule.Condition.GPU_LOST
                                        ? "recovered: the GPU answers again" : "cleared"));
                    }
                }
            }
            if (reading.state() == MetricStatus.OK) {
                previous.put(reading.index(), reading);
            }
        }
        return events;
    }

    /** {before, now} when {@code metric} rose since this GPU's previous reading, else null. */
    private double[] rise(GpuReading r, Metric metric) {
        GpuReading before = previous.get(r.index());
        if (!r.has(metric) || before == null || !before.has(metric) || r.value(metric) <= before.value(metric)) {
            return null;
        }
        return new double[] {before.value(metric), r.value(metric)};
    }

    /** What was seen, when the condition holds; null when it does not (or cannot be judged). */
    private String check(AlertRule rule, GpuReading r, GpuInfo info) {
        if (rule.condition() == AlertRule.Condition.GPU_LOST) {
            return r.state() == MetricStatus.GPU_LOST ? "the GPU stopped answering (fallen off the bus?)"
                    : r.state() == MetricStatus.DRIVER_GONE ? "the NVIDIA driver is not loaded any more" : null;
        }
        if (r.state() != MetricStatus.OK) {
            return null;
        }
        switch (rule.condition()) {
            case METRIC -> {
                if (rule.metric() == null || !r.has(rule.metric())) {
                    return null;
                }
                double value = r.value(rule.metric());
                return rule.comparison().holds(value, rule.threshold())
                        ? String.format(Locale.ROOT, "%s %.1f %s", rule.metric().label(), value, rule.metric().unit()) : null;
            }
            case TEMPERATURE_NEAR_SLOWDOWN -> {
                if (info == null || info.temperatureSlowdownC() == null || !r.has(Metric.TEMPERATURE)) {
                    return null;
                }
                double t = r.value(Metric.TEMPERATURE);
                return t >= info.temperatureSlowdownC() - rule.threshold()
                        ? String.format(Locale.ROOT, "%.0f °C, slowdown at %d °C", t, info.temperatureSlowdownC()) : null;
            }
            case MEMORY_PERCENT -> {
                if (!r.has(Metric.MEMORY_USED) || !r.has(Metric.MEMORY_TOTAL) || r.value(Metric.MEMORY_TOTAL) <= 0) {
                    return null;
                }
                double percent = 100 * r.value(Metric.MEMORY_USED) / r.value(Metric.MEMORY_TOTAL);
                return percent >= rule.threshold() ? String.format(Locale.ROOT, "%.1f %% of memory used", percent) : null;
            }
            case POWER_AT_LIMIT_THROTTLED -> {
                if (!r.has(Metric.POWER) || !r.has(Metric.POWER_LIMIT) || r.value(Metric.POWER_LIMIT) <= 0) {
                    return null;
                }
                double percent = 100 * r.value(Metric.POWER) / r.value(Metric.POWER_LIMIT);
                boolean capped = (r.throttleMask() & (ThrottleReason.SW_POWER_CAP.bit() | ThrottleReason.HW_POWER_BRAKE.bit())) != 0;
                return percent >= rule.threshold() && capped ? String.format(Locale.ROOT,
                        "%.0f W of %.0f W, clocks capped", r.value(Metric.POWER), r.value(Metric.POWER_LIMIT)) : null;
            }
            case HARDWARE_SLOWDOWN -> {
                long hardware = ThrottleReason.HW_SLOWDOWN.bit() | ThrottleReason.HW_THERMAL.bit()
                        | ThrottleReason.HW_POWER_BRAKE.bit();
                long active = r.throttleMask() & hardware;
                return active != 0 ? ThrottleReason.decode(active).stream().map(ThrottleReason::label)
                        .reduce((a, b) -> a + ", " + b).orElse("") : null;
            }
            case ECC_UNCORRECTED_RISE -> {
                double[] rise = rise(r, Metric.ECC_UNCORRECTED);
                return rise == null ? null
                        : String.format(Locale.ROOT, "uncorrected ECC errors %.0f -> %.0f", rise[0], rise[1]);
            }
            case XID_NEEDS_ACTION -> {
                int code = (int) r.value(Metric.XID);
                return rise(r, Metric.XID_EVENTS) != null && XidCatalog.needsAction(code)
                        ? "XID " + code + ": " + XidCatalog.message(code) : null;
            }
            case METRIC_RISE -> {
                double[] rise = rule.metric() == null ? null : rise(r, rule.metric());
                return rise == null ? null : String.format(Locale.ROOT, "%s %.0f -> %.0f", rule.metric().label(),
                        rise[0], rise[1]);
            }
            default -> {
                return null;
            }
        }
    }
}
