package dev.headroom.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jfree.pdf.PDFDocument;
import org.jfree.pdf.PDFGraphics2D;
import org.jfree.pdf.Page;

/**
 * A multi-page A4 PDF: text, tables and vector charts drawn through JFreePDF. Layout runs first, into pages of
 * drawing steps, so the footer can say "page i of n".
 */
final class ReportPdf {
    private static final int WIDTH = 595;
    private static final int HEIGHT = 842;
    private static final int MARGIN = 50;
    private static final int CONTENT = WIDTH - 2 * MARGIN;
    private static final int BOTTOM = HEIGHT - MARGIN - 20;
    // the report's type scale, which its charts share (ChartExport.forReport)
    private static final Font TITLE = TypeScale.bold(TypeScale.REPORT.title());
    private static final Font HEADING = TypeScale.bold(TypeScale.REPORT.heading());
    private static final Font BODY = TypeScale.plain(TypeScale.REPORT.body());
    private static final Font CELL = TypeScale.plain(TypeScale.REPORT.small());
    private static final Font CELL_BOLD = TypeScale.bold(TypeScale.REPORT.small());
    private static final int CHART_HEIGHT = 300;

    private final List<List<Consumer<Graphics2D>>> pages = new ArrayList<>();
    private final Graphics2D measure = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    private int y;

    private ReportPdf() {
        newPage();
    }

    static byte[] render(Report report) {
        ReportPdf layout = new ReportPdf();
        layout.lines(report.title(), TITLE, Color.BLACK, 6);
        layout.lines(report.subtitle(), BODY, Color.DARK_GRAY, 10);
        for (Report.Section section : report.sections()) {
            layout.need(60);
            layout.y += 8;
            layout.lines(section.heading(), HEADING, Color.BLACK, 4);
            for (Report.Block block : section.blocks()) {
                if (block instanceof Report.Paragraph p) {
                    layout.lines(p.text(), BODY, Color.BLACK, 6);
                } else if (block instanceof Report.Table t) {
                    layout.table(t);
                } else if (block instanceof Report.Chart c) {
                    layout.chart(c);
                }
            }
        }
        return layout.draw(report.title());
    }

    private byte[] draw(String title) {
        PDFDocument document = new PDFDocument();
        document.setTitle(latin1(title));
        document.setAuthor("Headroom");
        for (int i = 0; i < pages.size(); i++) {
            Page page = document.createPage(new Rectangle(WIDTH, HEIGHT));
            PDFGraphics2D g = page.getGraphics2D();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            for (Consumer<Graphics2D> step : pages.get(i)) {
                step.accept(g);
            }
            String footer = latin1("Headroom \u2014 " + title + " \u2014 page " + (i + 1) + " of " + pages.size());
            g.setFont(CELL);
            g.setColor(Color.GRAY);
            g.drawString(footer, MARGIN, HEIGHT - MARGIN / 2);
        }
        return document.getPDFBytes();
    }

    private void newPage() {
        pages.add(new ArrayList<>());
        y = MARGIN;
    }

    private void need(int height) {
        if (y + height > BOTTOM) {
            newPage();
        }
    }

    private void add(Consumer<Graphics2D> step) {
        pages.get(pages.size() - 1).add(step);
    }

    private void lines(String text, Font font, Color color, int after) {
        FontMetrics metrics = measure.getFontMetrics(font);
        for (String line : wrap(latin1(text == null ? "" : text), metrics, CONTENT)) {
            need(metrics.getHeight());
            int baseline = y + metrics.getAscent();
            add(g -> {
                g.setFont(font);
                g.setColor(color);
                g.drawString(line, MARGIN, baseline);
            });
            y += metrics.getHeight();
        }
        y += after;
    }

    private void table(Report.Table t) {
        FontMetrics metrics = measure.getFontMetrics(CELL);
        int columns = t.headers().size();
        int[] widths = columnWidths(t, metrics, columns);
        int rowHeight = metrics.getHeight() + 4;
        row(t.headers(), widths, metrics, rowHeight, true);
        for (List<String> row : t.rows()) {
            int page = pages.size();
            row(row, widths, metrics, rowHeight, false);
            if (pages.size() > page) { // the row moved to a new page: repeat the header above it
                List<Consumer<Graphics2D>> steps = pages.get(pages.size() - 1);
                Consumer<Graphics2D> moved = steps.remove(steps.size() - 1);
                int rowTop = MARGIN;
                int movedHeight = y - rowTop;
                y = rowTop;
                row(t.headers(), widths, metrics, rowHeight, true);
                int shift = y - rowTop;
                steps.add(g -> {
                    g.translate(0, shift);
                    moved.accept(g);
                    g.translate(0, -shift);
                });
                y += movedHeight;
            }
        }
        y += 8;
    }

