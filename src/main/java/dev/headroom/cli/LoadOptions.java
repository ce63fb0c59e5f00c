package dev.headroom.cli;

import dev.headroom.serving.ServingSpec;
import picocli.CommandLine.Option;

/** The load and targets {@code simulate} and {@code recommend} share: rate, arrivals, lengths, run length, SLOs, seed. */
final class LoadOptions {
    @Option(names = "--rate", paramLabel = "R", description = "Requests per second (open loop).")
    Double rate;
    @Option(names = "--arrival", paramLabel = "poisson|gamma:CV|diurnal:PEAK_TO_AVG|trace:FILE",
            description = "Arrival process (default poisson). A trace is CSV arrival_seconds,input_tokens,output_tokens;"
                    + " with --rate its times are scaled to that mean rate.")
    String arrival;
    @Option(names = "--input-tokens", paramLabel = "N|uniform:A:B|lognormal:MEAN:SD",
            description = "Prompt tokens per request (default " + ServingSpec.DEFAULT_INPUT + ", vllm bench serve's random dataset).")
    String inputTokens;
    @Option(names = "--output-tokens", paramLabel = "N|uniform:A:B|lognormal:MEAN:SD",
            description = "Output tokens per request (default " + ServingSpec.DEFAULT_OUTPUT + ").")
    String outputTokens;
    @Option(names = "--requests", paramLabel = "N", description = "Arrivals for N requests per run (default " + ServingSpec.DEFAULT_REQUESTS
            + ", vllm bench serve's --num-prompts; a trace: all its rows).")
    Long requests;
    @Option(names = "--ttft-slo", paramLabel = "DURATION", description = "p99 time-to-first-token target, e.g. 2s.")
    String ttftSlo;
    @Option(names = "--tpot-slo", paramLabel = "DURATION", description = "p99 time-per-output-token target, e.g. 200ms.")
    String tpotSlo;
    @Option(names = "--seed", paramLabel = "N", description = "Random streams' seed (default 0).")
    long seed;
}
