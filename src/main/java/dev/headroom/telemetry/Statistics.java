package dev.headroom.telemetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per-GPU min / mean / p95 / max of every metric over a run, and the alerts it raised: a recording's summary. */
public final class Statistics {
    /** One metric's summary; {@code samples} counts ticks with a value. */
    public record Summary(String unit, double min, double mean, double p95, double max, int samples) {
    }

    /** One GPU's summaries by metric key. */
    public record Gpu(int index, String name, Map<String, Summary> metrics) {
    }

    public record Report(String source, boolean simulated, int ticks, double durationSeconds, List<Gpu> gpus,
                         List<AlertEvent> alerts) {
    }

    private Statistics() {
    }

    public static Report of(Recording.Contents contents, List<AlertRule> rules) {
        List<Snapshot> ticks = contents.ticks();
        AlertEngine alerts = new AlertEngine(rules, contents.gpus());
        List<AlertEvent> events = new ArrayList<>();
        for (Snapshot tick : ticks) {
            events.addAll(alerts.evaluate(tick));
        }
        List<Gpu> gpus = new ArrayList<>();
        for (GpuInfo info : contents.gpus()) {
            Map<String, Summary> metrics = new LinkedHashMap<>();
            for (Metric metric : Metric.all()) {
                double[] values = ticks.stream().flatMap(t -> t.gpus().stream())
                        .filter(r -> r.index() == info.index() && r.has(metric))
                        .mapToDouble(r -> r.value(metric)).toArray();
                if (values.length > 0) {
                    metrics.put(metric.key(), summarize(metric.unit(), values));
                }
            }
            gpus.add(new Gpu(info.index(), info.name(), metrics));
        }
        double duration = ticks.size() < 2 ? 0
                : (ticks.get(ticks.size() - 1).epochMillis() - ticks.get(0).epochMillis()) / 1000.0;
        return new Report(contents.source(), contents.simulated(), ticks.size(), duration, gpus, events);
    }

    static Summary summarize(String unit, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        int rank = (int) Math.ceil(0.95 * sorted.length) - 1; // nearest-rank 95th percentile
        return new Summary(unit, sorted[0], sum / sorted.length, sorted[Math.max(0, rank)], sorted[sorted.length - 1],
                sorted.length);
    }
}
