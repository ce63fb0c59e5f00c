package dev.headroom.report;

import dev.headroom.common.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/** Markdown for wikis: GitHub-style tables, and each chart as a PNG beside the file, linked by name. */
final class ReportMarkdown {
    private ReportMarkdown() {
    }

    static void write(Report report, Path file) throws IOException {
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        StringBuilder md = new StringBuilder(8_192);
        md.append("# ").append(report.title()).append("\n\n_").append(report.subtitle()).append("_\n");
        for (Report.Section section : report.sections()) {
            md.append("\n## ").append(section.heading()).append("\n\n");
            for (Report.Block block : section.blocks()) {
                if (block instanceof Report.Paragraph p) {
                    md.append(p.text()).append("\n\n");
                } else if (block instanceof Report.Table t) {
                    md.append('|').append(String.join("|", t.headers().stream().map(ReportMarkdown::cell).toList()))
                            .append("|\n|").append("---|".repeat(t.headers().size())).append('\n');
                    for (java.util.List<String> row : t.rows()) {
                        md.append('|').append(String.join("|", row.stream().map(ReportMarkdown::cell).toList()))
                                .append("|\n");
                    }
                    md.append('\n');
                } else if (block instanceof Report.Chart c) {
                    String name = stem + "-" + c.name() + ".png";
                    ChartExport.write(c.chart(), c.footnote(), ChartExport.Format.PNG, file.resolveSibling(name),
                            ReportHtml.CHART_WIDTH, ReportHtml.CHART_HEIGHT, 2);
                    md.append("![").append(c.chart().getTitle() == null ? c.name() : c.chart().getTitle().getText())
                            .append("](").append(name).append(")\n\n");
                }
            }
        }
        AtomicFiles.writeString(file, md.toString());
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
