package dev.headroom.cli;

import dev.headroom.common.Format;
import dev.headroom.serving.SimulationResult;
import dev.headroom.serving.SimulationResult.Latency;
import java.io.PrintWriter;
import java.util.Locale;

/** A simulation as a readable report: the verdict, the latency table, throughput, goodput, cost, assumptions. */
final class SimulationText {
    private SimulationText() {
    }

    static void print(SimulationResult r, PrintWriter out) {
        out.println("Verdict: " + r.verdict());
        out.printf(Locale.ROOT, "%,d requests completed in %s%s%n", r.requests(), Format.time(r.durationSeconds()),
                r.rejected() > 0 ? String.format(Locale.ROOT, " (%,d never admitted: longer than a replica's KV"
                        + " cache)", r.rejected()) : "");
        out.println();
        if (r.ttftSeconds() != null) {
            TextTable latency = new TextTable("LATENCY", "p50", "p90", "p99", "max", "mean").alignRight(1, 2, 3, 4, 5);
            row(latency, "time to first token", r.ttftSeconds());
            row(latency, "time per output token", r.tpotSeconds());
            row(latency, "end to end", r.e2eSeconds());
            row(latency, "queued", r.queueSeconds());
            latency.print(out);
            for (SimulationResult.ClassLatency c : r.classes()) {
                out.printf(Locale.ROOT, "  %s priority (%,d requests): TTFT p99 %s, TPOT p99 %s%n", c.name(),
                        c.requests(), c.ttftSeconds() == null ? "-" : Format.time(c.ttftSeconds().p99()),
                        c.tpotSeconds() == null ? "-" : Format.time(c.tpotSeconds().p99()));
            }
            out.println();
        }
        SimulationResult.Throughput t = r.throughput();
        out.printf(Locale.ROOT, "Throughput: %.3g requests/s, %,.0f input tokens/s, %,.0f output tokens/s%n",
                t.requestsPerSecond(), t.inputTokensPerSecond(), t.outputTokensPerSecond());
        if (r.slo() != null && r.slo().any()) {
            out.printf(Locale.ROOT, "Goodput: %s requests/s meet every SLO (%s of requests); targets: %s%n",
                    r.goodputRequestsPerSecond() == null ? "-" : String.format(Locale.ROOT, "%.3g",
                            r.goodputRequestsPerSecond()),
                    r.sloAttainment() == null ? "-" : String.format(Locale.ROOT, "%.1f %%", r.sloAttainment() * 100),
                    targets(r));
        }
        int peak = r.replicas().stream().mapToInt(SimulationResult.ReplicaPoint::replicas).max().orElse(0);
        out.printf(Locale.ROOT, "Preemptions: %,d   GPUs busy (a step running): %.1f %%   replicas: %d at the start, %d at most%n",
                r.preemptions(), r.utilization() * 100, r.replicas().isEmpty() ? 0 : r.replicas().get(0).replicas(),
                peak);
        if (r.capacity() != null) {
            SimulationResult.Capacity c = r.capacity();
            out.printf(Locale.ROOT, "Capacity estimate: %.3g requests/s per replica at batch %d (%s-limited; %,d KV"
                    + " blocks of %d tokens)%n", c.requestsPerSecondPerReplica(), c.batch(), c.limitedBy(),
                    c.kvBlocks(), c.blockTokens());
        }
        if (r.littlesLaw() != null) {
            SimulationResult.LittlesLaw l = r.littlesLaw();
            out.printf(Locale.ROOT, "Little's law: L = %.4g in the system on average, lambda x W = %.4g x %.4g s"
                    + " (%.2f %% apart)%n", l.meanInSystem(), l.arrivalRate(), l.meanSecondsInSystem(),
                    l.relativeError() * 100);
        }
        SimulationResult.Cost c = r.costUsd();
        out.printf(Locale.ROOT, "Cost of the period: %.4g GPU-hours; owned %s; rented %s%n", c.gpuHours(),
                Format.usd(c.owned()), c.cloud() == null ? "- (no on-demand offer in the catalog)"
                        : Format.usd(c.cloud()) + " (" + c.cloudOffer() + " at " + Format.usd(c.cloudGpuHourUsd())
                        + " per GPU-hour)");
        if (r.maxRate() != null) {
            SimulationResult.MaxRate m = r.maxRate();
            out.printf(Locale.ROOT, "Max rate meeting the SLOs: %.3g requests/s (%,.0f output tokens/s), %d runs,"
                    + " bracket %.2g requests/s%n", m.requestsPerSecond(), m.outputTokensPerSecond(), m.iterations(),
                    m.precision());
        }
        if (r.comparison() != null) {
            out.println();
            TextTable plans = new TextTable("LAYOUT", "GPUs", "TTFT p99", "TPOT p99", "SLOs met", "cost", "verdict")
                    .alignRight(1, 2, 3, 4, 5);
            for (SimulationResult.Comparison.Plan p : new SimulationResult.Comparison.Plan[] {
                r.comparison().horizontal(), r.comparison().vertical()}) {
                plans.add(p.layout(), p.gpus(), p.ttftSeconds() == null ? "-" : Format.time(p.ttftSeconds().p99()),
                        p.tpotSeconds() == null ? "-" : Format.time(p.tpotSeconds().p99()),
                        p.sloAttainment() == null ? "-" : String.format(Locale.ROOT, "%.1f %%", p.sloAttainment() * 100),
                        Format.usd(p.costUsd()), p.verdict());
            }
            out.println("Horizontal against vertical at the same GPU count");
            plans.print(out);
        }
        out.println();
        out.println("Assumptions");
        r.assumptions().forEach(a -> out.println("  - " + a));
        if (!r.warnings().isEmpty()) {
            out.println("Warnings");
            r.warnings().forEach(w -> out.println("  - " + w));
        }
    }

    private static String targets(SimulationResult r) {
        StringBuilder s = new StringBuilder();
        if (r.slo().ttftSeconds() != null) {
            s.append("TTFT p99 <= ").append(Format.time(r.slo().ttftSeconds()));
        }
        if (r.slo().tpotSeconds() != null) {
            s.append(s.length() > 0 ? ", " : "").append("TPOT p99 <= ").append(Format.time(r.slo().tpotSeconds()));
        }
        return s.toString();
    }

    private static void row(TextTable table, String name, Latency l) {
        if (l == null) {
            table.add(name, "-", "-", "-", "-", "-");
            return;
        }
        table.add(name, Format.time(l.p50()), Format.time(l.p90()), Format.time(l.p99()), Format.time(l.max()),
                Format.time(l.mean()));
    }
}
