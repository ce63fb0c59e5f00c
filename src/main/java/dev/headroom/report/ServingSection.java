package dev.headroom.report;

import dev.headroom.common.Format;
import dev.headroom.serving.SimulationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A serving simulation as a report section: the verdict, the latency table, the run's figures, the charts. */
final class ServingSection {
    private ServingSection() {
    }

    static Report.Section of(SimulationResult r) {
        List<Report.Block> blocks = new ArrayList<>();
        blocks.add(new Report.Paragraph("Verdict: " + r.verdict() + "."));
        List<List<String>> latency = new ArrayList<>();
        add(latency, "Time to first token", r.ttftSeconds());
        add(latency, "Time per output token", r.tpotSeconds());
        add(latency, "End to end", r.e2eSeconds());
        add(latency, "Queued", r.queueSeconds());
        if (!latency.isEmpty()) {
            blocks.add(new Report.Table(List.of("Latency", "p50", "p90", "p99", "max", "mean"), latency));
        }
        List<List<String>> rows = new ArrayList<>();
        SimulationResult.Throughput t = r.throughput();
        rows.add(List.of("Requests completed", String.format(Locale.ROOT, "%,d in %s", r.requests(),
                Format.time(r.durationSeconds()))));
        rows.add(List.of("Throughput", String.format(Locale.ROOT, "%.3g requests/s, %,.0f input and %,.0f output"
                + " tokens/s", t.requestsPerSecond(), t.inputTokensPerSecond(), t.outputTokensPerSecond())));
        if (r.goodputRequestsPerSecond() != null) {
            rows.add(List.of("Goodput", String.format(Locale.ROOT, "%.3g requests/s meet every SLO",
                    r.goodputRequestsPerSecond())));
        }
        if (r.sloAttainment() != null) {
            rows.add(List.of("SLO attainment", String.format(Locale.ROOT, "%.1f %%", r.sloAttainment() * 100)));
        }
        if (r.maxRate() != null) {
            rows.add(List.of("Highest rate meeting the SLOs", String.format(Locale.ROOT, "%.3g requests/s",
                    r.maxRate().requestsPerSecond())));
        }
        rows.add(List.of("Preemptions", String.format(Locale.ROOT, "%,d", r.preemptions())));
        rows.add(List.of("GPUs busy", String.format(Locale.ROOT, "%.1f %% of the time", r.utilization() * 100)));
        SimulationResult.Cost c = r.costUsd();
        rows.add(List.of("Cost of the period", String.format(Locale.ROOT, "%.3g GPU-hours; owned %s; rented %s",
                c.gpuHours(), Format.usd(c.owned()), c.cloud() == null ? "no offer" : Format.usd(c.cloud()) + " ("
                        + c.cloudOffer() + ")")));
        blocks.add(new Report.Table(List.of("Measure", "Value"), rows));
        String source = " Source: Headroom serving simulation (vLLM 0.11 scheduler model), assumptions below.";
        if (r.ttftSeconds() != null) {
            blocks.add(new Report.Chart("serving-latency-cdf", ServingCharts.latencyCdf(r),
                    "Share of requests at or under each latency; dashed lines: the p99 targets." + source));
        }
        blocks.add(new Report.Chart("serving-latency-over-time", ServingCharts.latencyOverTime(r),
                "p99 of the requests that reached their first token (TTFT) or finished (TPOT) in each interval."
                        + source));
        blocks.add(new Report.Chart("serving-queue", ServingCharts.queueAndReplicas(r),
                "Requests waiting and running, KV blocks in use, replicas serving." + source));
        r.assumptions().forEach(a -> blocks.add(new Report.Paragraph("\u2022 " + a)));
        r.warnings().forEach(w -> blocks.add(new Report.Paragraph("Warning: " + w)));
        return new Report.Section("Serving under load", blocks);
    }

    private static void add(List<List<String>> rows, String name, SimulationResult.Latency l) {
        if (l != null) {
            rows.add(List.of(name, Format.time(l.p50()), Format.time(l.p90()), Format.time(l.p99()),
                    Format.time(l.max()), Format.time(l.mean())));
        }
    }
}
