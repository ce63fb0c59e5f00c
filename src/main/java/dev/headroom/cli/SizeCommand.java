package dev.headroom.cli;

import dev.headroom.catalog.Catalog;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.GpuComparison;
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
            "Bytes are per GPU for the most loaded GPU; --json prints the estimate as one object.",
            "Without --gpu: the memory and, for every catalog GPU, how many it takes (fit and speed null)."})
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
            scenario = options.calibrated(options.scenario(problems, batch, seq, outputTokens, hardware, false),
                    problems);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            scenario = null;
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("headroom: " + p));
            return Cli.EXIT_USAGE;
        }
        if (scenario.hardware() == null || scenario.hardware().gpuId() == null) {
            return withoutGpu(scenario, catalog, err);
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
        return save(scenario, err);
    }

    /** --save: the scenario written atomically; 0, or the exit code of a write that failed. */
    private int save(Scenario scenario, PrintWriter err) {
        if (saveFile != null) {
            try {
                PlanFile.write(saveFile, scenario);
            } catch (IOException e) {
                return Cli.writeFailure(err, "cannot save the scenario to " + saveFile, e);
            }
        }
        return 0;
    }

    /**
     * No --gpu: how much memory the model needs and how many of each catalog GPU it takes. In JSON the estimate's
     * fields as with a GPU ({@code fit}, {@code performance}, {@code layout} and {@code host} null) and
     * {@code gpus}, one row per catalog GPU.
     */
    private int withoutGpu(Scenario scenario, Catalog catalog, PrintWriter err) {
        SizingEngine engine = new SizingEngine(catalog);
        Estimate estimate;
        try {
            estimate = engine.estimateWithoutGpu(scenario);
        } catch (ScenarioException e) {
            e.problems().forEach(p -> err.println("headroom: " + p));
            return Cli.EXIT_USAGE;
        }
        scenario.warnings().forEach(w -> err.println("headroom: warning: " + w));
        List<GpuComparison.Row> rows = new GpuComparison(engine, catalog).compare(scenario);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            com.fasterxml.jackson.databind.node.ObjectNode root = Json.mapper().valueToTree(estimate);
            root.set("gpus", Json.mapper().valueToTree(rows.stream().map(GpuNeed::of).toList()));
            out.println(Json.write(root));
        } else {
            EstimateText.printWithoutGpu(scenario, estimate, rows, out);
        }
        return save(scenario, err);
    }

    /**
     * One catalog GPU in the JSON of 'size' without --gpu, as Plan's GPUs tab shows it.
     *
     * @param fitsAsGiven     fits on the scenario's own split (tp x pp, 1 x 1 unless given)
     * @param gpusNeeded      the smallest tp x pp that fits; null when none up to tp 8 x pp layers does
     * @param perGpuBytes     memory per GPU on the split given
     * @param usableBytes     what the runtime may use of one GPU
     * @param tokensPerSecond output tokens/s of the batch (inference) or training tokens/s on the split needed
     * @param priceUsd        catalog purchase price of the GPUs needed; null where the catalog has none
     */
    record GpuNeed(String gpu, String name, String gpuClass, boolean fitsAsGiven, Integer gpusNeeded,
                   Integer tensorParallel, Integer pipelineParallel, long perGpuBytes, long usableBytes,
                   Double tokensPerSecond, Double priceUsd) {
        static GpuNeed of(GpuComparison.Row r) {
            return new GpuNeed(r.gpu().id(), r.gpu().name(), r.gpu().gpuClass().label(), r.fitsAsPlanned(),
                    r.gpusNeeded(), r.tensorParallel(), r.pipelineParallel(), r.perGpuBytes(), r.capacityBytes(),
                    r.outputTokensPerSecond() != null ? r.outputTokensPerSecond() : r.trainingTokensPerSecond(),
                    r.priceUsd());
        }
    }
}
