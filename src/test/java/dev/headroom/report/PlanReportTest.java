package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.common.Format;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.SizingEngine;
import dev.headroom.sizing.WeightFormat;
import dev.headroom.sizing.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan report in its three formats, read back and held against the engine's own figures. */
class PlanReportTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();
    /** The architect's question: Llama-3.1-70B, 32k context, 40 users, FP8, on 8 x H100 with tp 8. */
    private static final Scenario PLAN = new Scenario(Scenario.ModelSpec.catalog("llama-3.1-70b"), Workload.INFERENCE,
            null, new Scenario.Precision(WeightFormat.FP8, null, null, null), new Scenario.Shape(40, 32768, 1024),
            new Scenario.Parallelism(8, 1, 1, null, null, null, null, null, null, null), null,
            new Scenario.Hardware("h100-sxm", 8), null, null, null);

    @TempDir
    Path folder;

    private final Estimate estimate = new SizingEngine(CATALOG).estimate(PLAN);

    @Test
    void pdfHasNumberedPagesWithTheModelAndTheTotals() throws Exception {
        Path file = folder.resolve("plan.pdf");
        PlanReport.build(CATALOG, PLAN, "plan.json").write(Report.Format.PDF, file);
        try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
            int pages = pdf.getNumberOfPages();
            assertThat(pages).isGreaterThanOrEqualTo(2);
            String text = new PDFTextStripper().getText(pdf);
            assertThat(text).contains("Llama 3.1 70B")
                    .contains(Format.gib(estimate.memory().totalBytes()))
                    .contains(Format.gib(estimate.memory().weightsBytes()))
                    .contains("page 1 of " + pages).contains("page " + pages + " of " + pages)
                    .contains("Assumptions and sources").contains("(70.55 B parameters");
        }
    }

    @Test
    void htmlCarriesTheEnginesFiguresAndAnInlineChart() throws Exception {
        Path file = folder.resolve("plan.html");
        PlanReport.build(CATALOG, PLAN, null).write(Report.Format.HTML, file);
        String html = Files.readString(file);
        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("<td>" + Format.gib(estimate.memory().totalBytes()) + "</td>")
                .contains("<td>" + Format.gib(estimate.memory().kvCacheBytes()) + "</td>")
                .contains("<td>" + Format.number(Math.rint(estimate.performance().outputTokensPerSecond())) + "</td>")
                .contains("<svg").contains("Memory per GPU")
                .contains("Costs: owning against renting");
    }

    @Test
    void markdownHasTablesAndItsChartBesideIt() throws Exception {
        Path file = folder.resolve("wiki.md");
        PlanReport.build(CATALOG, PLAN, null).write(Report.Format.MD, file);
        String md = Files.readString(file);
        assertThat(md).startsWith("# Plan: Llama 3.1 70B on 8\u00d7 h100-sxm")
                .contains("|Total per GPU (only stage)|" + Format.gib(estimate.memory().totalBytes()) + "|")
                .contains("![Memory per GPU](wiki-memory.png)");
        assertThat(ImageIO.read(folder.resolve("wiki-memory.png").toFile()).getWidth()).isEqualTo(1600);
    }

    /** An offloaded plan's report names its host memory, and its layout and links. */
    @Test
    void anOffloadedPlansReportNamesHostMemoryAndTheLayout() throws Exception {
        Scenario offloaded = new Scenario(Scenario.ModelSpec.catalog("llama-3.1-70b"), null, null,
                new Scenario.Precision(dev.headroom.sizing.WeightFormat.Q4_K_M, null, null, null),
                new Scenario.Shape(1, 4096, 512), null, null, new Scenario.Hardware("rtx-4090", 1, null,
                new Scenario.Offload(40, null, null, null), null), dev.headroom.sizing.RuntimeProfile.LLAMA_CPP,
                null, null);
        Path file = folder.resolve("offload.md");
        PlanReport.build(CATALOG, offloaded, null).write(Report.Format.MD, file);
        assertThat(Files.readString(file))
                .contains("|Host memory per node (39 layers on the GPU, 41 on the CPU)|20.8 GiB of 64.0 GiB, fits; read at 90 GB/s|")
                .contains("|Layout|1 node x 1 GPU (fast-link domain 1)|");
    }

    /** With a simulation of the plan, the report has a serving section: verdict, latency table, three charts. */
    @Test
    void aSimulatedPlanGainsAServingSectionInEveryFormat() throws Exception {
        dev.headroom.serving.Simulation simulation = new dev.headroom.serving.Simulation(CATALOG);
        dev.headroom.serving.SimulationResult run = simulation.run(new dev.headroom.serving.Simulation.Input(PLAN,
                dev.headroom.serving.Load.open(new dev.headroom.serving.Arrivals.Poisson(), 2,
                        new dev.headroom.serving.Lengths.Fixed(4000), new dev.headroom.serving.Lengths.Fixed(400)),
                dev.headroom.serving.RunLength.ofRequests(500), dev.headroom.serving.ClusterSpec.single(), null,
                new dev.headroom.serving.Slo(2.0, 0.1), 0), null, null);
        Path md = folder.resolve("served.md");
        PlanReport.build(CATALOG, PLAN, null, run).write(Report.Format.MD, md);
        assertThat(Files.readString(md)).contains("## Serving under load", "Verdict: " + run.verdict(),
                "|Time to first token|" + Format.time(run.ttftSeconds().p50()) + "|",
                "(served-serving-latency-cdf.png)", "(served-serving-queue.png)");
        assertThat(ImageIO.read(folder.resolve("served-serving-latency-cdf.png").toFile()).getWidth()).isEqualTo(1600);

        Path pdf = folder.resolve("served.pdf");
        PlanReport.build(CATALOG, PLAN, null, run).write(Report.Format.PDF, pdf);
        try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
            assertThat(new PDFTextStripper().getText(document)).contains("Serving under load", "Goodput");
        }
    }
}
