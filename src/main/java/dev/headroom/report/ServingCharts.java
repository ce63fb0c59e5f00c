package dev.headroom.report;

import dev.headroom.common.Format;
import dev.headroom.serving.SimulationResult;
import dev.headroom.serving.SimulationResult.Latency;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The serving simulation's charts, headless like {@link PlanCharts}: the latency distribution with the SLO lines,
 * p99 latency over time, and the queue, running batch, KV use and replicas over time. Times are in seconds from the
 * start of the run.
 */
public final class ServingCharts {
    private static final Color TTFT = PlanCharts.COLORS[0];
    private static final Color TPOT = PlanCharts.COLORS[1];
    private static final Color E2E = PlanCharts.COLORS[2];
    private static final Color REPLICAS = PlanCharts.COLORS[3];
    private static final Color KV = PlanCharts.COLORS[5];

    private ServingCharts() {
    }

    /** The share of requests at or under each latency (log seconds), TTFT and TPOT with their p99 targets. */
    public static JFreeChart latencyCdf(SimulationResult r) {
        XYSeriesCollection data = new XYSeriesCollection();
        Color[] colors = {TTFT, TPOT, E2E};
        String[] names = {"Time to first token", "Time per output token", "End to end"};
        Latency[] latencies = {r.ttftSeconds(), r.tpotSeconds(), r.e2eSeconds()};
        for (int i = 0; i < latencies.length; i++) {
            XYSeries series = new XYSeries(names[i], false, true);
            if (latencies[i] != null) {
                for (int k = 0; k < Latency.LEVELS.length; k++) {
                    series.add(Math.max(1e-6, latencies[i].quantiles()[k]), Latency.LEVELS[k]);
                }
            }
            data.addSeries(series);
        }
        LogAxis seconds = new LogAxis("Seconds (log scale)");
        seconds.setSmallestValue(1e-4);
        NumberAxis share = new NumberAxis("Requests at or under (%)");
        share.setRange(0, 100);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        XYPlot plot = new XYPlot(data, seconds, share, renderer);
        for (int i = 0; i < colors.length; i++) {
            renderer.setSeriesPaint(i, colors[i]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.addRangeMarker(new ValueMarker(99, new Color(0x999999), new BasicStroke(1f)));
        if (r.slo() != null && r.slo().ttftSeconds() != null) {
            plot.addDomainMarker(sloMarker(r.slo().ttftSeconds(), "TTFT SLO " + Format.time(r.slo().ttftSeconds()), TTFT, 0));
        }
        if (r.slo() != null && r.slo().tpotSeconds() != null) {
            plot.addDomainMarker(sloMarker(r.slo().tpotSeconds(), "TPOT SLO " + Format.time(r.slo().tpotSeconds()), TPOT, 1));
        }
        return chart("Latency distribution", plot);
    }

    /** The p99 TTFT and TPOT of the requests that got their first token (finished) in each interval. */
    public static JFreeChart latencyOverTime(SimulationResult r) {
        SimulationResult.TimeSeries t = r.timeSeries();
        XYSeries ttft = new XYSeries("TTFT p99 (s)", false, true);
        XYSeries tpot = new XYSeries("TPOT p99 (ms)", false, true);
        for (int i = 0; i < t.timeSeconds().length; i++) {
            if (t.ttftP99()[i] != null) {
                ttft.add(t.timeSeconds()[i] / 60, t.ttftP99()[i]);
            }
            if (t.tpotP99()[i] != null) {
                tpot.add(t.timeSeconds()[i] / 60, t.tpotP99()[i] * 1e3);
            }
        }
        XYPlot top = subplot(new XYSeriesCollection(ttft), "TTFT p99 (s)", TTFT, false);
        XYPlot bottom = subplot(new XYSeriesCollection(tpot), "TPOT p99 (ms)", TPOT, false);
        if (r.slo() != null && r.slo().ttftSeconds() != null) {
            target(top, ttft, r.slo().ttftSeconds(), "SLO " + Format.time(r.slo().ttftSeconds()), TTFT);
        }
        if (r.slo() != null && r.slo().tpotSeconds() != null) {
            target(bottom, tpot, r.slo().tpotSeconds() * 1e3, "SLO " + Format.time(r.slo().tpotSeconds()), TPOT);
        }
        return combined("Latency over time (p99 per interval)", top, bottom);
    }

    /** Requests waiting and running, the share of KV blocks in use, and the replicas serving. */
    public static JFreeChart queueAndReplicas(SimulationResult r) {
        SimulationResult.TimeSeries t = r.timeSeries();
        XYSeries waiting = new XYSeries("Waiting", false, true);
        XYSeries running = new XYSeries("Running", false, true);
        XYSeries kv = new XYSeries("KV blocks in use (%)", false, true);
        XYSeries replicas = new XYSeries("Replicas serving", false, true);
        for (int i = 0; i < t.timeSeconds().length; i++) {
            double minutes = t.timeSeconds()[i] / 60;
            waiting.add(minutes, t.waiting()[i]);
            running.add(minutes, t.running()[i]);
            kv.add(minutes, t.kvUse()[i] * 100);
            replicas.add(minutes, t.replicas()[i]);
        }
        XYSeriesCollection requests = new XYSeriesCollection();
        requests.addSeries(waiting);
        requests.addSeries(running);
        XYPlot top = subplot(requests, "Requests", TTFT, false);
        ((XYLineAndShapeRenderer) top.getRenderer()).setSeriesPaint(1, E2E);
        XYPlot middle = subplot(new XYSeriesCollection(kv), "KV use (%)", KV, false);
        ((NumberAxis) middle.getRangeAxis()).setRange(0, 100);
        XYPlot bottom = subplot(new XYSeriesCollection(replicas), "Replicas", REPLICAS, true);
        NumberAxis count = (NumberAxis) bottom.getRangeAxis();
        count.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        count.setLowerBound(0);
        count.setUpperBound(Math.max(2, replicas.getMaxY() + 1));
        return combined("Queue, KV cache and replicas over time", top, middle, bottom);
    }

    /** A target line, with the axis stretched to show it (markers do not widen an automatic range). */
    private static void target(XYPlot plot, XYSeries data, double value, String label, Color color) {
        plot.addRangeMarker(sloMarker(value, label, color, 2));
        double top = data.getItemCount() == 0 ? value : Math.max(data.getMaxY(), value);
        plot.getRangeAxis().setRange(0, top * 1.15);
    }

    private static XYPlot subplot(XYSeriesCollection data, String unit, Color color, boolean step) {
        XYLineAndShapeRenderer renderer = step ? new XYStepRenderer() : new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, color);
            renderer.setSeriesStroke(i, new BasicStroke(1.6f));
        }
        NumberAxis range = new NumberAxis(unit);
        range.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(data, null, range, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        return plot;
    }

    private static JFreeChart combined(String title, XYPlot... plots) {
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(new NumberAxis("Minutes from the start"));
        combined.setGap(8);
        for (XYPlot p : plots) {
            combined.add(p, 1);
        }
        return chart(title, combined);
    }

    private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot) {
        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        plot.setBackgroundPaint(Color.WHITE);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(new Color(0xdddddd));
            xy.setRangeGridlinePaint(new Color(0xdddddd));
        }
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        return chart;
    }

    /** A dashed target line; {@code slot} staggers the labels of lines that may sit close together. */
    private static ValueMarker sloMarker(double value, String label, Color color, int slot) {
        // slot 0 and 1: vertical lines labelled at the top and at the bottom; 2: a horizontal line labelled above it
        ValueMarker marker = new ValueMarker(value, color, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        marker.setLabel(label);
        marker.setLabelPaint(color);
        marker.setLabelFont(new Font("SansSerif", Font.PLAIN, 11));
        marker.setLabelBackgroundColor(new Color(255, 255, 255, 210));
        // Inside the plot: beside a vertical line at the top or the bottom, above a horizontal one (the 15 %
        // headroom of the range keeps it below the top edge).
        marker.setLabelAnchor(slot == 1 ? RectangleAnchor.BOTTOM_RIGHT : slot == 0 ? RectangleAnchor.TOP_RIGHT
                : RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(slot == 1 ? TextAnchor.BOTTOM_LEFT : slot == 0 ? TextAnchor.TOP_LEFT
                : TextAnchor.BOTTOM_LEFT);
        return marker;
    }
}
