package dev.headroom.cli;

import dev.headroom.catalog.Catalog;
import dev.headroom.common.Format;
import dev.headroom.common.Ranges;
import dev.headroom.planner.Candidate;
import dev.headroom.planner.LaunchCommand;
import dev.headroom.planner.Recommendation;
import dev.headroom.planner.Recommender;
import dev.headroom.planner.Rejection;
import dev.headroom.planner.SearchSpace;
import dev.headroom.serving.ServingSpec;
import dev.headroom.serving.Simulation;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import dev.headroom.sizing.WeightFormat;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "recommend", sortOptions = false,
        description = {"The cheapest serving configurations that meet p99 latency targets at a rate: every catalog GPU,"
                + " format and split screened with the sizing engine, the cheapest confirmed by the serving simulator.",
            "--json prints candidates, the Pareto front, the rejected GPUs with reasons, the closest"
                    + " configurations when nothing meets the targets, and the assumptions."})
final class RecommendCommand implements Callable<Integer> {
    static final int DEFAULT_TOP = 10;
    static final int MIN_SIMULATED = 20;

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ScenarioOptions options;
    @Mixin
    LoadOptions loadOptions;

    @Option(names = "--deadline-days", paramLabel = "D", description = "Training: finish within this many days.")
    Double deadlineDays;
    @Option(names = "--global-batch", paramLabel = "B", description = "Training: sequences per optimizer step (default 1024).")
    Integer globalBatch;
    @Option(names = "--seq", paramLabel = "N", description = "Training: tokens per sequence (default 4096).")
    Integer seq;
    @Option(names = "--storage-bandwidth", paramLabel = "GB/s", description = "Training: checkpoint write bandwidth (default: 0.122 GB/s per GPU, Llama 3's storage).")
    Double storageBandwidth;

