package dev.headroom.cli;

import dev.headroom.telemetry.AlertEvent;
import dev.headroom.telemetry.AlertRule;
import dev.headroom.telemetry.Recording;
import dev.headroom.telemetry.Statistics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "replay", description = "Summarize a recording: per-GPU min / mean / p95 / max of each metric, and the alerts it raised.")
final class ReplayCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "a recording (headroom monitor --record)")
    Path file;

    @Option(names = "--json", description = "Print JSON.") boolean json;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "FILE '" + file + "' is not a readable file");
        }
        Recording.Contents contents;
        try {
            contents = Recording.read(file);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        warnIfTorn(file, contents, spec.commandLine().getErr());
        Statistics.Report report = Statistics.of(contents, AlertRule.defaults());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(report));
            return 0;
        }
        out.printf(Locale.ROOT, "%s%s: %d ticks over %.0f s%n", report.source(), report.simulated() ? " (SIMULATED)" : "",
                report.ticks(), report.durationSeconds());
        for (Statistics.Gpu gpu : report.gpus()) {
            out.printf(Locale.ROOT, "%nGPU %d  %s%n", gpu.index(), gpu.name());
            TextTable table = new TextTable("METRIC", "UNIT", "MIN", "MEAN", "P95", "MAX").alignRight(2, 3, 4, 5);
            for (Map.Entry<String, Statistics.Summary> entry : gpu.metrics().entrySet()) {
                Statistics.Summary s = entry.getValue();
                table.add(entry.getKey(), s.unit(), number(s.min()), number(s.mean()), number(s.p95()), number(s.max()));
            }
            table.print(out);
        }
        out.printf(Locale.ROOT, "%nAlerts: %d%n", report.alerts().stream().filter(AlertEvent::raised).count());
        for (AlertEvent event : report.alerts()) {
            out.printf(Locale.ROOT, "  %tT GPU %d %s %s: %s%n", event.epochMillis(), event.gpu(),
                    event.raised() ? event.severity() : "cleared", event.rule(), event.detail());
        }
        return 0;
    }

    /** A recorder killed mid-write leaves a torn last line: said once on stderr, not an error (see Recording). */
    static void warnIfTorn(Path file, Recording.Contents contents, PrintWriter err) {
        if (contents.tornLastLine()) {
            err.println("headroom: warning: " + file + " line " + contents.tornLine()
                    + ": an incomplete last tick (the recorder stopped while writing it) is skipped");
        }
    }

    private static String number(double value) {
        return Math.abs(value) >= 1e6 ? String.format(Locale.ROOT, "%.3g", value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
