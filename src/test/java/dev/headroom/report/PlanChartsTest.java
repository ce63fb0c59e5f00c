package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.SizingEngine;
import dev.headroom.sizing.Sweeps;
import dev.headroom.sizing.WeightFormat;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KV-per-token chart: built from the engine's sweep, it falls with the context and exports like the others. */
class PlanChartsTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();
    private static final SizingEngine ENGINE = new SizingEngine(CATALOG);

    @TempDir
    Path folder;

    private static JFreeChart gemma2Chart() {
        Scenario s = new Scenario(Scenario.ModelSpec.catalog("gemma-2-9b"), null, null,
                new Scenario.Precision(WeightFormat.BF16, null, null, null), new Scenario.Shape(8, 2048, 512), null,
                null, new Scenario.Hardware("h100-sxm", 1), null, null, null);
        // gemma-2-9b's context is 8,192 tokens (config.json max_position_embeddings)
        return PlanCharts.kvPerTokenByContext(new Sweeps(ENGINE).kvPerTokenByContext(s, 8192, 6), 2560);
    }

    @Test
    void kvPerTokenFallsWithContextForSlidingWindowLayersOnALogAxis() {
        JFreeChart chart = gemma2Chart();
        XYDataset data = chart.getXYPlot().getDataset();
        int n = data.getItemCount(0);
        // 344,064 B = 336 KiB per token while the 4,096 windows are open; 258,048 B = 252 KiB at 8,192 tokens
        assertThat(data.getYValue(0, 0)).isEqualTo(336.0);
        assertThat(data.getYValue(0, n - 1)).isEqualTo(252.0);
        for (int i = 1; i < n; i++) {
            assertThat(data.getYValue(0, i)).isLessThanOrEqualTo(data.getYValue(0, i - 1));
        }
        assertThat(chart.getXYPlot().getDomainAxis()).isInstanceOf(LogAxis.class);
        assertThat(chart.getXYPlot().getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND)).hasSize(1);
    }

    @Test
    void exportsToPngSvgAndPdfThatReadBack() throws Exception {
        JFreeChart chart = gemma2Chart();
        Path png = folder.resolve("kv.png");
        ChartExport.write(chart, "Gemma 2 9B, bf16", ChartExport.Format.PNG, png, 800, 450, 2);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1600);
        assertThat(image.getHeight()).isEqualTo(900);

        Path svg = folder.resolve("kv.svg");
        ChartExport.write(chart, "Gemma 2 9B, bf16", ChartExport.Format.SVG, svg, 800, 450, 1);
        var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        org.w3c.dom.NodeList texts = factory.newDocumentBuilder().parse(svg.toFile()).getElementsByTagNameNS("*", "text");
        java.util.List<String> strings = new java.util.ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) {
            strings.add(texts.item(i).getTextContent());
        }
        assertThat(strings).contains("KV cache per token by context length", "KiB per token",
                "Tokens per sequence (log scale)", "Gemma 2 9B, bf16", "4,096");

        Path pdf = folder.resolve("kv.pdf");
        ChartExport.write(chart, "Gemma 2 9B, bf16", ChartExport.Format.PDF, pdf, 800, 450, 1);
        assertThat(Files.size(pdf)).isPositive();
        try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
            assertThat(document.getNumberOfPages()).isEqualTo(1);
            assertThat(document.getPage(0).getMediaBox().getWidth()).isEqualTo(800f);
            BufferedImage page = new org.apache.pdfbox.rendering.PDFRenderer(document).renderImage(0, 1);
            int dark = 0;
            for (int x = 0; x < page.getWidth(); x += 2) {
                for (int y = 0; y < page.getHeight(); y += 2) {
                    if ((page.getRGB(x, y) & 0xff) < 128) {
                        dark++;
                    }
                }
            }
            assertThat(dark).isGreaterThan(1000); // title, axes, the curve and labels drew (text is outlines in PDF)
        }
    }
}
