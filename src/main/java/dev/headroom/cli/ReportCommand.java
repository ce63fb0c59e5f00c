package dev.headroom.cli;

import dev.headroom.catalog.Catalog;
import dev.headroom.report.PlanReport;
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
        description = {"A saved plan as a document: scenario, memory table and chart, fit, speed, every catalog GPU,",
            "costs against the cloud, and the assumptions with their sources. PDF (A4, numbered pages), one",
            "self-contained HTML file, or Markdown with the charts as PNG files beside it."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PLAN", description = "A plan saved by the app or 'headroom size --save'.")
    Path input;
    @Option(names = "--format", required = true, paramLabel = "pdf|html|md") String format;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE") Path output;

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
            err.println("headroom: PLAN = " + input + ": no such file");
            return Cli.EXIT_USAGE;
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
            err.println("headroom: cannot write " + output + ": " + e.getMessage());
            return 1;
        }
        out.println("wrote " + output.toAbsolutePath());
        return 0;
    }
}
