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
import org.jfree.chart.ui.RectangleInsets;
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
        chart.getXYPlot().setDomainAxis(new LogTwoAxis("Batch (log scale)"));
        return styled(chart);
    }

    static final double KIB = 1 << 10;

    /**
     * KV cache per token of one sequence (KiB, whole model) against the context on a log-2 axis: flat while every
     * window is open, falling once windows and chunks close or fixed recurrent states are spread over more tokens.
     * A dotted line marks the plan's own context.
     *
     * @param planContextTokens input + output tokens of the plan; no marker when outside the swept range or 0
     */
    public static JFreeChart kvPerTokenByContext(Sweeps.Series series, int planContextTokens) {
        XYSeriesCollection data = new XYSeriesCollection(xy(series, 1, 1 / KIB));
        JFreeChart chart = ChartFactory.createXYLineChart("KV cache per token by context length",
                "Tokens per sequence", "KiB per token", data, PlotOrientation.VERTICAL, false, true, false);
        XYPlot plot = chart.getXYPlot();
        plot.setDomainAxis(new LogTwoAxis("Tokens per sequence (log scale)"));
        int n = series.x().length;
        if (n > 0 && planContextTokens >= series.x()[0] && planContextTokens <= series.x()[n - 1]) {
            ValueMarker marker = new ValueMarker(planContextTokens, Color.DARK_GRAY, new BasicStroke(1.2f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f));
            marker.setLabel(String.format(java.util.Locale.ROOT, "this plan: %,d tokens", planContextTokens));
            marker.setLabelFont(new Font("SansSerif", Font.PLAIN, 11));
            // At the foot of the line (the curve starts high: the y axis includes zero), on the side with more room.
            boolean rightHalf = Math.log(planContextTokens / series.x()[0])
                    > Math.log(series.x()[n - 1] / series.x()[0]) / 2;
            marker.setLabelAnchor(rightHalf ? RectangleAnchor.BOTTOM_LEFT : RectangleAnchor.BOTTOM_RIGHT);
            marker.setLabelTextAnchor(rightHalf ? TextAnchor.BOTTOM_RIGHT : TextAnchor.BOTTOM_LEFT);
            plot.addDomainMarker(marker);
        }
        return styled(chart);
    }

    /**
     * A base-2 log axis with ticks at whole powers of two, labelled "1,024". LogAxis hands its labels over as
     * attributed strings (for superscripts), which SVG and PDF receive as glyph outlines; plain-text ticks keep the
     * exported labels searchable text like every other axis.
     */
    static final class LogTwoAxis extends org.jfree.chart.axis.LogAxis {
        private static final long serialVersionUID = 1L;

        LogTwoAxis(String label) {
            super(label);
            setBase(2);
            setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            setNumberFormatOverride(java.text.NumberFormat.getIntegerInstance(java.util.Locale.ROOT));
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public List refreshTicks(java.awt.Graphics2D g2, org.jfree.chart.axis.AxisState state,
                                 java.awt.geom.Rectangle2D dataArea, org.jfree.chart.ui.RectangleEdge edge) {
            List<Object> ticks = new java.util.ArrayList<>();
            for (Object tick : super.refreshTicks(g2, state, dataArea, edge)) {
                if (tick instanceof org.jfree.chart.axis.LogTick log) {
                    ticks.add(new org.jfree.chart.axis.NumberTick(log.getTickType(), log.getValue(),
                            text(log.getAttributedLabel()), log.getTextAnchor(), log.getRotationAnchor(), log.getAngle()));
                } else {
                    ticks.add(tick);
                }
            }
            return ticks;
        }

        private static String text(java.text.AttributedString label) {
            if (label == null) {
                return "";
            }
            StringBuilder out = new StringBuilder();
            java.text.AttributedCharacterIterator it = label.getIterator();
            for (char c = it.first(); c != java.text.CharacterIterator.DONE; c = it.next()) {
                out.append(c);
            }
            return out.toString();
        }
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
        // below the line: above it the label left the plot (and the page's chart) where the line is near the top
        marker.setLabelAnchor(RectangleAnchor.BOTTOM_LEFT);
        marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        marker.setLabelOffset(new RectangleInsets(4, 6, 4, 6));
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