    /** A row as tall as its longest cell, wrapped to the column; headers stay on one line. */
    private void row(List<String> cells, int[] widths, FontMetrics metrics, int lineHeight, boolean header) {
        List<List<String>> wrapped = new ArrayList<>();
        int lines = 1;
        for (int i = 0; i < widths.length; i++) {
            String text = latin1(i < cells.size() && cells.get(i) != null ? cells.get(i) : "");
            List<String> cell = header ? List.of(fit(text, metrics, widths[i] - 6))
                    : wrap(text, metrics, widths[i] - 6).stream().limit(6).toList();
            wrapped.add(cell);
            lines = Math.max(lines, cell.size());
        }
        int height = lines * (lineHeight - 4) + 4;
        if (y + height > BOTTOM) {
            newPage();
        }
        int top = y;
        add(g -> {
            int x = MARGIN;
            if (header) {
                g.setColor(new Color(0xeeeeee));
                g.fillRect(MARGIN, top, CONTENT, height);
            }
            g.setColor(new Color(0xbbbbbb));
            g.drawLine(MARGIN, top + height, MARGIN + CONTENT, top + height);
            g.setFont(header ? CELL_BOLD : CELL);
            g.setColor(Color.BLACK);
            for (int i = 0; i < widths.length; i++) {
                List<String> cell = wrapped.get(i);
                for (int l = 0; l < cell.size(); l++) {
                    g.drawString(cell.get(l), x + 3, top + 2 + metrics.getAscent() + l * (lineHeight - 4));
                }
                x += widths[i];
            }
        });
        y += height;
    }

    /** Each column as wide as its longest cell would like, scaled to the page width. */
    private static int[] columnWidths(Report.Table t, FontMetrics metrics, int columns) {
        double[] wanted = new double[columns];
        for (int i = 0; i < columns; i++) {
            wanted[i] = metrics.stringWidth(t.headers().get(i)) + 8;
            for (List<String> row : t.rows()) {
                if (i < row.size() && row.get(i) != null) {
                    wanted[i] = Math.max(wanted[i], Math.min(220, metrics.stringWidth(row.get(i)) + 8));
                }
            }
        }
        double total = java.util.Arrays.stream(wanted).sum();
        int[] widths = new int[columns];
        for (int i = 0; i < columns; i++) {
            widths[i] = (int) Math.floor(wanted[i] * CONTENT / total);
        }
        return widths;
    }

    private void chart(Report.Chart c) {
        need(CHART_HEIGHT);
        int top = y;
        org.jfree.chart.JFreeChart themed = ChartExport.forReport(c.chart(), c.footnote());
        add(g -> ChartExport.drawForPdf(themed, g, new Rectangle(MARGIN, top, CONTENT, CHART_HEIGHT)));
        y += CHART_HEIGHT + 10;
    }

    private static String fit(String text, FontMetrics metrics, int width) {
        if (metrics.stringWidth(text) <= width) {
            return text;
        }
        String cut = text;
        while (!cut.isEmpty() && metrics.stringWidth(cut + "...") > width) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "...";
    }

    /**
     * JFreePDF writes text in the standard Type 1 fonts, whose encoding stops at Latin-1; characters beyond it
     * broke the content stream ("unterminated string" in poppler), so they are spelled in ASCII.
     */
    static String latin1(String text) {
        String plain = text.replace("\u00d7", "x").replace("\u2014", "-").replace("\u2013", "-")
                .replace("\u2026", "...").replace("\u2022", "-").replace("\u2192", "->").replace("\u2248", "~")
                .replace("\u2264", "<=").replace("\u2265", ">=").replace("\u00b5", "u").replace("\u00a7", "sec. ").replace("\u00b0", "");
        StringBuilder out = new StringBuilder(plain.length());
        for (char c : plain.toCharArray()) {
            out.append(c < 0x80 ? c : '?');
        }
        // JFreePDF writes the string between parentheses as it is: escape what PDF strings reserve.
        return out.toString().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)");
    }

    private static List<String> wrap(String text, FontMetrics metrics, int width) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.split("\n")) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split(" ")) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (metrics.stringWidth(candidate) > width && !line.isEmpty()) {
                    lines.add(line.toString());
                    line = new StringBuilder(word);
                } else {
                    line = new StringBuilder(candidate);
                }
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
