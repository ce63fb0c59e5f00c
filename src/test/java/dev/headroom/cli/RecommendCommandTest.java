package dev.headroom.cli;

import static dev.headroom.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecommendCommandTest {
    private static final String[] QUESTION = {"recommend", "--model", "llama-3.1-8b", "--rate", "12",
        "--input-tokens", "2048", "--output-tokens", "256", "--ttft-slo", "2s", "--tpot-slo", "100ms",
        "--gpus", "h100-sxm,l40s,rtx-4090", "--max-gpus", "8", "--requests", "400"};

    @org.junit.jupiter.api.extension.RegisterExtension
    final IsolatedUserCatalog userCatalog = new IsolatedUserCatalog();

    private static String[] with(String... more) {
        String[] args = java.util.Arrays.copyOf(QUESTION, QUESTION.length + more.length);
        System.arraycopy(more, 0, args, QUESTION.length, more.length);
        return args;
    }

    /** The --json contract of the recommender issue. */
    @Test
    void jsonCarriesTheContractFields() throws Exception {
        CliTest.Run r = run(with("--json", "--top", "5"));

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        for (String field : List.of("candidates", "pareto", "rejected", "screened", "simulated", "assumptions")) {
            assertThat(j.has(field)).as(field).isTrue();
        }
        JsonNode c = j.at("/candidates/0");
        for (String field : List.of("gpu", "gpusPerReplica", "replicas", "tp", "pp", "weights", "kvCache", "maxSeqs",
                "ttftP99Seconds", "tpotP99Seconds", "outputTokensPerSecond", "costPerMonthUsd",
                "costPerMillionTokensUsd", "pricing", "bindingConstraint", "meetsSlo", "trainingDays",
                "checkpointIntervalHours", "expectedInterruptions")) {
            assertThat(c.has(field)).as(field).isTrue();
        }
        assertThat(j.get("candidates").size()).isBetween(1, 5);
        assertThat(c.get("meetsSlo").asBoolean()).isTrue();
        assertThat(c.get("ttftP99Seconds").asDouble()).isLessThanOrEqualTo(2.0);
        assertThat(c.get("trainingDays").isNull()).isTrue();
        assertThat(j.get("screened").asLong()).isGreaterThan(j.get("simulated").asLong());
        double previous = 0;
        for (JsonNode candidate : j.get("candidates")) {
            if (candidate.get("meetsSlo").asBoolean()) {
                assertThat(candidate.get("costPerMonthUsd").asDouble()).isGreaterThanOrEqualTo(previous);
                previous = candidate.get("costPerMonthUsd").asDouble();
            }
        }
    }

    @Test
    void theTextAnswerRanksExplainsAndStatesItsAssumptions() {
        CliTest.Run r = run(with("--top", "3"));

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("configurations screened", "$/MONTH", "Pareto front", "Assumptions",
                "Confirmed: the cheapest");
    }

    @Test
    void deployPrintsTheTopCandidatesLaunchCommandWithItsValues() throws Exception {
        JsonNode top = run(with("--json", "--top", "1")).json().at("/candidates/0");
        CliTest.Run vllm = run(with("--deploy", "vllm"));

        assertThat(vllm.code()).as(vllm.err()).isZero();
        assertThat(vllm.out().strip()).startsWith("vllm serve meta-llama/Llama-3.1-8B")
                .contains("--tensor-parallel-size " + top.get("tp").asInt(),
                        "--pipeline-parallel-size " + top.get("pp").asInt(),
                        "--max-num-seqs " + top.get("maxSeqs").asInt(), "--max-model-len 2304",
                        "--gpu-memory-utilization 0.9");
        assertThat(run(with("--deploy", "trtllm")).out()).startsWith("trtllm-serve ").contains("--tp_size ");
        assertThat(run(with("--deploy", "sglang")).out()).startsWith("python -m sglang.launch_server --model-path ");
    }

    @Test
    void targetsNothingMeetsExitZeroWithTheReasons() throws Exception {
        CliTest.Run r = run("recommend", "--model", "llama-3.1-8b", "--rate", "5", "--tpot-slo", "1ms", "--gpus",
                "h100-sxm,l40s", "--json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("candidates").size()).isZero();
        assertThat(j.get("rejected").toString()).contains("misses TPOT p99");
        // The closest configurations, simulated, each with what it misses, in the candidates' shape.
        assertThat(j.get("closest").size()).isBetween(1, 5);
        for (JsonNode c : j.get("closest")) {
            assertThat(c.get("meetsSlo").asBoolean()).isFalse();
            assertThat(c.get("bindingConstraint").asText()).startsWith("misses ").contains("TPOT p99 1.0 ms: ");
            assertThat(c.get("tpotP99Seconds").asDouble()).isGreaterThan(0.001);
        }
        assertThat(run("recommend", "--model", "llama-3.1-8b", "--rate", "5", "--tpot-slo", "1ms", "--gpus",
                "h100-sxm,l40s").out()).contains("Closest, simulated");
    }

    @Test
    void badFlagsExitTwoWithTheFieldTheValueAndTheRange() {
        CliTest.Run r = run("recommend", "--model", "llama-3.1-8b", "--rate", "0", "--gpus", "class:mainframe",
                "--deploy", "ollama", "--max-gpus", "0");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("rate = 0: must be above 0");
        CliTest.Run g = run("recommend", "--model", "llama-3.1-8b", "--rate", "1", "--ttft-slo", "1s", "--gpus",
                "class:mainframe");
        assertThat(g.code()).isEqualTo(2);
        assertThat(g.err()).contains("gpus = class:mainframe: the class must be consumer, workstation, data-center or unified");
        CliTest.Run d = run("recommend", "--model", "llama-3.1-8b", "--rate", "1", "--ttft-slo", "1s", "--deploy", "ollama");
        assertThat(d.code()).isEqualTo(2);
        assertThat(d.err()).contains("deploy = ollama: must be one of vllm, sglang, trtllm, llama-cpp");
        CliTest.Run none = run("recommend", "--model", "llama-3.1-8b", "--rate", "1");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("ttft-slo: --ttft-slo or --tpot-slo is required");
    }

    @Test
    void aTrainingPlanCarriesTheTrainingFields() throws Exception {
        CliTest.Run r = run("recommend", "--model", "llama-3.1-8b", "--workload", "pretrain", "--train-tokens", "1e12",
                "--deadline-days", "30", "--gpus", "h100-sxm", "--max-gpus", "256", "--json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode c = r.json().at("/candidates/0");
        assertThat(c.get("trainingDays").asDouble()).isBetween(1.0, 30.0);
        assertThat(c.get("checkpointIntervalHours").asDouble()).isPositive();
        assertThat(c.get("expectedInterruptions").asDouble()).isPositive();
        CliTest.Run missing = run("recommend", "--model", "llama-3.1-8b", "--workload", "pretrain");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("train-tokens: --train-tokens N is required",
                "deadline-days: --deadline-days D is required");
    }
}
