package dev.headroom.report;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.cost.CostAssumptions;
import dev.headroom.cost.CostEngine;
import dev.headroom.cost.CostOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jfree.chart.JFreeChart;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Chart export to disk, the whole path (export theme copy, drawing, encoding, atomic write): a 1920 x 1080 PNG and a
 * one-chart PDF. Targets: median under 300 ms and 150 ms. JMH sample mode reports the median as p0.50.
 * {@code mvn -B -Pbench verify -Dbench.args=ExportBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExportBenchmark {
    private JFreeChart chart;
    private Path folder;

    @Setup
    public void setUp() throws IOException {
        Catalog catalog = new CatalogLoader(null).load();
        CostOption o = new CostEngine(catalog).owned(catalog.requireGpu("h100-sxm"), 8, 1400.0, CostAssumptions.NONE);
        chart = CostCharts.cumulative(o, o.versus().subList(0, 4));
        folder = Files.createTempDirectory("headroom-bench");
    }

    @TearDown
    public void tearDown() throws IOException {
        try (var files = Files.list(folder)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(folder);
    }

    @Benchmark
    public Path png1920x1080() throws IOException {
        Path file = folder.resolve("chart.png");
        ChartExport.write(chart, "Assumptions: defaults", ChartExport.Format.PNG, file, 1920, 1080, 1);
        return file;
    }

    @Benchmark
    public Path onePagePdf() throws IOException {
        Path file = folder.resolve("chart.pdf");
        ChartExport.write(chart, "Assumptions: defaults", ChartExport.Format.PDF, file, 800, 450, 1);
        return file;
    }
}
