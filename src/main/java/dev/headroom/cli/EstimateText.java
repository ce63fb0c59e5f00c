package dev.headroom.cli;

import dev.headroom.common.Format;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.GpuComparison;
import dev.headroom.sizing.Scenario;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** An estimate as a readable report: memory with shares, fit, speed, the assumptions, the warnings. */
final class EstimateText {
    private EstimateText() {
    }

    static void print(Scenario scenario, Estimate e, PrintWriter out) {
        Scenario.Parallelism p = scenario.parallelism();
        out.printf(Locale.ROOT, "%s: %s parameters (%s active), %s on %d x %s, tp %d pp %d dp %d%n", e.model(),
                Format.parameters(e.parameters()), Format.parameters(e.activeParameters()),
                scenario.workload().label(), scenario.hardware().count(), e.fit().gpu(), p.tensor(), p.pipeline(),
                p.data());
        out.println();
        memory(scenario, e, out);
        fitAndSpeed(scenario, e, out);
        assumptionsAndWarnings(e, out);
    }

    /**
     * An estimate made without a GPU: the memory, then per catalog GPU how many it takes (Plan's GPUs tab), then
     * the assumptions; no fit and no speed, which need a GPU.
     */
    static void printWithoutGpu(Scenario scenario, Estimate e, List<GpuComparison.Row> gpus, PrintWriter out) {
        Scenario.Parallelism p = scenario.parallelism();
        out.printf(Locale.ROOT, "%s: %s parameters (%s active), %s, no GPU given: memory per GPU at tp %d pp %d%n",
                e.model(), Format.parameters(e.parameters()), Format.parameters(e.activeParameters()),
                scenario.workload().label(), p.tensor(), p.pipeline());
        out.println();
        memory(scenario, e, out);
        out.println("On each catalog GPU (--gpu ID sizes the fit and the speed on one)");
        TextTable table = new TextTable("GPU", "CLASS", "FITS AS GIVEN", "GPUS NEEDED", "LAYOUT", "USABLE GiB",
                "TOKENS/S", "PRICE OF THOSE GPUS").alignRight(3, 5, 6, 7);
        for (GpuComparison.Row r : gpus) {
            Double tokens = r.outputTokensPerSecond() != null ? r.outputTokensPerSecond() : r.trainingTokensPerSecond();
            table.add(r.gpu().id(), r.gpu().gpuClass().label(), r.fitsAsPlanned() ? "yes" : "no",
                    r.gpusNeeded() == null ? "none up to tp 8 x pp layers" : r.gpusNeeded(),
                    r.gpusNeeded() == null ? "-" : "tp " + r.tensorParallel() + " x pp " + r.pipelineParallel(),
                    Format.fixed(r.capacityBytes() / Format.GIB, 1), tokens == null ? "-" : Format.fixed(tokens, 0),
                    r.priceUsd() == null ? "-" : Format.usd(r.priceUsd()));
        }
        table.print(out);
        out.println();
        assumptionsAndWarnings(e, out);
    }

    private static void memory(Scenario scenario, Estimate e, PrintWriter out) {
        Estimate.Memory m = e.memory();
        out.printf("Memory per GPU (%s stage, GiB = 2^30 bytes)%n", m.stage());
        TextTable memory = new TextTable("COMPONENT", "GiB", "SHARE").alignRight(1, 2);
        row(memory, "weights", m.weightsBytes(), m.totalBytes());
        row(memory, "KV cache", m.kvCacheBytes(), m.totalBytes());
        row(memory, "activations", m.activationsBytes(), m.totalBytes());
        if (scenario.workload().isTraining()) {
            row(memory, "gradients", m.gradientsBytes(), m.totalBytes());
            row(memory, "optimizer states", m.optimizerStatesBytes(), m.totalBytes());
        }
        row(memory, "runtime overhead", m.overheadBytes(), m.totalBytes());
        row(memory, "total", m.totalBytes(), m.totalBytes());
        memory.print(out);
        if (e.kvCacheBytesPerToken() != null) {
            out.printf(Locale.ROOT, "KV cache per token (whole model, at this context): %,d bytes%n", e.kvCacheBytesPerToken());
            java.util.Set<Long> distinct = new java.util.HashSet<>(e.kvCacheBytesPerTokenByContext().values());
            if (distinct.size() > 1) { // windows, chunks or fixed states: the figure depends on the context
                StringBuilder byContext = new StringBuilder("  by context:");
                e.kvCacheBytesPerTokenByContext().forEach((context, bytes) -> byContext.append(String.format(Locale.ROOT,
                        " %,d tokens %,d B;", Integer.parseInt(context), bytes)));
                out.println(byContext.substring(0, byContext.length() - 1));
            }
        }
        Estimate.Host h = e.host();
        if (h != null) {
            out.printf(Locale.ROOT, "Host memory per node (%s): %s weights + %s KV cache = %s of %s: %s%n",
                    h.gpuLayers() != null ? String.format(Locale.ROOT, "%d layers on the GPU, %d on the CPU%s",
                            h.gpuLayers(), h.cpuLayers(), h.outputOnGpu() ? "" : ", output head on the CPU")
                            : "offloaded weights of the node's GPUs",
                    Format.gib(h.weightsBytes()), Format.gib(h.kvCacheBytes()), Format.gib(h.totalBytes()),
                    Format.gib(h.capacityBytes()), h.fits() ? "fits" : "DOES NOT FIT");
            out.printf(Locale.ROOT, "  read at %s (%s)%n", Format.gbPerSecond(h.bandwidthBytesPerSecond()), h.platform());
        }
        out.printf(Locale.ROOT, "Rule of thumb (whole model, %s): %s%n",
                scenario.workload().isTraining() ? "parameters x bytes x 6" : "parameters x bytes x 1.2",
                Format.gib(e.ruleOfThumbBytes()));
        out.println();
    }

