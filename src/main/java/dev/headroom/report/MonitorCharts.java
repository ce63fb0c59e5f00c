package dev.headroom.report;

import dev.headroom.telemetry.History;
import dev.headroom.telemetry.Metric;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Time-series charts of GPU metrics, drawn from the history already downsampled to the pixels available (one
 * point per bucket: the mean, with the min-max band left to the data). One definition for screen and export.
 */
public final class MonitorCharts {
    private MonitorCharts() {
    }

    /** A chart of one metric for the given GPUs over time; values are divided by {@code scale} (bytes to GiB). */
    public static JFreeChart timeSeries(String title, String unit) {
        XYSeriesCollection data = new XYSeriesCollection();
        JFreeChart chart = ChartFactory.createTimeSeriesChart(title, null, unit, data, true, true, false);
        XYPlot plot = chart.getXYPlot();
        org.jfree.chart.axis.NumberAxis values = (org.jfree.chart.axis.NumberAxis) plot.getRangeAxis();
        values.setAutoRangeIncludesZero(true); // a flat line near the top reads as full, not as noise
        if (unit.equals("%")) {
            values.setRange(0, 100);
        }
        DateAxis time = (DateAxis) plot.getDomainAxis();
        time.setLowerMargin(0);
        time.setUpperMargin(0);
        plot.setDomainCrosshairVisible(true);
        plot.setDomainCrosshairLockedOnData(false);
        // One path per series instead of a line call per segment: the draw is what a live chart costs.
        org.jfree.chart.renderer.xy.XYLineAndShapeRenderer renderer =
                (org.jfree.chart.renderer.xy.XYLineAndShapeRenderer) plot.getRenderer();
        renderer.setDrawSeriesLineAsPath(true);
        renderer.setDefaultShapesVisible(false);
        return PlanCharts.styled(chart);
    }

    /**
     * Replaces the chart's series with the history of {@code metric} for each GPU in [from, to], in
     * {@code buckets} buckets. Notifications are held until the end, so the chart redraws once.
     */
    public static void update(JFreeChart chart, History history, Metric metric, List<Integer> gpus, List<String> labels,
                              long from, long to, int buckets, double scale) {
        chart.setNotify(false);
        try {
            XYPlot plot = chart.getXYPlot();
            XYSeriesCollection data = (XYSeriesCollection) plot.getDataset();
            while (data.getSeriesCount() > gpus.size()) {
                data.removeSeries(data.getSeriesCount() - 1);
            }
            for (int i = 0; i < gpus.size(); i++) {
                XYSeries series;
                if (i < data.getSeriesCount()) {
                    series = data.getSeries(i);
                    series.setNotify(false);
                    series.clear();
                } else {
                    series = new XYSeries(labels.get(i), false, true);
                    series.setNotify(false);
                    data.addSeries(series);
                    plot.getRenderer().setSeriesStroke(i, new BasicStroke(1.8f));
                    plot.getRenderer().setSeriesPaint(i, PlanCharts.COLORS[i % PlanCharts.COLORS.length]);
                }
                History.Series values = history.query(gpus.get(i), metric, from, to, buckets);
                for (int b = 0; b < values.length(); b++) {
                    if (!Double.isNaN(values.mean()[b])) {
                        series.add(values.bucketStartMillis()[b], values.mean()[b] / scale, false);
                    }
                }
                series.setNotify(true);
            }
            plot.getDomainAxis().setRange(from, to);
        } finally {
            chart.setNotify(true);
        }
    }

    /** A dashed horizontal line with a label: a GPU's limit, or a plan's predicted memory. */
    public static void setMarker(JFreeChart chart, Double value, String label, Color color) {
        XYPlot plot = chart.getXYPlot();
        plot.clearRangeMarkers();
        if (value == null) {
            return;
        }
        ValueMarker marker = new ValueMarker(value, color, new BasicStroke(2f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        marker.setLabel(label);
        marker.setLabelPaint(color);
        marker.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_LEFT);
        plot.addRangeMarker(marker);
    }
}
