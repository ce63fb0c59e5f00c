package dev.headroom.report;

import dev.headroom.cost.CostOption;
import dev.headroom.cost.Sensitivity;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYPointerAnnotation;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The Costs charts, built headless like {@link PlanCharts} so the UI and the exports draw the same objects. Money is
 * in US dollars; months count from the purchase.
 */
public final class CostCharts {
    private static final Color CROSSOVER = new Color(0xb00020);
    /** A break-even label's pointer length in pixels, and what each label stacked above a close one adds. */
    static final double BASE_RADIUS = 30;
    static final double STACK_STEP = 24;

    private CostCharts() {
    }

    /** A labelled amount: one bar of the $ per million tokens chart. */
    public record Amount(String label, double usd) {
    }

    /**
     * Cumulative cost of owning against the cloud offers shown, month by month, with a marked point where owning has
     * become the cheaper of the two. The annotations carry the crossover so tests and exports can read it back.
     */
    public static JFreeChart cumulative(CostOption option, List<CostOption.Versus> shown) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(series(String.format(Locale.ROOT, "Owned: %d\u00d7 %s", option.count(), option.gpuName()),
                option.cumulativeUsd()));
        for (CostOption.Versus v : shown) {
            data.addSeries(series(v.provider() + " " + v.pricing() + " $" + money(v.gpuHourUsd()) + "/GPU-h",
                    v.cumulativeUsd()));
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Cumulative cost, owned vs cloud", "Months from purchase",
                "US$", data, PlotOrientation.VERTICAL, true, true, false);
        PlanCharts.styled(chart);
        var plot = chart.getXYPlot();
        plot.getRenderer().setSeriesStroke(0, new BasicStroke(3f));
        // Crossovers close in time get longer pointers, one label height apart each, so their labels stack
        // instead of overlapping (the pointers leave at the same angle, so a longer one ends higher).
        List<CostOption.Versus> crossing = shown.stream().filter(v -> v.breakEvenMonth() != null)
                .sorted(java.util.Comparator.comparingInt(CostOption.Versus::breakEvenMonth)).toList();
        int months = option.cumulativeUsd().length;
        int stacked = 0;
        Integer previous = null;
        for (CostOption.Versus v : crossing) {
            int m = v.breakEvenMonth();
            stacked = previous != null && m - previous < Math.max(3, months / 4) ? stacked + 1 : 0;
            previous = m;
            double y = option.cumulativeUsd()[m];
            plot.addAnnotation(new XYShapeAnnotation(new java.awt.geom.Ellipse2D.Double(m - 0.4, y * 0.985, 0.8,
                    y * 0.03), new BasicStroke(2f), CROSSOVER));
            XYPointerAnnotation label = new XYPointerAnnotation(
                    "break-even vs " + v.provider() + " " + v.pricing() + ": month " + m, m, y, -Math.PI / 4);
            label.setBaseRadius(BASE_RADIUS + stacked * STACK_STEP);
            label.setTipRadius(4);
            label.setFont(new Font("SansSerif", Font.PLAIN, 11));
            label.setPaint(CROSSOVER);
            label.setArrowPaint(CROSSOVER);
            label.setTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addAnnotation(label);
        }
        return chart;
    }

    /** $ per million tokens, cheapest first, as horizontal bars. */
    public static JFreeChart perMillionTokens(List<Amount> amounts) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        amounts.stream().sorted(java.util.Comparator.comparingDouble(Amount::usd))
                .forEach(a -> data.addValue(a.usd(), "$ per million tokens", a.label()));
        JFreeChart chart = ChartFactory.createBarChart("$ per million tokens", null, "US$ per million tokens", data,
                PlotOrientation.HORIZONTAL, false, true, false);
        PlanCharts.styled(chart);
        BarRenderer renderer = (BarRenderer) chart.getCategoryPlot().getRenderer();
        plain(renderer);
        renderer.setSeriesPaint(0, PlanCharts.COLORS[0]);
        renderer.setDefaultItemLabelGenerator(new org.jfree.chart.labels.StandardCategoryItemLabelGenerator(
                "{2}", new java.text.DecimalFormat("$#,##0.000")));
        renderer.setDefaultItemLabelsVisible(true);
        chart.getCategoryPlot().getRangeAxis().setUpperMargin(0.12); // room for the value labels
        return chart;
    }

    /**
     * Tornado: how many months the break-even moves when each input swings low and high, widest bar on top.
     * "Never" (owning does not catch up) and anything longer is drawn at {@link Sensitivity#CAP_MONTHS}; the category
     * label gives each end's input and break-even.
     */
    public static JFreeChart tornado(Sensitivity.Result result) {
        double capMonths = Sensitivity.CAP_MONTHS;
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        double base = Math.min(result.baseMonths() == null ? capMonths : result.baseMonths(), capMonths);
        for (Sensitivity.Bar bar : result.bars()) {
            String category = bar.input() + " " + bar.lowLabel() + " \u2026 " + bar.highLabel();
            data.addValue(delta(bar.lowMonths(), base, capMonths), "Low input", category);
            data.addValue(delta(bar.highMonths(), base, capMonths), "High input", category);
        }
        JFreeChart chart = ChartFactory.createBarChart("Break-even vs " + result.offer() + ": sensitivity", null,
                "Months of change from the base case", data, PlotOrientation.HORIZONTAL, true, true, false);
        PlanCharts.styled(chart);
        CategoryPlot plot = chart.getCategoryPlot();
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        plain(renderer);
        renderer.setSeriesPaint(0, PlanCharts.COLORS[0]);
        renderer.setSeriesPaint(1, PlanCharts.COLORS[1]);
        ValueMarker zero = new ValueMarker(0, Color.DARK_GRAY, new BasicStroke(1.5f));
        zero.setLabel("base: " + months(result.baseMonths()));
        zero.setLabelFont(new Font("SansSerif", Font.PLAIN, 11));
        zero.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        plot.addRangeMarker(zero);
        return chart;
    }

    /** A break-even for people: months, "> 20 years" past the cap, "never" when owning does not catch up. */
    public static String months(Double months) {
        return months == null ? "never" : months > Sensitivity.CAP_MONTHS ? "> 20 years"
                : String.format(Locale.ROOT, "%.1f months", months);
    }

    private static double delta(Double months, double base, double cap) {
        return (months == null ? cap : Math.min(months, cap)) - base;
    }

    private static void plain(BarRenderer renderer) {
        renderer.setShadowVisible(false);
        renderer.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        renderer.setMaximumBarWidth(0.3);
    }

    private static XYSeries series(String label, double[] usd) {
        XYSeries series = new XYSeries(label, true, false);
        for (int m = 0; m < usd.length; m++) {
            series.add(m, usd[m]);
        }
        return series;
    }

    private static String money(double usd) {
        return String.format(Locale.ROOT, "%.2f", usd);
    }
}
