package dev.headroom.calibration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * How far the built-in defaults are from the accuracy set: per category the median and worst absolute error and the
 * signed median (positive: the engine over-estimates), and memory under-estimates apart, since for a user an
 * under-estimate is an out-of-memory crash.
 */
public final class AccuracyReport {
    /** One row's outcome; {@code error} = (estimate - measured) / measured, NaN with a problem when it did not run. */
    public record RowResult(String id, String category, String runtime, double measured, double estimate,
                            double error, String unit, String source, String url, String problem) {
    }

    public record Category(String category, int rows, double medianAbsoluteError, double worstAbsoluteError,
                           String worstRow, double signedMedianError, int underEstimates) {
    }

    /** Memory rows the engine under-estimates: how many, the median and worst shortfall, and which. */
    public record MemoryUnderEstimates(int rows, double medianShortfall, double worstShortfall, List<String> ids) {
    }

    public record Summary(int rows, List<Category> categories, MemoryUnderEstimates memoryUnderEstimates,
                          List<RowResult> results) {
    }

    private AccuracyReport() {
    }

    public static Summary summarize(List<RowResult> results) {
        List<Category> categories = new ArrayList<>();
        for (String category : AccuracySet.CATEGORIES) {
            List<RowResult> rows = results.stream().filter(r -> r.category().equals(category)
                    && Double.isFinite(r.error())).toList();
            if (rows.isEmpty()) {
                continue;
            }
            double[] abs = rows.stream().mapToDouble(r -> Math.abs(r.error())).toArray();
            double[] signed = rows.stream().mapToDouble(RowResult::error).toArray();
            RowResult worst = rows.stream().max(Comparator.comparingDouble(r -> Math.abs(r.error()))).orElseThrow();
            categories.add(new Category(category, rows.size(), new Median().evaluate(abs), Math.abs(worst.error()),
                    worst.id(), new Median().evaluate(signed), (int) rows.stream().filter(r -> r.error() < 0).count()));
        }
        List<RowResult> under = results.stream().filter(r -> r.category().equals("memory") && r.error() < 0)
                .sorted(Comparator.comparingDouble(RowResult::error)).toList();
        double[] shortfall = under.stream().mapToDouble(r -> -r.error()).toArray();
        MemoryUnderEstimates memory = new MemoryUnderEstimates(under.size(),
                shortfall.length == 0 ? 0 : new Median().evaluate(shortfall),
                shortfall.length == 0 ? 0 : shortfall[0], under.stream().map(RowResult::id).toList());
        return new Summary(results.size(), categories, memory, results);
    }

    /** README's "How far to trust it" table, as {@code headroom accuracy --markdown} prints it. */
    public static String markdown(Summary s) {
        StringBuilder b = new StringBuilder();
        b.append("| category | rows | median error | worst error (row) | signed median | under-estimates |\n");
        b.append("|---|---:|---:|---:|---:|---:|\n");
        for (Category c : s.categories()) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %.1f %% | %.1f %% (%s) | %+.1f %% | %d |%n", c.category(),
                    c.rows(), c.medianAbsoluteError() * 100, c.worstAbsoluteError() * 100, c.worstRow(),
                    c.signedMedianError() * 100, c.underEstimates()));
        }
        MemoryUnderEstimates m = s.memoryUnderEstimates();
        b.append(String.format(Locale.ROOT, "%nMemory under-estimates (the ones that crash): %d of %d memory rows",
                m.rows(), s.categories().stream().filter(c -> c.category().equals("memory")).mapToInt(Category::rows)
                        .sum()));
        if (m.rows() > 0) {
            b.append(String.format(Locale.ROOT, ", median shortfall %.1f %%, worst %.1f %% (%s)", m.medianShortfall()
                    * 100, m.worstShortfall() * 100, m.ids().get(0)));
        }
        b.append(".\n");
        return b.toString();
    }
}
