package dev.headroom.cli;

import dev.headroom.catalog.Catalog;
import dev.headroom.report.MonitoringReport;
import dev.headroom.report.PlanReport;
import dev.headroom.telemetry.Recording;
import dev.headroom.report.Report;
import dev.headroom.sizing.PlanFile;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "report", sortOptions = false,
        description = {"A saved plan or a monitoring recording as a document. Plan: scenario, memory table and chart,",
            "fit, speed, every catalog GPU, costs against the cloud, the assumptions with their sources. Recording:",
            "per-GPU min/mean/p95/max, charts of the period, alerts raised. PDF (A4, numbered pages), one",
            "self-contained HTML file, or Markdown with the charts as PNG files beside it."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PLAN|RECORDING",
            description = "A plan saved by the app or 'headroom size --save', or a recording from Monitor or 'headroom monitor --record'.")
    Path input;
    @Option(names = "--format", required = true, paramLabel = "pdf|html|md") String format;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE") Path output;

    /** A recording starts with its JSON header naming the format; anything else is read as a plan. */
    private static boolean isRecording(Path file) {
        try (java.io.BufferedReader in = Files.newBufferedReader(file)) {
            String first = in.readLine();
            return first != null && first.contains("\"" + Recording.FORMAT + "\"");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Report.Format chosen = Report.Format.parse(format);
        if (chosen == null) {
            err.println("headroom: format = " + format + ": must be pdf, html or md");
            return Cli.EXIT_USAGE;
        }
        if (!Files.isRegularFile(input)) {
            err.println("headroom: PLAN|RECORDING = " + input + ": no such file");
            return Cli.EXIT_USAGE;
        }
        if (isRecording(input)) {
            Recording.Contents contents;
            try {
                contents = Recording.read(input);
            } catch (IOException e) {
                err.println("headroom: RECORDING = " + e.getMessage());
                return Cli.EXIT_USAGE;
            }
            ReplayCommand.warnIfTorn(input, contents, err);
            try {
                MonitoringReport.build(contents, input.getFileName().toString()).write(chosen, output);
            } catch (IOException e) {
                return Cli.writeFailure(err, "cannot write " + output, e);
            }
            out.println("wrote " + output.toAbsolutePath());
            return 0;
        }
        Catalog catalog = CatalogCommand.load(spec.commandLine());
        Scenario scenario;
        try {
            scenario = PlanFile.read(input);
        } catch (IOException e) {
            err.println("headroom: PLAN = " + input + ": " + e.getMessage());
            return Cli.EXIT_USAGE;
        }
        try {
            String name = input.getFileName().toString();
            PlanReport.build(catalog, scenario, name).write(chosen, output);
        } catch (ScenarioException e) {
            e.problems().forEach(p -> err.println("headroom: plan: " + p));
            return Cli.EXIT_USAGE;
        } catch (IOException e) {
            return Cli.writeFailure(err, "cannot write " + output, e);
        }
        out.println("wrote " + output.toAbsolutePath());
        return 0;
    }
}
