package dev.headroom.cli;

import static dev.headroom.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
    private static final String[] PLAN = {"simulate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm"};

    @TempDir
    Path folder;

    @org.junit.jupiter.api.extension.RegisterExtension
    final IsolatedUserCatalog userCatalog = new IsolatedUserCatalog();

    private static String[] plan(String... more) {
        String[] args = new String[PLAN.length + more.length];
        System.arraycopy(PLAN, 0, args, 0, PLAN.length);
        System.arraycopy(more, 0, args, PLAN.length, more.length);
        return args;
    }

    /** The --json contract of the serving issue. */
    @Test
    void jsonCarriesTheContractFields() throws Exception {
        CliTest.Run run = run(plan("--rate", "10", "--requests", "300", "--input-tokens", "uniform:500:1500",
                "--output-tokens", "lognormal:200:100", "--ttft-slo", "2s", "--tpot-slo", "200ms", "--json"));

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode j = run.json();
        for (String field : List.of("requests", "durationSeconds", "goodputRequestsPerSecond", "sloAttainment",
                "preemptions", "utilization", "costUsd", "maxRate", "assumptions", "warnings")) {
            assertThat(j.has(field)).as(field).isTrue();
        }
        for (String latency : List.of("ttftSeconds", "tpotSeconds", "e2eSeconds")) {
            for (String stat : List.of("p50", "p90", "p99", "max", "mean")) {
                assertThat(j.get(latency).get(stat).isNumber()).as(latency + "." + stat).isTrue();
            }
            assertThat(j.get(latency).get("p50").asDouble()).isLessThanOrEqualTo(j.get(latency).get("p99").asDouble());
        }
        for (String field : List.of("requestsPerSecond", "inputTokensPerSecond", "outputTokensPerSecond")) {
            assertThat(j.get("throughput").get(field).asDouble()).as(field).isPositive();
        }
        assertThat(j.get("requests").asLong()).isEqualTo(300);
        assertThat(j.get("maxRate").isNull()).as("only with --find-max-rate").isTrue();
        assertThat(j.get("replicas").isArray()).isTrue();
        assertThat(j.at("/replicas/0/replicas").asInt()).isEqualTo(1);
        assertThat(j.get("sloAttainment").asDouble()).isBetween(0.0, 1.0);
        assertThat(j.get("utilization").asDouble()).isBetween(0.0, 1.0);
        assertThat(j.at("/costUsd/gpuHours").asDouble()).isPositive();
        assertThat(j.get("assumptions").toString()).contains("vLLM V1 (0.11)");
        // Little's law holds on every run: the time-average in the system equals arrival rate x mean time in it.
        assertThat(j.at("/littlesLaw/relativeError").asDouble()).isLessThan(0.01);
    }

    @Test
    void theSameSeedGivesTheSameOutputAndAnotherSeedDoesNot() throws Exception {
        String[] args = plan("--rate", "15", "--requests", "400", "--seed", "7", "--json");
        CliTest.Run a = run(args);
        CliTest.Run b = run(args);
        CliTest.Run c = run(plan("--rate", "15", "--requests", "400", "--seed", "8", "--json"));

        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
        assertThat(c.out()).isNotEqualTo(a.out());
    }

    @Test
    void aRateAboveCapacityIsUnstableRatherThanANumber() throws Exception {
        CliTest.Run run = run(plan("--rate", "200", "--requests", "3000", "--replicas", "2", "--json"));

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode j = run.json();
        assertThat(j.get("stable").asBoolean()).isFalse();
        assertThat(j.get("verdict").asText()).startsWith("unstable: arrivals exceed what 2 replicas serve");
        assertThat(j.get("ttftSeconds").isNull()).isTrue();
    }

    @Test
    void findMaxRateBisectsToTheHighestRateThatMeetsTheSlos() throws Exception {
        CliTest.Run run = run(plan("--requests", "400", "--output-tokens", "128", "--ttft-slo", "500ms",
                "--tpot-slo", "60ms", "--find-max-rate", "--json"));

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode j = run.json();
        double rate = j.at("/maxRate/requestsPerSecond").asDouble();
        assertThat(rate).isPositive();
        assertThat(j.at("/maxRate/outputTokensPerSecond").asDouble()).isCloseTo(rate * 128,
                org.assertj.core.data.Offset.offset(1e-6 * rate * 128));
        // The run shown is one that met the targets.
        assertThat(j.at("/ttftSeconds/p99").asDouble()).isLessThanOrEqualTo(0.5);
        assertThat(j.at("/tpotSeconds/p99").asDouble()).isLessThanOrEqualTo(0.06);
    }

    @Test
    void aSavedPlanIsSimulatedAsItIs() throws Exception {
        Path planFile = folder.resolve("plan.json");
        CliTest.Run saved = run("size", "--model", "llama-3.1-8b", "--gpu", "l40s", "--weights", "fp8", "--save",
                planFile.toString());
        assertThat(saved.code()).as(saved.err()).isZero();

        CliTest.Run run = run("simulate", "--plan", planFile.toString(), "--rate", "3", "--requests", "100");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("llama-3.1-8b (fp8)", "x l40s", "Verdict: ", "time to first token",
                "Little's law", "Assumptions");
        // An L40S (48 GB) gets vLLM 0.11's smaller defaults.
        assertThat(run.out()).contains("within 2048 tokens per step, at most 256 running sequences");
    }

    @Test
    void aTraceBringsItsArrivalsAndLengths() throws Exception {
        Path trace = folder.resolve("trace.csv");
        Files.writeString(trace, "arrival_seconds,input_tokens,output_tokens\n# a comment\n0,100,10\n0.5,2000,50\n"
                + "1.25,300,200\n");

        CliTest.Run run = run(plan("--arrival", "trace:" + trace, "--json"));

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode j = run.json();
        assertThat(j.get("requests").asLong()).isEqualTo(3);
        assertThat(j.at("/throughput/inputTokensPerSecond").asDouble() * j.get("durationSeconds").asDouble())
                .isCloseTo(2400, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void aTraceLineThatDoesNotParseIsNamedByItsNumber() throws Exception {
        Path trace = folder.resolve("bad.csv");
        Files.writeString(trace, "arrival_seconds,input_tokens,output_tokens\n0,100,10\n0.5,abc,5\n");

        CliTest.Run run = run(plan("--arrival", "trace:" + trace));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("line 3", "0.5,abc,5", "whole numbers");
    }

    @Test
    void badInputNamesTheFieldTheValueAndTheRangeAllAtOnce() throws Exception {
        CliTest.Run run = run(plan("--rate", "0", "--ttft-slo", "0", "--tpot-slo", "-5ms", "--replicas", "0"));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("rate = 0: must be above 0 and at most 1000000 requests/s",
                "ttft-slo = 0: must be between 1ms and 1h", "tpot-slo = -5ms: must be between 1ms and 1h",
                "replicas = 0");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void lengthsBeyondTheModelsContextAreRefused() throws Exception {
        CliTest.Run run = run(plan("--rate", "1", "--input-tokens", "uniform:1000:200000"));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("input-tokens + output-tokens = uniform:1000:200000 + 128",
                "context of 131072");
    }

    @Test
    void malformedDistributionsAndPoliciesSayWhatIsAllowed() throws Exception {
        CliTest.Run run = run(plan("--rate", "1", "--output-tokens", "lognormal:100", "--arrival", "gamma:0",
                "--balancer", "random", "--autoscale", "gpu:3"));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("output-tokens = lognormal:100: must be lognormal:MEAN:SD",
                "arrival = gamma:0: the coefficient of variation must be between 0.05 and 20",
                "balancer = random: must be one of rr, least-outstanding, least-kv",
                "autoscale = gpu:3: must be queue:N, util:X or ttft:S");
    }

    @Test
    void aTrainingScenarioIsNotServed() throws Exception {
        CliTest.Run run = run(plan("--rate", "1", "--workload", "pretrain"));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("workload = pretrain: simulate serves inference only");
    }

    @Test
    void autoscalingAddsReplicasUnderABurstAndSaysWhenTheyServe() throws Exception {
        CliTest.Run run = run(plan("--rate", "60", "--duration", "10m", "--autoscale", "queue:4",
                "--max-replicas", "4", "--scale-up-delay", "30s", "--json"));

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode j = run.json();
        int peak = 0;
        for (JsonNode point : j.get("replicas")) {
            peak = Math.max(peak, point.get("replicas").asInt());
        }
        assertThat(peak).isBetween(2, 4);
        assertThat(j.get("assumptions").toString()).contains("serves 30 s after it is asked for");
    }
}
