package dev.headroom.report;

import java.util.List;
import org.jfree.chart.JFreeChart;

/**
 * A document as data: sections of paragraphs, tables and charts. Plan and monitoring reports build one; the PDF,
 * HTML and Markdown writers render the same one, so the three formats always carry the same figures.
 */
public record Report(String title, String subtitle, List<Section> sections) {
    public record Section(String heading, List<Block> blocks) {
    }

    public sealed interface Block permits Paragraph, Table, Chart {
    }

    public record Paragraph(String text) implements Block {
    }

    public record Table(List<String> headers, List<List<String>> rows) implements Block {
    }

    /** @param name short file-safe name, used for the chart files beside a Markdown report */
    public record Chart(String name, JFreeChart chart, String footnote) implements Block {
    }

    public enum Format {
        PDF("pdf"), HTML("html"), MD("md");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        public String extension() {
            return extension;
        }

        /** "pdf", "html" or "md", any case; null when it is none of them. */
        public static Format parse(String text) {
            for (Format f : values()) {
                if (f.extension.equalsIgnoreCase(text)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** Writes the report atomically; Markdown also writes one PNG per chart beside the file. */
    public void write(Format format, java.nio.file.Path file) throws java.io.IOException {
        switch (format) {
            case PDF -> dev.headroom.common.AtomicFiles.write(file, out -> out.write(ReportPdf.render(this)));
            case HTML -> dev.headroom.common.AtomicFiles.writeString(file, ReportHtml.render(this));
            case MD -> ReportMarkdown.write(this, file);
        }
    }
}
