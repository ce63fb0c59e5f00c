package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.cost.CostAssumptions;
import dev.headroom.cost.CostEngine;
import dev.headroom.cost.CostOption;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYAnnotation;
import org.jfree.chart.annotations.XYPointerAnnotation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.text.TextUtils;
import org.junit.jupiter.api.Test;

/** Issue 21: break-even labels of crossovers a month apart do not overlap on the owned-vs-cloud chart. */
class BreakEvenLabelsTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();

    @Test
    void closeCrossoversGetLabelsThatDoNotOverlap() {
        CostOption o = new CostEngine(CATALOG).owned(CATALOG.requireGpu("h100-sxm"), 8, 1400.0, CostAssumptions.NONE);
        List<CostOption.Versus> close = new ArrayList<>();
        int month = 14;
        for (CostOption.Versus v : o.versus().subList(0, 4)) {
            close.add(new CostOption.Versus(v.offer(), v.provider(), v.instanceType(), v.pricing(), v.gpuHourUsd(),
                    v.priceDate(), v.monthlyUsd(), v.cumulativeUsd(), month++, v.breakEvenUtilization(),
                    v.costPerMillionTokensUsd()));
        }
        JFreeChart chart = CostCharts.cumulative(o, close);
        BufferedImage image = new BufferedImage(1000, 560, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        ChartRenderingInfo info = new ChartRenderingInfo();
        chart.draw(g, new Rectangle(0, 0, 1000, 560), info);
        Rectangle2D area = info.getPlotInfo().getDataArea();
        XYPlot plot = chart.getXYPlot();

        List<Rectangle2D> boxes = new ArrayList<>();
        for (XYAnnotation annotation : plot.getAnnotations()) {
            if (annotation instanceof XYPointerAnnotation label) {
                double x = plot.getDomainAxis().valueToJava2D(label.getX(), area, plot.getDomainAxisEdge());
                double y = plot.getRangeAxis().valueToJava2D(label.getY(), area, plot.getRangeAxisEdge());
                double reach = label.getBaseRadius() + label.getLabelOffset();
                g.setFont(label.getFont());
                Shape bounds = TextUtils.calculateRotatedStringBounds(label.getText(), g,
                        (float) (x + Math.cos(label.getAngle()) * reach), (float) (y + Math.sin(label.getAngle()) * reach),
                        label.getTextAnchor(), label.getRotationAngle(), label.getRotationAnchor());
                boxes.add(bounds.getBounds2D());
            }
        }
        g.dispose();

        assertThat(boxes).hasSize(4);
        for (int i = 0; i < boxes.size(); i++) {
            for (int j = i + 1; j < boxes.size(); j++) {
                assertThat(boxes.get(i).intersects(boxes.get(j))).as("labels " + i + " and " + j).isFalse();
            }
        }
    }
}
