package dev.headroom.report;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.Gpu;
import dev.headroom.common.Format;
import dev.headroom.cost.CostAssumptions;
import dev.headroom.cost.CostEngine;
import dev.headroom.cost.CostOption;
import dev.headroom.serving.SimulationResult;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.GpuComparison;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.SizingEngine;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A plan as a document for a board: the scenario, memory per GPU (table and chart), fit, speed, every catalog GPU,
 * the cost of owning it against the cloud when the GPU has a price, and every assumption with its source.
 */
public final class PlanReport {
    private PlanReport() {
    }

    public static Report build(Catalog catalog, Scenario scenario, String planName) {
        return build(catalog, scenario, planName, null);
    }

    /** With {@code serving}, a simulation of this plan under load, the report gains a "Serving under load" section. */
    public static Report build(Catalog catalog, Scenario scenario, String planName, SimulationResult serving) {
        SizingEngine engine = new SizingEngine(catalog);
        Estimate e = engine.estimate(scenario);
        List<Report.Section> sections = new ArrayList<>();
        sections.add(new Report.Section("Scenario", List.of(new Report.Table(List.of("Input", "Value"), scenarioRows(
                scenario, e)))));
        sections.add(memory(e));
        sections.add(new Report.Section("Fit", List.of(new Report.Table(List.of("Measure", "Value"), fitRows(e)))));
        sections.add(new Report.Section("Speed", List.of(new Report.Table(List.of("Measure", "Value"), speedRows(e)))));
        sections.add(new Report.Section("On every catalog GPU", List.of(
                new Report.Paragraph("The smallest tensor x pipeline layout that fits each GPU, and its speed."),
                comparison(new GpuComparison(engine, catalog).compare(scenario)))));
        if (serving != null) {
            sections.add(ServingSection.of(serving));
        }
        Gpu gpu = catalog.gpu(scenario.hardware().gpuId()).orElse(null);
        if (gpu != null && gpu.price() != null) {
            sections.add(costs(catalog, gpu, scenario.hardware().count(), e));
        }
        List<List<String>> assumptions = new ArrayList<>();
        for (Map.Entry<String, Estimate.Assumption> a : e.assumptions().entrySet()) {
            Object value = a.getValue().value();
            assumptions.add(List.of(a.getValue().label(), (value instanceof Number n ? Format.plain(n.doubleValue())
                    : String.valueOf(value))
                    + (a.getValue().unit() == null ? "" : " " + a.getValue().unit()), String.valueOf(a.getValue().source())));
        }
        sections.add(new Report.Section("Assumptions and sources", List.of(
                new Report.Table(List.of("Assumption", "Value", "Source"), assumptions))));
        if (!e.warnings().isEmpty()) {
            sections.add(new Report.Section("Warnings", e.warnings().stream()
                    .map(w -> (Report.Block) new Report.Paragraph("\u2022 " + w)).toList()));
        }
        return new Report("Plan: " + e.model() + " on " + scenario.hardware().count() + "\u00d7 " + e.fit().gpu(),
                (planName == null ? "" : planName + " \u2014 ") + "Headroom estimate of " + LocalDate.now()
                        + "; figures are estimates from the assumptions listed at the end.", sections);
    }

    /** The line printed under an exported Plan chart: what was sized, and where the assumptions are. */
    public static String footnote(Scenario s, Estimate e) {
        return String.format(Locale.ROOT, "%s, %s weights, %s, batch %s, %s + %s tokens, %d\u00d7 %s (tp %s, pp %s)."
                        + " Headroom estimate of %s; assumptions and sources in the plan report.", e.model(),
                s.precision().weights() == null ? "default" : s.precision().weights().label(), s.workload().label(),
                s.shape().batch(), s.shape().inputTokens(), s.shape().outputTokens(), s.hardware().count(),
                s.hardware().gpuId(), s.parallelism().tensor(), s.parallelism().pipeline(), LocalDate.now());
    }

