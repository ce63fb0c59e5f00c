package dev.headroom.cli;

import dev.headroom.catalog.Catalog;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.PlanFile;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import dev.headroom.sizing.SizingEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "size", sortOptions = false,
        description = {"Memory per GPU, fit and speed of a model under a workload, with the assumptions used.",
            "Bytes are per GPU for the most loaded GPU; --json prints the estimate as one object."})
final class SizeCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ScenarioOptions options;
    @Mixin
    HardwareOptions hardware;

    @Option(names = "--save", paramLabel = "FILE", description = "Save the scenario as JSON (atomically) after sizing it.")
    Path saveFile;

    @Option(names = "--batch") Integer batch;
    @Option(names = "--seq", description = "Input tokens (training: sequence length).") Integer seq;
    @Option(names = "--output-tokens") Integer outputTokens;

    @Option(names = "--json", description = "Print the estimate as JSON.") boolean json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<String> problems = new ArrayList<>();
        Scenario scenario;
        Catalog catalog = CatalogCommand.load(spec.commandLine());
        try {
            scenario = options.calibrated(options.scenario(problems, batch, seq, outputTokens, hardware), problems);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            scenario = null;
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("headroom: " + p));
            return Cli.EXIT_USAGE;
        }
        Estimate estimate;
        try {
            estimate = new SizingEngine(catalog).estimate(scenario);
        } catch (ScenarioException e) {
            e.problems().forEach(p -> err.println("headroom: " + p));
            return Cli.EXIT_USAGE;
        }
        scenario.warnings().forEach(w -> err.println("headroom: warning: " + w));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(estimate));
        } else {
            EstimateText.print(scenario, estimate, out);
        }
        if (saveFile != null) {
            try {
                PlanFile.write(saveFile, scenario);
            } catch (IOException e) {
                return Cli.writeFailure(err, "cannot save the scenario to " + saveFile, e);
            }
        }
        return 0;
    }
}
