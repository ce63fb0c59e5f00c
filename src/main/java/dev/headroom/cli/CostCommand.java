package dev.headroom.cli;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogIds;
import dev.headroom.catalog.Gpu;
import dev.headroom.common.Format;
import dev.headroom.cost.BuyerComparison;
import dev.headroom.cost.CostAssumptions;
import dev.headroom.cost.CostEngine;
import dev.headroom.cost.CostOption;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.PlanFile;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import dev.headroom.sizing.SizingEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cost", sortOptions = false,
        description = {"Owning versus renting GPUs: capex, monthly opex, cost per useful GPU-hour, break-even month and",
            "utilization against each cloud offer for the GPU, and $ per million tokens when the throughput is known."})
final class CostCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--plan", paramLabel = "FILE", description = "A saved plan: its GPU, count and throughput.") Path plan;
    @Option(names = "--gpu", paramLabel = "ID") String gpu;
    @Option(names = "--gpus", paramLabel = "N") Integer gpus;
    @Option(names = "--compare", description = "With --plan: every catalog GPU that can run it, consumer to data-center.")
    boolean compare;
    @Option(names = "--gpu-price", paramLabel = "USD") Double gpuPrice;
    @Option(names = "--server-overhead") Double serverOverhead;
    @Option(names = "--network-fraction") Double networkFraction;
    @Option(names = "--life-years") Double lifeYears;
    @Option(names = "--electricity", paramLabel = "USD_PER_KWH") Double electricity;
    @Option(names = "--pue") Double pue;
    @Option(names = "--utilization", paramLabel = "0..1") Double utilization;
    @Option(names = "--load-fraction") Double loadFraction;
    @Option(names = "--idle-fraction", description = "Draw while powered but idle, share of server power (default 0.10).")
    Double idleFraction;
    @Option(names = "--server-power", description = "Server power per GPU as a multiple of its TDP (default 1.82).") Double serverPower;
    @Option(names = "--colo", paramLabel = "USD_PER_KW_MONTH") Double colo;
    @Option(names = "--maintenance", paramLabel = "FRACTION_PER_YEAR") Double maintenance;
    @Option(names = "--staff", paramLabel = "USD_PER_YEAR") Double staff;
    @Option(names = "--horizon-months") Integer horizon;
    @Option(names = "--json") boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Catalog catalog = CatalogCommand.load(spec.commandLine());
        CostAssumptions assumptions = new CostAssumptions(gpuPrice, serverOverhead, networkFraction, lifeYears,
                electricity, pue, utilization, loadFraction, idleFraction, serverPower, colo, maintenance, staff, horizon);
        if (compare && plan == null) {
            err.println("headroom: warning: --compare needs --plan FILE (the GPUs are compared at the plan's"
                    + " workload); comparing nothing");
        }
        if (plan != null && (gpu != null || gpus != null)) {
            err.println("headroom: warning: --plan sets the GPU and the count; --gpu and --gpus are ignored");
        }
        Gpu chosen;
        int count;
        Double tokens = null;
        Scenario scenario = null;
        if (plan != null) {
            try {
                scenario = PlanFile.read(plan);
            } catch (IOException e) {
                return usage(err, "plan = " + e.getMessage());
            }
            Estimate estimate;
            try {
                estimate = new SizingEngine(catalog).estimate(scenario);
            } catch (ScenarioException e) {
                e.problems().forEach(p -> err.println("headroom: plan: " + p));
                return Cli.EXIT_USAGE;
            }
            chosen = catalog.requireGpu(scenario.hardware().gpuId());
            count = scenario.hardware().count();
            tokens = estimate.performance().outputTokensPerSecond() != null ? estimate.performance().outputTokensPerSecond()
                    : estimate.performance().trainingTokensPerSecond();
        } else {
            if (gpu == null || gpus == null) {
                return usage(err, "give --plan FILE, or --gpu ID and --gpus N");
            }
            var idProblem = CatalogIds.problem("gpu", gpu);
            if (idProblem.isPresent()) {
                return usage(err, idProblem.get());
            }
            if (catalog.gpu(gpu).isEmpty()) {
                return usage(err, "gpu = " + Format.echo(gpu) + ": no such GPU id; 'headroom catalog list gpus' lists them");
            }
            chosen = catalog.requireGpu(gpu);
            count = gpus;
        }
        CostOption option;
        try {
            option = new CostEngine(catalog).owned(chosen, count, tokens, assumptions);
        } catch (IllegalArgumentException e) {
            for (String line : e.getMessage().split("\n")) {
                err.println("headroom: " + line);
            }
            return Cli.EXIT_USAGE;
        }
        List<BuyerComparison.Row> options = compare && scenario != null
                ? new BuyerComparison(catalog).compare(scenario, assumptions) : List.of();
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("assumptions", assumptions.over(CostAssumptions.defaultsFor(chosen)));
            result.put("option", option);
            if (compare) {
                result.put("options", options);
            }
            out.println(Json.write(result));
            return 0;
        }
        print(out, option);
        if (!options.isEmpty()) {
            out.println();
            out.println("Every GPU that can run the plan (owned, at the assumed utilization):");
            TextTable table = new TextTable("GPU", "CLASS", "COUNT", "CAPEX", "KW", "TOKENS/S", "$/M TOKENS", "HEADROOM",
                    "CAVEATS").alignRight(2, 3, 4, 5, 6, 7);
            for (BuyerComparison.Row r : options) {
                table.add(r.gpu(), r.gpuClass(), r.count(), usd(r.cost().capexUsd()),
                        String.format(Locale.ROOT, "%.1f", r.cost().powerKw()),
                        r.tokensPerSecond() == null ? "-" : String.format(Locale.ROOT, "%,.0f", r.tokensPerSecond()),
                        r.cost().costPerMillionTokensUsd() == null ? "-"
                                : String.format(Locale.ROOT, "%.3f", r.cost().costPerMillionTokensUsd()),
                        String.format(Locale.ROOT, "%.1f GiB", r.headroomGib()), String.join("; ", r.caveats()));
            }
            table.print(out);
        }
        return 0;
    }

    private static void print(PrintWriter out, CostOption o) {
        out.printf(Locale.ROOT, "Owning %d x %s: capex %s (%s per GPU incl. server), %.1f kW provisioned%n", o.count(),
                o.gpuName(), usd(o.capexUsd()), usd(o.capexPerGpuUsd()), o.powerKw());
        out.printf(Locale.ROOT, "  fixed %.3f $/GPU-h, energy %.3f $/busy GPU-h (idle %.3f), cost per useful GPU-hour %.3f $,"
                        + " opex %s/month%n", o.fixedPerGpuHourUsd(), o.energyPerBusyGpuHourUsd(), o.idlePerGpuHourUsd(),
                o.costPerUsefulGpuHourUsd(), usd(o.monthlyOpexUsd()));
        if (o.costPerMillionTokensUsd() != null) {
            out.printf(Locale.ROOT, "  %.3f $ per million tokens, %.0f tokens per $, %.2f kWh per million tokens%n",
                    o.costPerMillionTokensUsd(), o.tokensPerDollar(), o.energyPerMillionTokensKwh());
        }
        TextTable table = new TextTable("OFFER", "PRICING", "$/GPU-H", "DATE", "BREAK-EVEN MONTH", "BREAK-EVEN UTIL",
                "$/M TOKENS").alignRight(2, 4, 5, 6);
        for (CostOption.Versus v : o.versus()) {
            table.add(v.offer(), v.pricing(), String.format(Locale.ROOT, "%.2f", v.gpuHourUsd()), v.priceDate(),
                    v.breakEvenMonth() == null ? "beyond horizon" : v.breakEvenMonth(),
                    v.breakEvenUtilization() == null ? (v.pricing().endsWith("year") ? "n/a (committed)" : "never")
                            : v.breakEvenUtilization() > 1 ? "never" : String.format(Locale.ROOT, "%.0f %%", v.breakEvenUtilization() * 100),
                    v.costPerMillionTokensUsd() == null ? "-" : String.format(Locale.ROOT, "%.3f", v.costPerMillionTokensUsd()));
        }
        out.println();
        table.print(out);
    }

    private static String usd(double value) {
        return String.format(Locale.ROOT, "$%,.0f", value);
    }

    private int usage(PrintWriter err, String message) {
        err.println("headroom: " + message);
        return Cli.EXIT_USAGE;
    }
}