    private static List<List<String>> scenarioRows(Scenario s, Estimate e) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Model", e.model() + " (" + Format.parameters(e.parameters()) + " parameters, "
                + Format.parameters(e.activeParameters()) + " active)"));
        rows.add(List.of("Workload", s.workload().label()));
        rows.add(List.of("Weights", s.precision().weights() == null ? "default" : s.precision().weights().label()));
        rows.add(List.of("KV cache", s.precision().kvCache() == null ? "as weights" : s.precision().kvCache().toString()));
        rows.add(List.of("Batch", String.valueOf(s.shape().batch())));
        rows.add(List.of("Tokens in / out", s.shape().inputTokens() + " / " + s.shape().outputTokens()));
        rows.add(List.of("GPUs", s.hardware().count() + "\u00d7 " + s.hardware().gpuId()));
        rows.add(List.of("Parallelism (tp x pp x dp)", s.parallelism().tensor() + " x " + s.parallelism().pipeline()
                + " x " + s.parallelism().data()));
        return rows;
    }

    private static Report.Section memory(Estimate e) {
        Estimate.Memory m = e.memory();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Weights", Format.gib(m.weightsBytes())));
        add(rows, "KV cache", m.kvCacheBytes());
        add(rows, "Activations", m.activationsBytes());
        add(rows, "Gradients", m.gradientsBytes());
        add(rows, "Optimizer states", m.optimizerStatesBytes());
        rows.add(List.of("Runtime overhead", Format.gib(m.overheadBytes())));
        rows.add(List.of("Total per GPU (" + m.stage() + " stage)", Format.gib(m.totalBytes())));
        rows.add(List.of("Rule of thumb, whole model", Format.gib(e.ruleOfThumbBytes())));
        Estimate.Host h = e.host();
        if (h != null) {
            rows.add(List.of(h.gpuLayers() != null
                    ? "Host memory per node (" + h.gpuLayers() + " layers on the GPU, " + h.cpuLayers() + " on the CPU)"
                    : "Host memory per node (offloaded weights)", Format.gib(h.totalBytes()) + " of "
                    + Format.gib(h.capacityBytes()) + (h.fits() ? ", fits" : ", does not fit") + "; read at "
                    + Format.gbPerSecond(h.bandwidthBytesPerSecond())));
        }
        return new Report.Section("Memory per GPU", List.of(new Report.Table(List.of("Component", "GiB"), rows),
                new Report.Chart("memory", PlanCharts.memoryBars(List.of(new PlanCharts.Bar(e.model(), e))),
                        "Per GPU, most loaded GPU; GiB = 2^30 bytes. Dashed line: memory the runtime may use on one "
                                + e.fit().gpu() + ". Source: Headroom sizing engine, assumptions in the report.")));
    }

    private static void add(List<List<String>> rows, String label, Long bytes) {
        if (bytes != null) {
            rows.add(List.of(label, Format.gib(bytes)));
        }
    }

    private static List<List<String>> fitRows(Estimate e) {
        Estimate.Fit f = e.fit();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Fits as planned", f.fits() ? "yes" : "no"));
        rows.add(List.of("Usable per GPU", Format.gib(f.usableBytes()) + " of " + Format.gib(f.capacityBytes())));
        rows.add(List.of("Headroom per GPU", Format.gib(f.headroomBytes())));
        rows.add(List.of("Fewest GPUs that fit", f.minGpus() == null ? "none up to 8 x layers"
                : f.minGpus() + " (tp " + f.minTensorParallel() + " x pp " + f.minPipelineParallel() + ")"));
        rows.add(List.of("Largest batch that fits", String.valueOf(f.maxBatch())));
        rows.add(List.of("Longest sequence that fits", String.valueOf(f.maxContextTokens())));
        Estimate.Layout l = e.layout();
        if (l != null) {
            rows.add(List.of("Layout", l.nodes() + (l.nodes() == 1 ? " node" : " nodes") + " x " + l.gpusPerNode()
                    + (l.gpusPerNode() == 1 ? " GPU" : " GPUs") + " (fast-link domain " + l.domainGpus() + ")" + (l.nodes() == 1 ? ""
                    : ", " + l.network() + " between nodes, " + Format.gbPerSecond(l.networkBytesPerSecondPerGpu())
                    + " per GPU")));
            link(rows, "Tensor parallel", l.tensorLink(), l.tensorSeconds());
            link(rows, "Pipeline", l.pipelineLink(), l.pipelineSeconds());
            link(rows, "Data-parallel all-reduce", l.dataParallelLink(), l.dataParallelSeconds());
            link(rows, "Expert all-to-all", l.expertLink(), l.expertSeconds());
        }
        return rows;
    }

    private static void link(List<List<String>> rows, String group, String link, Double seconds) {
        if (link != null) {
            rows.add(List.of(group, "over " + link + ", " + seconds(seconds) + " per step"));
        }
    }

    private static List<List<String>> speedRows(Estimate e) {
        Estimate.Performance p = e.performance();
        List<List<String>> rows = new ArrayList<>();
        if (p.outputTokensPerSecond() != null) {
            rows.add(List.of("Prefill", seconds(p.prefillSeconds()) + " (" + p.prefillBound() + "-bound)"));
            rows.add(List.of("Time per output token", seconds(p.timePerOutputTokenSeconds()) + " (" + p.decodeBound()
                    + "-bound)"));
            rows.add(List.of("Output tokens/s, whole batch", Format.number(round(p.outputTokensPerSecond()))));
            rows.add(List.of("Request latency", seconds(p.requestLatencySeconds())));
        } else {
            rows.add(List.of("Step", seconds(p.trainingStepSeconds())));
            rows.add(List.of("Training tokens/s", Format.number(round(p.trainingTokensPerSecond()))));
            rows.add(List.of("MFU", p.mfu() == null ? "-" : Format.percent(p.mfu())));
            rows.add(List.of("Days", Format.number(p.trainingDays())));
            rows.add(List.of("GPU-hours", Format.number(round(p.trainingGpuHours()))));
        }
        return rows;
    }

    private static Report.Table comparison(List<GpuComparison.Row> rows) {
        List<List<String>> out = new ArrayList<>();
        for (GpuComparison.Row r : rows) {
            Double tokens = r.outputTokensPerSecond() != null ? r.outputTokensPerSecond() : r.trainingTokensPerSecond();
            out.add(List.of(r.gpu().id(), r.gpu().gpuClass().label(), r.fitsAsPlanned() ? "yes" : "no",
                    r.gpusNeeded() == null ? "-" : String.valueOf(r.gpusNeeded()),
                    r.gpusNeeded() == null ? "-" : "tp " + r.tensorParallel() + " x pp " + r.pipelineParallel(),
                    Format.number(round(tokens)), r.priceUsd() == null ? "-" : Format.usd(r.priceUsd())));
        }
        return new Report.Table(List.of("GPU", "Class", "Fits as planned", "GPUs needed", "Layout", "Tokens/s",
                "Price each"), out);
    }

    private static Report.Section costs(Catalog catalog, Gpu gpu, int count, Estimate e) {
        Double tokens = e.performance().outputTokensPerSecond() != null ? e.performance().outputTokensPerSecond()
                : e.performance().trainingTokensPerSecond();
        CostOption o = new CostEngine(catalog).owned(gpu, count, tokens, CostAssumptions.NONE);
        List<Report.Block> blocks = new ArrayList<>();
        blocks.add(new Report.Paragraph(String.format(Locale.ROOT, "Owning %d\u00d7 %s: capex %s, opex %s a month,"
                        + " %s per useful GPU-hour, %s per million tokens, at the default cost assumptions (Epoch AI,"
                        + " CBRE; utilization 60 %%; see 'headroom cost').", count, gpu.name(), Format.usd(o.capexUsd()),
                Format.usd(o.monthlyOpexUsd()), Format.usd(o.costPerUsefulGpuHourUsd()),
                o.costPerMillionTokensUsd() == null ? "-" : Format.usd(o.costPerMillionTokensUsd()))));
        List<List<String>> rows = new ArrayList<>();
        for (CostOption.Versus v : o.versus()) {
            rows.add(List.of(v.provider() + " " + v.instanceType(), v.pricing(), Format.usd(v.gpuHourUsd()), v.priceDate(),
                    v.breakEvenMonth() == null ? "beyond horizon" : String.valueOf(v.breakEvenMonth()),
                    v.breakEvenUtilization() == null ? "-" : Format.percent(v.breakEvenUtilization())));
        }
        blocks.add(new Report.Table(List.of("Cloud offer", "Pricing", "$/GPU-h", "Dated", "Break-even month",
                "Break-even utilization"), rows));
        return new Report.Section("Costs: owning against renting", blocks);
    }

    private static String seconds(Double s) {
        return s == null ? "-" : s < 1 ? String.format(Locale.ROOT, "%.1f ms", s * 1000)
                : String.format(Locale.ROOT, "%.2f s", s);
    }

    private static Double round(Double v) {
        return v == null ? null : Math.rint(v);
    }
}
