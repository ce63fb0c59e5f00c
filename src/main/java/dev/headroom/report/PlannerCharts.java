package dev.headroom.report;

import dev.headroom.planner.Candidate;
import dev.headroom.planner.Recommendation;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.HashSet;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The recommender's chart: monthly cost against p99 TTFT, the Pareto front joined, the rest as points. */
public final class PlannerCharts {
    /** Series 0 is the front, 1 the other candidates that meet the targets; item i of each is candidate index. */
    public static final int FRONT = 0;
    public static final int OTHERS = 1;

    private PlannerCharts() {
    }

    public static JFreeChart pareto(Recommendation r) {
        XYSeries front = new XYSeries("Pareto front", true, true);
        XYSeries others = new XYSeries("Other candidates", false, true);
        Set<Integer> onFront = new HashSet<>(r.pareto());
        for (int i = 0; i < r.candidates().size(); i++) {
            Candidate c = r.candidates().get(i);
            if (!c.meetsSlo() || c.ttftP99Seconds() == null) {
                continue;
            }
            (onFront.contains(i) ? front : others).add(c.costPerMonthUsd(), c.ttftP99Seconds() * 1e3);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(front);
        data.addSeries(others);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesLinesVisible(FRONT, true);
        renderer.setSeriesLinesVisible(OTHERS, false);
        renderer.setSeriesPaint(FRONT, PlanCharts.COLORS[0]);
        renderer.setSeriesPaint(OTHERS, new Color(0x9a9a9a));
        renderer.setSeriesStroke(FRONT, new BasicStroke(2f));
        renderer.setDefaultToolTipGenerator((dataset, series, item) -> String.format(java.util.Locale.ROOT,
                "$%,.0f/month, p99 TTFT %.0f ms", dataset.getXValue(series, item), dataset.getYValue(series, item)));
        NumberAxis cost = new NumberAxis("Cost per month (USD)");
        cost.setNumberFormatOverride(new java.text.DecimalFormat("$#,##0"));
        cost.setAutoRangeIncludesZero(false);
        NumberAxis ttft = new NumberAxis("p99 time to first token (ms)");
        ttft.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(data, cost, ttft, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart chart = new JFreeChart("Cost against latency", new Font("SansSerif", Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        return chart;
    }
}
