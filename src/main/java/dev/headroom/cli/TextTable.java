package dev.headroom.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with columns sized to their widest cell; numeric columns align right. */
final class TextTable {
    private final List<String> headers;
    private final boolean[] rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... headers) {
        this.headers = List.of(headers);
        this.rightAligned = new boolean[headers.length];
    }

    TextTable alignRight(int... columns) {
        for (int column : columns) {
            rightAligned[column] = true;
        }
        return this;
    }

    void add(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            // cells come from drivers, recordings and catalogs too: no byte of theirs may drive the terminal
            row.add(cell == null ? "-" : dev.headroom.common.TerminalText.clean(cell.toString()));
        }
        rows.add(row);
    }

    void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        printRow(out, headers, widths);
        for (List<String> row : rows) {
            printRow(out, row, widths);
        }
    }

    /** The text padded with spaces to the width, on the left when right-aligned: %Ns and %-Ns without a formatter. */
    static String pad(String text, int width, boolean rightAligned) {
        String spaces = " ".repeat(Math.max(0, width - text.length()));
        return rightAligned ? spaces + text : text + spaces;
    }

    private void printRow(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append("  ");
            }
            line.append(pad(cells.get(i), widths[i], rightAligned[i]));
        }
        out.println(line.toString().stripTrailing());
    }
}