    private static void fitAndSpeed(Scenario scenario, Estimate e, PrintWriter out) {
        Estimate.Fit f = e.fit();
        out.printf(Locale.ROOT, "Fit on %s: %s (%s usable of %s; headroom %s)%n", f.gpu(), f.fits() ? "FITS" : "DOES NOT FIT",
                Format.gib(f.usableBytes()), Format.gib(f.capacityBytes()), signedGib(f.headroomBytes()));
        out.printf(Locale.ROOT, "  minimum GPUs: %s%n", f.minGpus() == null ? "none up to tp 8 x pp layers"
                : f.minGpus() + " (tp " + f.minTensorParallel() + " x pp " + f.minPipelineParallel() + ")");
        out.printf(Locale.ROOT, "  largest %s: %s   longest sequence: %s tokens   concurrent sequences: %s%n",
                scenario.workload().isTraining() ? "micro-batch" : "batch", f.maxBatch(),
                f.maxContextTokens() == null ? "-" : String.format(Locale.ROOT, "%,d", f.maxContextTokens()),
                f.maxConcurrentSequences() == null ? "-" : f.maxConcurrentSequences());
        out.println();

        layout(e.layout(), out);

        Estimate.Performance s = e.performance();
        out.println("Speed");
        if (s.prefillSeconds() != null) {
            out.printf(Locale.ROOT, "  time to first token (prefill of the whole batch): %s (%s-bound)%n",
                    Format.time(s.prefillSeconds()), s.prefillBound());
            out.printf(Locale.ROOT, "  time per output token: %s (%s-bound)%n", Format.time(s.timePerOutputTokenSeconds()),
                    s.decodeBound());
            out.printf(Locale.ROOT, "  output tokens/s for the batch: %,.1f   request latency: %s%n",
                    s.outputTokensPerSecond(), Format.time(s.requestLatencySeconds()));
        } else {
            out.printf(Locale.ROOT, "  step: %s   tokens/s: %,.0f   MFU achieved: %.1f %%%n",
                    Format.time(s.trainingStepSeconds()), s.trainingTokensPerSecond(), s.mfu() * 100);
            if (s.trainingDays() != null) {
                out.printf(Locale.ROOT, "  to train %.3g tokens: %.1f days, %,.0f GPU-hours%n",
                        scenario.training().trainTokens(), s.trainingDays(), s.trainingGpuHours());
            }
        }
        out.println();
    }

    private static void assumptionsAndWarnings(Estimate e, PrintWriter out) {
        out.println("Assumptions");
        e.assumptions().values().forEach(a -> out.printf(Locale.ROOT, "  %-48s %s %s  [%s]%n", a.label(),
                value(a.value()), a.unit() == null ? "" : a.unit(), a.source()));
        if (!e.warnings().isEmpty()) {
            out.println();
            out.println("Warnings");
            e.warnings().forEach(w -> out.println("  - " + w));
        }
    }

    /** Nodes, the network, and where each parallel group's traffic goes with its time per step. */
    private static void layout(Estimate.Layout l, PrintWriter out) {
        if (l == null) {
            return;
        }
        out.printf(Locale.ROOT, "Layout: %d node%s x %d GPU%s (fast-link domain %d)%s%n", l.nodes(),
                l.nodes() == 1 ? "" : "s", l.gpusPerNode(), l.gpusPerNode() == 1 ? "" : "s", l.domainGpus(),
                l.nodes() == 1 ? "" : ", " + l.network() + " between nodes: "
                        + Format.gbPerSecond(l.networkBytesPerSecondPerGpu()) + " per GPU");
        link(out, "tensor parallel", l.tensorLink(), l.tensorSeconds());
        link(out, "pipeline", l.pipelineLink(), l.pipelineSeconds());
        if (l.dataParallelLink() != null) {
            out.printf(Locale.ROOT, "  data-parallel all-reduce over %s: %s per step, %s of it exposed%n",
                    l.dataParallelLink(), Format.time(l.dataParallelSeconds()), Format.time(l.exposedDataParallelSeconds()));
        }
        link(out, "expert all-to-all", l.expertLink(), l.expertSeconds());
        out.println();
    }

    private static void link(PrintWriter out, String group, String link, Double seconds) {
        if (link != null) {
            out.printf(Locale.ROOT, "  %s over %s: %s per step%n", group, link, Format.time(seconds));
        }
    }

    private static void row(TextTable table, String name, Long bytes, long total) {
        table.add(name, bytes == null ? "n/a" : String.format(Locale.ROOT, "%.2f", bytes / Format.GIB),
                bytes == null || total == 0 ? "" : String.format(Locale.ROOT, "%.1f %%", 100.0 * bytes / total));
    }

    private static String value(Object value) {
        if (value instanceof Number number && Math.abs(number.doubleValue()) >= 1e5) {
            return String.format(Locale.ROOT, "%,.0f", number.doubleValue());
        }
        if (value instanceof Double number && number > 0 && number < 1e-3) {
            return String.format(Locale.ROOT, "%.3g", number);
        }
        return String.valueOf(value);
    }

    private static String signedGib(long bytes) {
        return (bytes < 0 ? "-" : "") + Format.gib(Math.abs(bytes));
    }
}
