package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.catalog.CatalogLoader;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.SizingEngine;
import dev.headroom.sizing.WeightFormat;
import dev.headroom.sizing.Workload;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.title.LegendTitle;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: in a report a chart's text is in the report's type scale (no larger than its headings), and the
 * capacity label stays inside the plot where the line runs near the top.
 */
class ReportTypeScaleTest {
    private static final SizingEngine ENGINE = new SizingEngine(new CatalogLoader(null).load());

    /** Llama 3.1 70B in FP8 on 8 x H100: 62 of 72 GiB, the capacity line in the top tenth of the plot. */
    private static JFreeChart memoryChart() {
        Estimate e = ENGINE.estimate(new Scenario(Scenario.ModelSpec.catalog("llama-3.1-70b"), Workload.INFERENCE,
                null, new Scenario.Precision(WeightFormat.FP8, null, null, null), new Scenario.Shape(40, 32768, 1024),
                new Scenario.Parallelism(8, 1, 1, null, null, null, null, null, null, null), null,
                new Scenario.Hardware("h100-sxm", 8), null, null, null));
        return PlanCharts.memoryBars(List.of(new PlanCharts.Bar("Llama 3.1 70B", e)));
    }

    @Test
    void aReportChartsTextIsNoLargerThanTheReportsHeadingsAndItsTables() {
        JFreeChart chart = ChartExport.forReport(memoryChart(), "a footnote");
        TypeScale report = TypeScale.REPORT;

        assertThat(chart.getTitle().getFont().getSize2D()).isLessThan(report.heading());
        CategoryPlot plot = chart.getCategoryPlot();
        for (Axis axis : List.of(plot.getDomainAxis(), plot.getRangeAxis())) {
            assertThat(axis.getLabelFont().getSize2D()).isLessThanOrEqualTo(report.body());
            assertThat(axis.getTickLabelFont().getSize2D()).isLessThanOrEqualTo(report.body());
        }
        for (Object marker : plot.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND)) {
            assertThat(((org.jfree.chart.plot.Marker) marker).getLabelFont().getSize2D())
                    .isLessThanOrEqualTo(report.body());
        }
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            if (chart.getSubtitle(i) instanceof LegendTitle legend) {
                assertThat(legend.getItemFont().getSize2D()).isLessThanOrEqualTo(report.body());
            }
        }
        // a chart exported on its own keeps slide sizes
        assertThat(ChartExport.forExport(memoryChart(), null).getTitle().getFont().getSize2D())
                .isEqualTo(TypeScale.SLIDE.chartTitle());
    }

    /** The report's own footnote for this chart: two lines at the bottom, as on the report's first page. */
    private static final String FOOTNOTE = "Per GPU, most loaded GPU; GiB = 2^30 bytes. Dashed line: memory the runtime"
            + " may use on one h100-sxm. Source: Headroom sizing engine, assumptions in the report.";

    @Test
    void theCapacityLabelStaysInsideThePlotAtTheReportsChartSize() {
        capacityLabelInsideThePlot(ChartExport.forReport(memoryChart(), FOOTNOTE));
        capacityLabelInsideThePlot(ChartExport.forExport(memoryChart(), FOOTNOTE)); // slide sizes: a shorter plot
    }

    /** Where the marker draws its label (above or below its line, by its anchor), the label fits in the plot. */
    private static void capacityLabelInsideThePlot(JFreeChart chart) {
        BufferedImage image = new BufferedImage(495, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        ChartRenderingInfo info = new ChartRenderingInfo();
        chart.draw(g, new Rectangle(0, 0, 495, 300), info);
        Rectangle2D plot = info.getPlotInfo().getDataArea();
        CategoryPlot category = chart.getCategoryPlot();
        org.jfree.chart.plot.ValueMarker marker = (org.jfree.chart.plot.ValueMarker)
                category.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND).iterator().next();
        double line = category.getRangeAxis().valueToJava2D(marker.getValue(), plot, category.getRangeAxisEdge());
        double height = g.getFontMetrics(marker.getLabelFont()).getHeight()
                + marker.getLabelOffset().getTop() + marker.getLabelOffset().getBottom();
        g.dispose();
        boolean below = marker.getLabelAnchor().toString().contains("BOTTOM");
        if (below) {
            assertThat(line + height).as("label bottom against the plot's bottom").isLessThanOrEqualTo(plot.getMaxY());
        } else {
            assertThat(line - height).as("label top against the plot's top").isGreaterThanOrEqualTo(plot.getMinY());
        }
    }
}