    @Option(names = "--budget-usd-month", paramLabel = "USD", description = "Leave out what costs more a month.")
    Double budget;
    @Option(names = "--gpus", paramLabel = "ID,ID|class:CLASS|vendor:NAME", description = "GPUs to search (default: every catalog GPU).")
    String gpus;
    @Option(names = "--max-gpus", paramLabel = "N", description = "At most this many GPUs in all (default 64).")
    Integer maxGpus;
    @Option(names = "--owned", description = "Price owned GPUs (with --cloud: both; default: both).") boolean owned;
    @Option(names = "--cloud", description = "Price cloud offers (with --owned: both; default: both).") boolean cloud;
    @Option(names = "--formats", paramLabel = "FORMAT,FORMAT", description = "Weight formats to try (default: the model's native format where it is not 16-bit, then bf16,fp8,awq-int4; fp8 only where the GPU computes in it).")
    String formats;
    @Option(names = "--top", paramLabel = "N", description = "Candidates to show (default 10; at least 20 are simulated).")
    Integer top;
    @Option(names = "--deploy", paramLabel = "vllm|sglang|trtllm|llama-cpp", description = "Print the top candidate's launch command.")
    String deploy;
    @Option(names = "--json", description = "Print the recommendation as JSON.") boolean json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Catalog catalog = CatalogCommand.load(spec.commandLine());
        List<String> problems = new ArrayList<>();
        Simulation.Input input = null;
        SearchSpace space = null;
        LaunchCommand.Runtime runtime = null;
        Scenario base = null;
        try {
            base = options.scenario(problems, null, null, null, null);
            if (base != null && base.workload().isTraining()) {
                return train(catalog, base, problems, err);
            }
            for (Object[] flag : new Object[][] {{"deadline-days", deadlineDays}, {"global-batch", globalBatch},
                {"seq", seq}, {"storage-bandwidth", storageBandwidth}}) {
                if (flag[1] != null) {
                    problems.add(flag[0] + " = " + flag[1] + ": only with --workload pretrain or finetune");
                }
            }
            LoadOptions l = loadOptions;
            ServingSpec load = new ServingSpec(l.rate, null, null, l.arrival, l.inputTokens, l.outputTokens, null, null,
                    l.requests, null, null, false, null, null, null, null, null, null, null, null, null, l.ttftSlo,
                    l.tpotSlo, l.seed, false);
            input = load.input(base, problems);
            Ranges.optional(problems, "max-gpus", maxGpus, 1, 4096);
            Ranges.optional(problems, "top", top, 1, 1000);
            Ranges.optional(problems, "budget-usd-month", budget, 1, 1e9);
            WeightFormat nativeFormat = SearchSpace.nativeFormat(catalog, base);
            List<WeightFormat> chosen = formats == null && base != null && base.precision().weights() != null
                    && options.weightsGiven() ? List.of(base.precision().weights())
                    : SearchSpace.formats(formats, nativeFormat);
            space = new SearchSpace(SearchSpace.gpus(catalog, gpus), chosen,
                    maxGpus == null ? SearchSpace.DEFAULT_MAX_GPUS : maxGpus, owned || !cloud, cloud || !owned,
                    nativeFormat).withCalibration(options.calibration(problems));
            runtime = deploy == null ? null : LaunchCommand.Runtime.parse(deploy);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("headroom: " + p));
            return Cli.EXIT_USAGE;
        }
        int shown = top == null ? DEFAULT_TOP : top;
        Recommendation r;
        try {
            r = new Recommender(catalog).recommend(input.scenario(), input.load(), input.slo(), space, budget,
                    Math.max(MIN_SIMULATED, shown), input.length(), loadOptions.seed, null, null);
        } catch (ScenarioException e) {
            e.problems().forEach(p -> err.println("headroom: " + p));
            return Cli.EXIT_USAGE;
        }
        Recommendation limited = new Recommendation(r.candidates().stream().limit(shown).toList(),
                r.pareto().stream().filter(i -> i < shown).toList(), r.rejected(), r.screened(), r.simulated(),
                r.assumptions(), r.closest());
        PrintWriter out = spec.commandLine().getOut();
        if (runtime != null) {
            Candidate best = limited.candidates().stream().filter(Candidate::meetsSlo).findFirst().orElse(null);
            if (best == null) {
                err.println("headroom: no candidate meets the targets; nothing to deploy");
                return 1;
            }
            try {
                out.println(LaunchCommand.of(runtime, best, modelName(catalog, input.scenario()), maxModelLen(input),
                        0.9));
            } catch (IllegalArgumentException e) {
                err.println("headroom: " + e.getMessage());
                return Cli.EXIT_USAGE;
            }
            return 0;
        }
        if (json) {
            out.println(Json.write(limited));
        } else {
            print(limited, out);
        }
        return 0;
    }

    /** Training plans: the cheapest layouts that finish by the deadline. */
    private int train(Catalog catalog, Scenario base, List<String> problems, PrintWriter err) {
        if (base.training().trainTokens() == null) {
            problems.add("train-tokens: --train-tokens N is required for a training plan");
        }
        if (deadlineDays == null) {
            problems.add("deadline-days: --deadline-days D is required for a training plan");
        }
        Ranges.optional(problems, "seq", seq, 1, 1 << 24);
        Ranges.optional(problems, "max-gpus", maxGpus, 1, 4096);
        Ranges.optional(problems, "top", top, 1, 1000);
        Ranges.optional(problems, "budget-usd-month", budget, 1, 1e9);
        Ranges.optional(problems, "storage-bandwidth (GB/s)", storageBandwidth, 0.001, 1e6);
        SearchSpace space = null;
        try {
            space = new SearchSpace(SearchSpace.gpus(catalog, gpus), List.of(), maxGpus == null ? 4096 : maxGpus,
                    owned || !cloud, cloud || !owned);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("headroom: " + p));
            return Cli.EXIT_USAGE;
        }
        Scenario shaped = base.withShape(new Scenario.Shape(1, seq != null ? seq : 4096, 1));
        Recommendation r;
        try {
            r = new dev.headroom.planner.TrainingPlanner(catalog).plan(shaped, base.training().trainTokens(),
                    deadlineDays, globalBatch == null ? 1024 : globalBatch, space, budget,
                    storageBandwidth == null ? null : storageBandwidth * 1e9);
        } catch (ScenarioException e) {
            e.problems().forEach(p -> err.println("headroom: " + p));
            return Cli.EXIT_USAGE;
        }
        int shown = top == null ? DEFAULT_TOP : top;
        Recommendation limited = new Recommendation(r.candidates().stream().limit(shown).toList(), List.of(),
                r.rejected(), r.screened(), 0, r.assumptions(), List.of());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(limited));
            return 0;
        }
        out.printf(Locale.ROOT, "%,d training layouts sized%n%n", r.screened());
        TextTable t = new TextTable("#", "GPU", "GPUS", "TP x PP x DP", "DAYS", "RUN COST", "$/MONTH", "PRICING",
                "CHECKPOINTS", "FAILURES").alignRight(0, 2, 4, 5, 6, 9);
        int i = 0;
        for (Candidate c : limited.candidates()) {
            t.add(++i, c.gpu(), c.gpus(), c.tp() + " x " + c.pp() + " x " + c.replicas(),
                    String.format(Locale.ROOT, "%.1f", c.trainingDays()),
                    String.format(Locale.ROOT, "%,.0f", c.costPerMonthUsd() / 730 * c.trainingDays() * 24),
                    String.format(Locale.ROOT, "%,.0f", c.costPerMonthUsd()), c.pricing(), c.bindingConstraint(),
                    String.format(Locale.ROOT, "%.1f", c.expectedInterruptions()));
        }
        if (limited.candidates().isEmpty()) {
            out.println("No layout in the search space finishes by the deadline within the budget.");
        } else {
            t.print(out);
        }
        if (!r.rejected().isEmpty()) {
            out.println();
            out.println("No layout on");
            r.rejected().forEach(j -> out.println("  " + j.gpu() + ": " + j.reason()));
        }
        out.println();
        out.println("Assumptions");
        r.assumptions().forEach(a -> out.println("  - " + a));
        return 0;
    }

    private static TextTable table(List<Candidate> candidates) {
        TextTable t = new TextTable("#", "GPU", "LAYOUT", "FORMAT", "KV", "SEQS", "TTFT p99", "TPOT p99",
                "$/MONTH", "$/M TOK", "PRICING", "BINDING", "SLO").alignRight(0, 5, 6, 7, 8, 9);
        int i = 0;
        for (Candidate c : candidates) {
            t.add(++i, c.gpu(), c.replicas() + " x " + c.gpusPerReplica() + " (tp " + c.tp() + " pp " + c.pp() + ")",
                    c.weights(), c.kvCache(), c.maxSeqs(),
                    c.ttftP99Seconds() == null ? "-" : Format.time(c.ttftP99Seconds()),
                    c.tpotP99Seconds() == null ? "-" : Format.time(c.tpotP99Seconds()),
                    String.format(Locale.ROOT, "%,.0f", c.costPerMonthUsd()),
                    c.costPerMillionTokensUsd() == null ? "-" : String.format(Locale.ROOT, "%.2f",
                            c.costPerMillionTokensUsd()), c.pricing(), c.bindingConstraint(),
                    c.meetsSlo() ? "meets" : "misses");
        }
        return t;
    }

    private static String modelName(Catalog catalog, Scenario s) {
        String id = s.model().catalogId();
        return id == null ? (s.model().name() == null ? "MODEL" : s.model().name())
                : catalog.model(id).map(m -> m.huggingFaceId() != null ? m.huggingFaceId() : m.id()).orElse(id);
    }

    private static int maxModelLen(Simulation.Input input) {
        return (int) Math.min(Integer.MAX_VALUE, (long) input.load().input().max() + input.load().output().max());
    }

    private static void print(Recommendation r, PrintWriter out) {
        out.printf(Locale.ROOT, "%,d configurations screened, %d layouts simulated%n%n", r.screened(), r.simulated());
        if (r.candidates().isEmpty()) {
            out.println("No configuration in the search space serves this load within the targets and budget.");
        } else {
            table(r.candidates()).print(out);
            out.println("Pareto front (cost against p99 TTFT): " + (r.pareto().isEmpty()
                    ? "beyond the rows shown (--top N shows more)"
                    : "#" + String.join(", #", r.pareto().stream().map(p -> String.valueOf(p + 1)).toList())));
        }
        if (!r.closest().isEmpty()) {
            out.println();
            out.println("Closest, simulated (BINDING says what each misses)");
            table(r.closest()).print(out);
        }
        if (!r.rejected().isEmpty()) {
            out.println();
            out.println("No candidate on");
            for (Rejection j : r.rejected()) {
                out.println("  " + j.gpu() + ": " + j.reason());
            }
        }
        out.println();
        out.println("Assumptions");
        r.assumptions().forEach(a -> out.println("  - " + a));
    }
}
