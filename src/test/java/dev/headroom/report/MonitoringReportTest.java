package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.telemetry.AlertRule;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.Recording;
import dev.headroom.telemetry.Statistics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report from the recording taken on a real H200 (src/test/resources/nvml), read back. */
class MonitoringReportTest {
    private static final Path RECORDING = Path.of("src/test/resources/nvml/h200-recording.jsonl");

    @TempDir
    Path folder;

    @Test
    void pdfAndHtmlCarryThePerGpuSummaryOfTheRecording() throws Exception {
        Recording.Contents contents = Recording.read(RECORDING);
        Statistics.Summary power = Statistics.of(contents, AlertRule.defaults()).gpus().get(0).metrics()
                .get(Metric.POWER.key());
        String mean = String.format(Locale.ROOT, "%.1f W", power.mean());
        String max = String.format(Locale.ROOT, "%.1f W", power.max());
        Report report = MonitoringReport.build(contents, "h200-recording.jsonl");

        Path pdf = folder.resolve("monitoring.pdf");
        report.write(Report.Format.PDF, pdf);
        try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
            String text = new PDFTextStripper().getText(document);
            assertThat(document.getNumberOfPages()).isGreaterThanOrEqualTo(2);
            assertThat(text).contains("NVIDIA H200").contains("Power draw").contains(mean).contains(max)
                    .contains(contents.ticks().size() + " ticks").contains("Alerts (default rules)")
                    .contains("page 1 of " + document.getNumberOfPages());
        }
        Path html = folder.resolve("monitoring.html");
        report.write(Report.Format.HTML, html);
        assertThat(Files.readString(html)).contains("<td>" + mean + "</td>").contains("<svg");
    }
}
