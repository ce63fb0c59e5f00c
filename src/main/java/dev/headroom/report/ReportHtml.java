package dev.headroom.report;

/** One self-contained HTML file: charts inline as SVG, tables as tables, printable as it is. */
final class ReportHtml {
    static final int CHART_WIDTH = 800;
    static final int CHART_HEIGHT = 450;

    private ReportHtml() {
    }

    static String render(Report report) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(report.title())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#111}")
                .append("table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #bbb;padding:.25em .6em;")
                .append("text-align:left;vertical-align:top}th{background:#eee}.note{color:#555;font-size:.9em}")
                .append("figure{margin:1em 0}svg{max-width:100%;height:auto}</style></head><body>\n");
        html.append("<h1>").append(escape(report.title())).append("</h1>\n<p class=\"note\">")
                .append(escape(report.subtitle())).append("</p>\n");
        for (Report.Section section : report.sections()) {
            html.append("<h2>").append(escape(section.heading())).append("</h2>\n");
            for (Report.Block block : section.blocks()) {
                if (block instanceof Report.Paragraph p) {
                    html.append("<p>").append(escape(p.text())).append("</p>\n");
                } else if (block instanceof Report.Table t) {
                    table(html, t);
                } else if (block instanceof Report.Chart c) {
                    html.append("<figure>").append(ChartExport.svg(ChartExport.forExport(c.chart(), c.footnote()),
                            CHART_WIDTH, CHART_HEIGHT).replaceFirst("<\\?xml[^>]*>", "")).append("</figure>\n");
                }
            }
        }
        return html.append("</body></html>\n").toString();
    }

    private static void table(StringBuilder html, Report.Table t) {
        html.append("<table><thead><tr>");
        t.headers().forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr></thead><tbody>\n");
        for (java.util.List<String> row : t.rows()) {
            html.append("<tr>");
            row.forEach(cell -> html.append("<td>").append(escape(cell)).append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
