package dev.headroom.report;

import dev.headroom.telemetry.AlertEvent;
import dev.headroom.telemetry.AlertRule;
import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.GpuReading;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.Recording;
import dev.headroom.telemetry.Snapshot;
import dev.headroom.telemetry.Statistics;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A recording as a document: per-GPU min / mean / p95 / max of the main metrics, charts of the period, and the
 * alerts the default rules raise over it (the same {@link Statistics} as {@code headroom replay --summary}).
 */
public final class MonitoringReport {
    private static final Metric[] CHARTED = {Metric.UTILIZATION_GPU, Metric.MEMORY_USED, Metric.TEMPERATURE, Metric.POWER};
    private static final Metric[] SUMMARIZED = {Metric.UTILIZATION_GPU, Metric.UTILIZATION_MEMORY, Metric.MEMORY_USED,
        Metric.TEMPERATURE, Metric.POWER, Metric.CLOCK_SM, Metric.FAN};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final double GIB = 1L << 30;

    private MonitoringReport() {
    }

    public static Report build(Recording.Contents contents, String recordingName) {
        Statistics.Report stats = Statistics.of(contents, AlertRule.defaults());
        String source = contents.simulated() ? "SIMULATED (" + contents.source() + ")" : contents.source();
        List<Report.Section> sections = new ArrayList<>();
        List<List<String>> overview = new ArrayList<>();
        overview.add(List.of("Source", source));
        overview.add(List.of("Recording", recordingName));
        if (!contents.ticks().isEmpty()) {
            overview.add(List.of("From", TIME.format(Instant.ofEpochMilli(contents.ticks().get(0).epochMillis()))));
            overview.add(List.of("To", TIME.format(Instant.ofEpochMilli(
                    contents.ticks().get(contents.ticks().size() - 1).epochMillis()))));
        }
        overview.add(List.of("Ticks", stats.ticks() + " every " + contents.intervalMillis() + " ms ("
                + String.format(Locale.ROOT, "%.0f s", stats.durationSeconds()) + ")"));
        for (GpuInfo gpu : contents.gpus()) {
            overview.add(List.of("GPU " + gpu.index(), gpu.name()));
        }
        sections.add(new Report.Section("Recording", List.of(new Report.Table(List.of("Field", "Value"), overview))));
        List<List<String>> rows = new ArrayList<>();
        for (Statistics.Gpu gpu : stats.gpus()) {
            for (Metric metric : SUMMARIZED) {
                Statistics.Summary s = gpu.metrics().get(metric.key());
                if (s != null) {
                    rows.add(List.of("GPU " + gpu.index(), metric.label(), value(metric, s.min()), value(metric, s.mean()),
                            value(metric, s.p95()), value(metric, s.max()), Integer.toString(s.samples())));
                }
            }
        }
        sections.add(new Report.Section("Per-GPU summary", List.of(
                new Report.Paragraph("p95 is the nearest-rank 95th percentile of the ticks with a value."),
                new Report.Table(List.of("GPU", "Metric", "Min", "Mean", "p95", "Max", "Samples"), rows))));
        List<Report.Block> charts = new ArrayList<>();
        for (Metric metric : CHARTED) {
            charts.add(new Report.Chart(metric.key(), chart(contents, metric), source + ", " + recordingName
                    + "; time in seconds from the first tick."));
        }
        sections.add(new Report.Section("The period", charts));
        List<List<String>> alerts = new ArrayList<>();
        for (AlertEvent e : stats.alerts()) {
            alerts.add(List.of(TIME.format(Instant.ofEpochMilli(e.epochMillis())), "GPU " + e.gpu(), e.rule(),
                    e.severity().toString().toLowerCase(Locale.ROOT), e.raised() ? "raised" : "cleared", e.detail()));
        }
        sections.add(new Report.Section("Alerts (default rules)", alerts.isEmpty()
                ? List.of(new Report.Paragraph("None raised."))
                : List.of(new Report.Table(List.of("Time", "GPU", "Rule", "Severity", "Event", "Detail"), alerts))));
        return new Report("GPU monitoring: " + recordingName, source + " \u2014 " + stats.ticks() + " ticks over "
                + String.format(Locale.ROOT, "%.0f s", stats.durationSeconds()), sections);
    }

    static JFreeChart chart(Recording.Contents contents, Metric metric) {
        XYSeriesCollection data = new XYSeriesCollection();
        long start = contents.ticks().isEmpty() ? 0 : contents.ticks().get(0).epochMillis();
        boolean bytes = metric.unit().equals("bytes");
        for (GpuInfo gpu : contents.gpus()) {
            // duplicates allowed: two ticks in one millisecond (a fast sampler) are two points, not a failure
            XYSeries series = new XYSeries("GPU " + gpu.index(), true, true);
            for (Snapshot tick : contents.ticks()) {
                for (GpuReading r : tick.gpus()) {
                    if (r.index() == gpu.index() && r.has(metric)) {
                        series.add((tick.epochMillis() - start) / 1000.0, bytes ? r.value(metric) / GIB : r.value(metric));
                    }
                }
            }
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(metric.label(), "Seconds", bytes ? "GiB" : metric.unit(),
                data, PlotOrientation.VERTICAL, true, true, false);
        org.jfree.chart.axis.NumberAxis range = (org.jfree.chart.axis.NumberAxis) chart.getXYPlot().getRangeAxis();
        range.setAutoRangeIncludesZero(true);
        range.setAutoRangeMinimumSize(1); // an idle GPU's flat zero reads as zero, not as +-4E-9
        if (metric.unit().equals("%")) {
            range.setRange(0, 100);
        }
        return PlanCharts.styled(chart);
    }

    private static String value(Metric metric, double v) {
        return metric.unit().equals("bytes") ? String.format(Locale.ROOT, "%.2f GiB", v / GIB)
                : String.format(Locale.ROOT, "%.1f %s", v, metric.unit());
    }

}
