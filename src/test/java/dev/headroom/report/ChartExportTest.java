package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.cost.CostAssumptions;
import dev.headroom.cost.CostEngine;
import dev.headroom.cost.CostOption;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** Exports read back: PNG pixels and resolution, SVG as XML with its text, PDF pages rendered by PDFBox. */
class ChartExportTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();

    @TempDir
    Path folder;

    /** The Costs chart: parentheses, "x" signs and dollar amounts in its labels, which broke naive PDF text. */
    private static JFreeChart chart() {
        CostOption o = new CostEngine(CATALOG).owned(CATALOG.requireGpu("h100-sxm"), 8, 1400.0, CostAssumptions.NONE);
        return CostCharts.cumulative(o, o.versus().subList(0, 3));
    }

    @Test
    void pngHasTheChosenSizeScaleAndResolution() throws Exception {
        for (double scale : new double[] {1, 2, ChartExport.PRINT_SCALE}) {
            Path file = folder.resolve("chart-" + scale + ".png");
            ChartExport.write(chart(), "Assumptions: defaults", ChartExport.Format.PNG, file, 540, 304, scale);
            BufferedImage image = ImageIO.read(file.toFile());
            assertThat(image.getWidth()).isEqualTo((int) Math.round(540 * scale));
            assertThat(image.getHeight()).isEqualTo((int) Math.round(304 * scale));
            assertThat(dotsPerInch(file)).isCloseTo(72 * scale, org.assertj.core.data.Offset.offset(0.5));
        }
        // 300 dpi at 7.5 x 4.2 inches
        assertThat(ImageIO.read(folder.resolve("chart-" + ChartExport.PRINT_SCALE + ".png").toFile()).getWidth())
                .isEqualTo(2250);
    }

    @Test
    void svgIsWellFormedWithTitleAxisLabelsAndFootnoteAsText() throws Exception {
        Path file = folder.resolve("chart.svg");
        ChartExport.write(chart(), "Assumptions: electricity 0.0826", ChartExport.Format.SVG, file, 800, 450, 1);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document svg = factory.newDocumentBuilder().parse(file.toFile());
        NodeList texts = svg.getElementsByTagNameNS("*", "text");
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) {
            strings.add(texts.item(i).getTextContent());
        }
        assertThat(strings).contains("Cumulative cost, owned vs cloud", "Months from purchase", "US$", "200,000",
                "Assumptions: electricity 0.0826");
        assertThat(svg.getDocumentElement().getAttribute("width")).isIn("800", "800.0");
    }

    @Test
    void pdfIsOnePageOfTheChosenSizeAndRendersInk() throws Exception {
        Path file = folder.resolve("chart.pdf");
        ChartExport.write(chart(), "footnote", ChartExport.Format.PDF, file, 800, 450, 1);
        try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
            assertThat(pdf.getNumberOfPages()).isEqualTo(1);
            assertThat(pdf.getPage(0).getMediaBox().getWidth()).isEqualTo(800f);
            BufferedImage page = new PDFRenderer(pdf).renderImage(0, 1);
            int dark = 0;
            for (int x = 0; x < page.getWidth(); x += 2) {
                for (int y = 0; y < page.getHeight(); y += 2) {
                    if ((page.getRGB(x, y) & 0xff) < 128) {
                        dark++;
                    }
                }
            }
            assertThat(dark).isGreaterThan(1000); // title, axes, lines and labels drew
        }
    }

    @Test
    void aFailedExportLeavesNoFileBehind() throws IOException {
        Path blocker = Files.writeString(folder.resolve("not-a-folder"), "x");
        Path target = blocker.resolve("chart.png");
        assertThatThrownBy(() -> ChartExport.write(chart(), "", ChartExport.Format.PNG, target, 100, 100, 1))
                .isInstanceOf(IOException.class);
        assertThat(Files.exists(target)).isFalse();
        try (var files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("not-a-folder");
        }
    }

    @Test
    void theScreenChartIsLeftAsItWas() {
        JFreeChart chart = chart();
        java.awt.Font before = chart.getTitle().getFont();
        int subtitles = chart.getSubtitleCount();
        ChartExport.forExport(chart, "a footnote");
        assertThat(chart.getTitle().getFont()).isEqualTo(before);
        assertThat(chart.getSubtitleCount()).isEqualTo(subtitles);
    }

    private static double dotsPerInch(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            IIOMetadata metadata = reader.getImageMetadata(0);
            org.w3c.dom.Node root = metadata.getAsTree("javax_imageio_png_1.0");
            NodeList physical = ((org.w3c.dom.Element) root).getElementsByTagName("pHYs");
            double perMetre = Double.parseDouble(((org.w3c.dom.Element) physical.item(0)).getAttribute("pixelsPerUnitXAxis"));
            return perMetre * 0.0254;
        }
    }
}
