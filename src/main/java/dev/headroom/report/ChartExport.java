package dev.headroom.report;

import dev.headroom.common.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.pdf.PDFDocument;
import org.jfree.pdf.Page;
import org.jfree.svg.SVGGraphics2D;

/**
 * Writes a chart to PNG, SVG or PDF in the export theme: a copy of the screen chart, light whatever the app's theme,
 * with slide-sized fonts, dashed series so it reads in grey-scale, and a footnote of assumptions and sources. Files
 * are written atomically, so a failure leaves no half-written file.
 */
public final class ChartExport {
    /** Sizes are in points (1/72 inch); a PNG at {@code scale} 2 has twice the pixels, at 300/72 it is 300 dpi. */
    public enum Format { PNG, SVG, PDF }

    public static final double PRINT_SCALE = 300.0 / 72.0;
    private static final float[][] DASHES = {null, {10f, 5f}, {3f, 4f}, {12f, 4f, 3f, 4f}, {6f, 6f}, {2f, 2f}};

    static {
        // JFreeChart draws rotated text (the vertical axis label) through a TextLayout by default, a workaround for
        // JDKs before 6; vector outputs then get glyph outlines instead of text. Plain drawString is right on JDK 17.
        org.jfree.chart.text.TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    private ChartExport() {
    }

    public static void write(JFreeChart chart, String footnote, Format format, Path file, int width, int height,
                             double scale) throws IOException {
        writeThemed(forExport(chart, footnote), format, file, width, height, scale);
    }

    /** Writes a chart already in the export theme (see {@link #forExport}), e.g. copied on the thread that owns it. */
    public static void writeThemed(JFreeChart themed, Format format, Path file, int width, int height, double scale)
            throws IOException {
        switch (format) {
            case PNG -> AtomicFiles.write(file, out -> writePng(image(themed, width, height, scale), scale, out));
            case SVG -> AtomicFiles.writeString(file, svg(themed, width, height));
            case PDF -> AtomicFiles.write(file, out -> out.write(pdf(themed, width, height)));
        }
    }

    /** The chart drawn into an image of width x scale by height x scale pixels (also what goes to the clipboard). */
    public static BufferedImage image(JFreeChart chart, int width, int height, double scale) {
        BufferedImage image = new BufferedImage((int) Math.round(width * scale), (int) Math.round(height * scale),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.scale(scale, scale);
        chart.draw(g, new Rectangle(0, 0, width, height));
        g.dispose();
        return image;
    }

    static String svg(JFreeChart chart, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle(0, 0, width, height));
        return g.getSVGDocument();
    }

    static byte[] pdf(JFreeChart chart, int width, int height) {
        PDFDocument document = new PDFDocument();
        document.setTitle(chart.getTitle() == null ? "Headroom chart" : chart.getTitle().getText());
        document.setAuthor("Headroom");
        Page page = document.createPage(new Rectangle(width, height));
        drawForPdf(chart, page.getGraphics2D(), new Rectangle(0, 0, width, height));
        return document.getPDFBytes();
    }

    /**
     * JFreePDF writes strings into the content stream unescaped and in Latin-1 fonts, so a chart label with a
     * parenthesis or a "\u00d7" breaks the page; chart text is drawn as outlines instead, which also keeps its font.
     */
    static void drawForPdf(JFreeChart chart, Graphics2D g, Rectangle area) {
        Object before = g.getRenderingHint(org.jfree.pdf.PDFHints.KEY_DRAW_STRING_TYPE);
        g.setRenderingHint(org.jfree.pdf.PDFHints.KEY_DRAW_STRING_TYPE,
                org.jfree.pdf.PDFHints.VALUE_DRAW_STRING_TYPE_VECTOR);
        chart.draw(g, area);
        if (before != null) {
            g.setRenderingHint(org.jfree.pdf.PDFHints.KEY_DRAW_STRING_TYPE, before);
        } else {
            g.setRenderingHint(org.jfree.pdf.PDFHints.KEY_DRAW_STRING_TYPE,
                    org.jfree.pdf.PDFHints.VALUE_DRAW_STRING_TYPE_STANDARD);
        }
    }

    /** A copy of the chart in the export theme, at slide sizes; the screen chart is left as it is. */
    public static JFreeChart forExport(JFreeChart chart, String footnote) {
        return themed(chart, footnote, TypeScale.SLIDE);
    }

    /** As {@link #forExport}, with the text in the report's type scale (no larger than its headings). */
    static JFreeChart forReport(JFreeChart chart, String footnote) {
        return themed(chart, footnote, TypeScale.REPORT);
    }

    private static JFreeChart themed(JFreeChart chart, String footnote, TypeScale type) {
        JFreeChart copy;
        try {
            copy = (JFreeChart) chart.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("JFreeChart charts are cloneable", e);
        }
        copy.setBackgroundPaint(Color.WHITE);
        copy.setPadding(new RectangleInsets(12, 12, 12, 12));
        if (copy.getTitle() != null) {
            copy.getTitle().setFont(TypeScale.bold(type.chartTitle()));
            copy.getTitle().setPaint(Color.BLACK);
        }
        for (int i = 0; i < copy.getSubtitleCount(); i++) {
            if (copy.getSubtitle(i) instanceof LegendTitle legend) {
                legend.setItemFont(TypeScale.plain(type.legend()));
                legend.setBackgroundPaint(Color.WHITE);
            }
        }
        if (footnote != null && !footnote.isBlank()) {
            TextTitle note = new TextTitle(footnote, TypeScale.plain(type.footnote()));
            note.setPosition(RectangleEdge.BOTTOM);
            note.setHorizontalAlignment(HorizontalAlignment.LEFT);
            note.setPaint(new Color(0x444444));
            note.setPadding(new RectangleInsets(8, 0, 0, 0));
            copy.addSubtitle(note);
        }
        if (copy.getPlot() instanceof org.jfree.chart.plot.CombinedDomainXYPlot combined) {
            axis(combined.getDomainAxis(), type);
            for (XYPlot plot : combined.getSubplots()) {
                forPrint(plot, type);
            }
        } else if (copy.getPlot() instanceof XYPlot plot) {
            forPrint(plot, type);
        } else if (copy.getPlot() instanceof CategoryPlot plot) {
            plot.setBackgroundPaint(Color.WHITE);
            axis(plot.getDomainAxis(), type);
            axis(plot.getRangeAxis(), type);
            markers(plot.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND), type);
        }
        if (copy.getPlot() instanceof XYPlot plot) {
            markers(plot.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND), type);
            markers(plot.getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND), type);
        }
        return copy;
    }

    /** Print fonts, and dashes that tell the series apart without colour. */
    private static void forPrint(XYPlot plot, TypeScale type) {
        plot.setBackgroundPaint(Color.WHITE);
        axis(plot.getDomainAxis(), type);
        axis(plot.getRangeAxis(), type);
        XYItemRenderer renderer = plot.getRenderer();
        for (int s = 0; s < plot.getDataset().getSeriesCount(); s++) {
            float[] dash = DASHES[s % DASHES.length];
            renderer.setSeriesStroke(s, dash == null ? new BasicStroke(2.5f)
                    : new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f));
        }
    }

    /** Marker labels (capacity, targets, the plan's context) at the size of the legend. */
    private static void markers(java.util.Collection<?> markers, TypeScale type) {
        if (markers != null) {
            for (Object marker : markers) {
                ((org.jfree.chart.plot.Marker) marker).setLabelFont(TypeScale.plain(type.legend()));
            }
        }
    }

    private static void axis(Axis axis, TypeScale type) {
        if (axis != null) {
            axis.setLabelFont(TypeScale.bold(type.axisLabel()));
            axis.setTickLabelFont(TypeScale.plain(type.tickLabel()));
            axis.setLabelPaint(Color.BLACK);
            axis.setTickLabelPaint(Color.BLACK);
        }
    }

    /** PNG with its resolution recorded (pHYs), so 300 dpi exports print at their size. */
    private static void writePng(BufferedImage image, double scale, java.io.OutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            IIOMetadata metadata = writer.getDefaultImageMetadata(
                    ImageTypeSpecifier.createFromRenderedImage(image), writer.getDefaultWriteParam());
            // The PNG's own pHYs chunk, in pixels per metre (the standard-format route is mis-scaled by the JDK).
            String perMetre = Long.toString(Math.round(72 * scale / 0.0254));
            IIOMetadataNode physical = new IIOMetadataNode("pHYs");
            physical.setAttribute("pixelsPerUnitXAxis", perMetre);
            physical.setAttribute("pixelsPerUnitYAxis", perMetre);
            physical.setAttribute("unitSpecifier", "meter");
            IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
            root.appendChild(physical);
            metadata.mergeTree("javax_imageio_png_1.0", root);
            writer.write(null, new IIOImage(image, null, metadata), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
    }

}
