package dev.headroom.report;

import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.Sweeps;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The Plan charts, built headless with JFreeChart: the UI shows these same objects in a ChartViewer, and exports
 * render them to PNG, SVG and PDF. Memory is in GiB (2^30 bytes), like nvidia-smi and PyTorch.
 */
public final class PlanCharts {
    static final double GIB = 1L << 30;
    /** Memory components in a fixed order and colour, so every chart reads the same way. */
    static final String[] COMPONENTS = {"Weights", "KV cache", "Activations", "Gradients", "Optimizer states",
        "Runtime overhead"};
    static final Color[] COLORS = {new Color(0x2f6db5), new Color(0xe0892b), new Color(0x3a9a5b),
        new Color(0x8d5fb8), new Color(0xc44e52), new Color(0x8c8c8c)};
    private static final Color CAPACITY = new Color(0xb00020);

    private PlanCharts() {
    }

    /** A labelled estimate: one bar of the memory chart. */
    public record Bar(String label, Estimate estimate) {
    }

    /** Stacked memory per GPU for one or more plans, against the usable capacity of the (first) GPU. */
    public static JFreeChart memoryBars(List<Bar> bars) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Bar bar : bars) {
            Estimate.Memory m = bar.estimate().memory();
            long[] parts = {m.weightsBytes(), orZero(m.kvCacheBytes()), orZero(m.activationsBytes()),
                orZero(m.gradientsBytes()), orZero(m.optimizerStatesBytes()), m.overheadBytes()};
            for (int i = 0; i < parts.length; i++) {
                data.addValue(parts[i] / GIB, COMPONENTS[i], bar.label());
            }
        }
        JFreeChart chart = ChartFactory.createStackedBarChart("Memory per GPU", null, "GiB", data,
                PlotOrientation.VERTICAL, true, true, false);
        CategoryPlot plot = chart.getCategoryPlot();
        StackedBarRenderer renderer = (StackedBarRenderer) plot.getRenderer();
        renderer.setShadowVisible(false);
        renderer.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        renderer.setMaximumBarWidth(0.25);
        for (int i = 0; i < COMPONENTS.length; i++) {
            renderer.setSeriesPaint(i, COLORS[i]);
        }
        if (!bars.isEmpty()) {
            Estimate.Fit fit = bars.get(0).estimate().fit();
            plot.addRangeMarker(capacityMarker(fit.usableBytes() / GIB, "usable " + fit.gpu()));
            plot.getRangeAxis().setUpperBound(Math.max(plot.getRangeAxis().getUpperBound(),
                    fit.usableBytes() / GIB * 1.1));
        }
        return styled(chart);
    }

    /** Memory per GPU against tokens per sequence, a curve per batch size, with the usable capacity. */
    public static JFreeChart memoryByContext(List<Sweeps.Series> series, double usableBytes, String gpu) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Sweeps.Series s : series) {
            data.addSeries(xy(s, 1, 1 / GIB));
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Memory per GPU by context length", "Tokens per sequence",
                "GiB", data, PlotOrientation.VERTICAL, true, true, false);
        chart.getXYPlot().addRangeMarker(capacityMarker(usableBytes / GIB, "usable " + gpu));
        return styled(chart);
    }

    /** Memory per GPU against the batch, with the usable capacity. */
    public static JFreeChart memoryByBatch(Sweeps.Series series, double usableBytes, String gpu, boolean training) {
        XYSeriesCollection data = new XYSeriesCollection(xy(series, 1, 1 / GIB));
        JFreeChart chart = ChartFactory.createXYLineChart("Memory per GPU by batch", training ? "Micro-batch" : "Batch",
                "GiB", data, PlotOrientation.VERTICAL, false, true, false);
        chart.getXYPlot().addRangeMarker(capacityMarker(usableBytes / GIB, "usable " + gpu));
        return styled(chart);
    }

    /** Output tokens per second of the batch against the batch: where decode stops being bandwidth-bound. */
    public static JFreeChart throughputByBatch(Sweeps.Series series) {
        XYSeriesCollection data = new XYSeriesCollection(xy(series, 1, 1));
        JFreeChart chart = ChartFactory.createXYLineChart("Decode throughput by batch", "Batch",
                "Output tokens/s", data, PlotOrientation.VERTICAL, false, true, false);
        org.jfree.chart.axis.LogAxis x = new org.jfree.chart.axis.LogAxis("Batch (log scale)");
        x.setBase(2);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        chart.getXYPlot().setDomainAxis(x);
        return styled(chart);
    }

    private static XYSeries xy(Sweeps.Series s, double xScale, double yScale) {
        XYSeries series = new XYSeries(s.label(), true, false);
        for (int i = 0; i < s.x().length; i++) {
            series.add(s.x()[i] * xScale, s.y()[i] * yScale);
        }
        return series;
    }

    private static ValueMarker capacityMarker(double gib, String label) {
        ValueMarker marker = new ValueMarker(gib, CAPACITY, new BasicStroke(2f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        marker.setLabel(String.format(java.util.Locale.ROOT, "%s: %.1f GiB", label, gib));
        marker.setLabelPaint(CAPACITY);
        marker.setLabelFont(new Font("SansSerif", Font.PLAIN, 11));
        marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        return marker;
    }

    /** One look for every chart: white plot, light grid, no shadows, readable fonts. */
    static JFreeChart styled(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font("SansSerif", Font.BOLD, 14));
        if (chart.getPlot() instanceof XYPlot plot) {
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(new Color(0xdddddd));
            plot.setRangeGridlinePaint(new Color(0xdddddd));
            XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
            for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
                renderer.setSeriesStroke(i, new BasicStroke(2f));
                renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
            }
        } else if (chart.getPlot() instanceof CategoryPlot plot) {
            plot.setBackgroundPaint(Color.WHITE);
            plot.setRangeGridlinePaint(new Color(0xdddddd));
        }
        return chart;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
