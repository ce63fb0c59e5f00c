package dev.headroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.calibration.AccuracyReport;
import dev.headroom.calibration.AccuracySet;
import dev.headroom.common.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "accuracy", description = "How far the built-in defaults are from published measurements: the"
        + " project's accuracy set run through size and simulate; per category the median and worst absolute error"
        + " and the signed median, memory under-estimates apart, and every row with its source.")
final class AccuracyCommand implements java.util.concurrent.Callable<Integer> {
    static final String BEGIN = "<!-- accuracy:begin (headroom accuracy --readme README.md) -->";
    static final String END = "<!-- accuracy:end -->";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print JSON.") boolean json;

    @Option(names = "--markdown", description = "Print README's table.") boolean markdown;

    @Option(names = "--readme", paramLabel = "FILE", description = "Rewrite the table between README's accuracy markers.")
    Path readme;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        AccuracyReport.Summary summary = AccuracyReport.summarize(run(AccuracySet.load()));
        if (readme != null) {
            try {
                String text = Files.readString(readme);
                int begin = text.indexOf(BEGIN);
                int end = text.indexOf(END);
                if (begin < 0 || end < begin) {
                    spec.commandLine().getErr().println("headroom: readme = " + readme + ": no '" + BEGIN + "' ... '"
                            + END + "' block to rewrite");
                    return Cli.EXIT_USAGE;
                }
                AtomicFiles.writeString(readme, text.substring(0, begin + BEGIN.length()) + "\n"
                        + AccuracyReport.markdown(summary) + text.substring(end));
                out.println("Rewrote the accuracy table in " + readme);
            } catch (IOException e) {
                spec.commandLine().getErr().println("headroom: readme = " + readme + ": " + e.getMessage());
                return Cli.EXIT_USAGE;
            }
            return 0;
        }
        if (json) {
            out.println(Json.write(summary));
        } else if (markdown) {
            out.print(AccuracyReport.markdown(summary));
        } else {
            print(summary, out);
        }
        return summary.results().stream().anyMatch(r -> r.problem() != null) ? 1 : 0;
    }

    /** Each row through the same command a user would run, in this process, with --json. */
    static List<AccuracyReport.RowResult> run(List<AccuracySet.Row> rows) {
        ObjectMapper mapper = new ObjectMapper();
        List<AccuracyReport.RowResult> results = new ArrayList<>();
        for (AccuracySet.Row row : rows) {
            List<String> args = new ArrayList<>();
            args.add(row.command());
            args.addAll(List.of(row.args().trim().split("\\s+")));
            args.add("--json");
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            int code = Cli.run(args.toArray(String[]::new), new PrintWriter(o), new PrintWriter(e));
            double estimate = Double.NaN;
            String problem = null;
            if (code != 0) {
                problem = "exit " + code + ": " + e.toString().trim();
            } else {
                try {
                    JsonNode value = mapper.readTree(o.toString()).at(row.estimate());
                    if (!value.isNumber()) {
                        problem = row.estimate() + " is not a number in the output";
                    } else {
                        estimate = row.numerator() == null ? value.asDouble() : row.numerator() / value.asDouble();
                    }
                } catch (IOException ex) {
                    problem = "output is not JSON: " + ex.getMessage();
                }
            }
            results.add(new AccuracyReport.RowResult(row.id(), row.category(), row.runtime(), row.measured(),
                    estimate, (estimate - row.measured()) / row.measured(), row.unit(), row.source().title(),
                    row.source().url(), problem));
        }
        return results;
    }

    private static void print(AccuracyReport.Summary s, PrintWriter out) {
        out.printf(Locale.ROOT, "%d published measurements (src/main/resources%s)%n%n", s.rows(), AccuracySet.RESOURCE);
        TextTable t = new TextTable("CATEGORY", "ROWS", "MEDIAN |ERR|", "WORST |ERR|", "WORST ROW", "SIGNED MEDIAN",
                "UNDER").alignRight(1, 2, 3, 5, 6);
        for (AccuracyReport.Category c : s.categories()) {
            t.add(c.category(), c.rows(), pct(c.medianAbsoluteError()), pct(c.worstAbsoluteError()), c.worstRow(),
                    String.format(Locale.ROOT, "%+.1f %%", c.signedMedianError() * 100), c.underEstimates());
        }
        t.print(out);
        AccuracyReport.MemoryUnderEstimates m = s.memoryUnderEstimates();
        out.printf(Locale.ROOT, "%nMemory under-estimates: %d rows%s%n", m.rows(), m.rows() == 0 ? ""
                : String.format(Locale.ROOT, ", median shortfall %s, worst %s: %s", pct(m.medianShortfall()),
                pct(m.worstShortfall()), String.join(", ", m.ids())));
        out.println();
        TextTable rows = new TextTable("ID", "CATEGORY", "RUNTIME", "MEASURED", "ESTIMATE", "ERROR", "SOURCE")
                .alignRight(3, 4, 5);
        for (AccuracyReport.RowResult r : s.results()) {
            rows.add(r.id(), r.category(), r.runtime(), number(r.measured(), r.unit()),
                    r.problem() != null ? "failed" : number(r.estimate(), r.unit()),
                    r.problem() != null ? r.problem() : String.format(Locale.ROOT, "%+.1f %%", r.error() * 100),
                    r.url());
        }
        rows.print(out);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f %%", v * 100);
    }

    private static String number(double v, String unit) {
        if (unit.equals("bytes")) {
            return String.format(Locale.ROOT, "%.2f GiB", v / (1L << 30));
        }
        return String.format(Locale.ROOT, "%.4g %s", v, unit);
    }
}
