package dev.headroom.cli;

import static dev.headroom.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir
    Path folder;

    @org.junit.jupiter.api.extension.RegisterExtension
    final IsolatedUserCatalog userCatalog = new IsolatedUserCatalog();

    @Test
    void writesEachFormatFromASavedPlan() throws Exception {
        Path plan = folder.resolve("plan.json");
        assertThat(run("size", "--model", "llama-3.1-8b", "--gpu", "l40s", "--save", plan.toString()).code()).isZero();
        for (String format : new String[] {"pdf", "html", "md"}) {
            Path out = folder.resolve("report." + format);
            CliTest.Run run = run("report", plan.toString(), "--format", format, "-o", out.toString());
            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("wrote ");
            assertThat(Files.size(out)).isPositive();
        }
        try (PDDocument pdf = Loader.loadPDF(folder.resolve("report.pdf").toFile())) {
            assertThat(new PDFTextStripper().getText(pdf)).contains("Llama 3.1 8B").contains("l40s");
        }
        assertThat(Files.readString(folder.resolve("report.html"))).contains("Llama 3.1 8B");
    }

    /**
     * Issue 21: a warning that teaches reaches every place the plan is read: the CLI's text and JSON and the
     * report (Plan's results show the estimate's warnings as they are).
     */
    @Test
    void aTeachingWarningReachesTextJsonAndTheReport() throws Exception {
        String[] plan = {"size", "--model", "gpt-3-175b", "--workload", "pretrain", "--gpu", "a100-80gb-sxm",
            "--gpus", "384", "--tp", "8", "--pp", "12", "--dp", "4", "--train-tokens", "3e11"};
        String bubble = "12 stages and 1 micro-batch per step: the pipeline idles 92 % of the time; raise --grad-accum"
                + " to 48 or more";
        assertThat(run(plan).out()).contains(bubble);
        String[] json = java.util.Arrays.copyOf(plan, plan.length + 1);
        json[plan.length] = "--json";
        assertThat(run(json).json().get("warnings").toString()).contains(bubble);

        Path saved = folder.resolve("gpt3.headroom-plan");
        String[] save = java.util.Arrays.copyOf(plan, plan.length + 2);
        save[plan.length] = "--save";
        save[plan.length + 1] = saved.toString();
        assertThat(run(save).code()).isZero();
        Path pdf = folder.resolve("gpt3.pdf");
        assertThat(run("report", saved.toString(), "--format", "pdf", "-o", pdf.toString()).code()).isZero();
        try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
            assertThat(new PDFTextStripper().getText(document).replaceAll("\\s+", " ")).contains("the pipeline idles 92 %");
        }
    }

    @Test
    void badInputExitsTwoAndWritesNothing() {
        Path out = folder.resolve("r.pdf");
        CliTest.Run format = run("report", "x.json", "--format", "docx", "-o", out.toString());
        assertThat(format.code()).isEqualTo(2);
        assertThat(format.err()).contains("format = docx: must be pdf, html or md");
        CliTest.Run missing = run("report", folder.resolve("none.json").toString(), "--format", "pdf", "-o",
                out.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void aRecordingBecomesAMonitoringReport() throws Exception {
        Path out = folder.resolve("monitoring.pdf");
        CliTest.Run run = run("report", "src/test/resources/nvml/h200-recording.jsonl", "--format", "pdf", "-o",
                out.toString());
        assertThat(run.code()).as(run.err()).isZero();
        try (PDDocument pdf = Loader.loadPDF(out.toFile())) {
            assertThat(new PDFTextStripper().getText(pdf)).contains("GPU monitoring").contains("NVIDIA H200");
        }
    }
}
