package dev.headroom.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first steps of a vLLM-like replica worked by hand: 5 KV blocks of 4 tokens, 8 tokens per step, at most 2
 * running sequences, every step 1 s. Request A (10 prompt tokens, 4 outputs) and B (6 and 4) both arrive at 0.
 * <pre>
 * step 1 [0,1]  A admitted, prefill chunk 8 of 10 (2 blocks; 3 free). B arrives while the step runs.
 * step 2 [1,2]  A's last 2 prompt tokens (+1 block) and B's whole prompt, 6 (2 blocks): 8 tokens, 0 free.
 *               At 2 both emit their first token: TTFT 2 s each.
 * step 3 [2,3]  both decode; A at 10 tokens of context, B at 6: no new block (A: 11 in 3 blocks, B: 7 in 2).
 * step 4 [3,4]  both decode at 11 and 7: still no new block (A: 12 in 3, B: 8 in 2).
 * step 5 [4,5]  A's 13th token needs a 4th block and none is free: B, the newest, is preempted by recomputation
 *               (its 2 blocks freed, its computed tokens reset), A takes a block and decodes alone; no admission
 *               in a step that preempted. A emits its 4th and last token at 5: E2E 5 s.
 * step 6 [5,6]  B re-admitted: its 6 prompt + 3 generated tokens = 9 to recompute, 8 within the budget.
 * step 7 [6,7]  B's 9th token (one more block), then B emits its 4th and last token at 7: E2E 7 s.
 * </pre>
 */
class SchedulerStepsTest {
    @TempDir
    Path folder;

    record Step(int prefillTokens, double prefillPosition, int prefillsDone, int decoders, double context) {
    }

    @Test
    void admissionChunkedPrefillAndOnePreemptionStepByStep() throws Exception {
        Path file = folder.resolve("two.csv");
        Files.writeString(file, "arrival_seconds,input_tokens,output_tokens\n0,10,4\n0,6,4\n");
        TraceFile trace = TraceFile.read(file);
        Load load = new Load(new Arrivals.Trace(file, trace), null, null, null, trace.inputLengths(),
                trace.outputLengths(), 0, 0);
        List<Step> steps = new ArrayList<>();
        StepTimer timer = (tokens, position, prefills, decoders, context) -> {
            steps.add(new Step(tokens, position, prefills, decoders, context));
            return 1.0;
        };

        SimulationResult r = Simulation.simulate(timer, 5, 4, new SchedulerSettings(8, 2, SchedulerSettings.Priority.NONE),
                ClusterSpec.single(), load, RunLength.ofRequests(2), Slo.NONE, 0);

        assertThat(steps).containsExactly(
                new Step(8, 4.0, 0, 0, 0),   // A's chunk: positions 0-7, mean 4
                new Step(8, 4.5, 2, 0, 0),   // A's 8-9 (mean 9) and B's 0-5 (mean 3): (2 x 9 + 6 x 3) / 8
                new Step(0, 0, 0, 2, 8),     // contexts 10 and 6
                new Step(0, 0, 0, 2, 9),     // 11 and 7
                new Step(0, 0, 0, 1, 12),    // B preempted, A alone at 12
                new Step(8, 4.0, 0, 0, 0),   // B recomputes 8 of its 9 tokens
                new Step(0, 0, 0, 1, 8));    // and its 9th
        assertThat(r.preemptions()).isEqualTo(1);
        assertThat(r.requests()).isEqualTo(2);
        assertThat(r.ttftSeconds().mean()).isCloseTo(2, within(0.01));
        assertThat(r.e2eSeconds().max()).isCloseTo(7, within(0.01));
        assertThat(r.e2eSeconds().mean()).isCloseTo(6, within(0.01));
        // TPOT = (E2E - TTFT) / (outputs - 1): A (5 - 2) / 3 = 1, B (7 - 2) / 3 = 1.67
        assertThat(r.tpotSeconds().mean()).isCloseTo((1 + 5 / 3.0) / 2, within(0.01));
        assertThat(r.durationSeconds()).isCloseTo(7, within(1e-9));
    }

    @Test
    void aRequestLongerThanTheWholeCacheIsRefusedAndSaidSo() throws Exception {
        Path file = folder.resolve("long.csv");
        Files.writeString(file, "0,30,4\n0.5,6,2\n");
        TraceFile trace = TraceFile.read(file);
        Load load = new Load(new Arrivals.Trace(file, trace), null, null, null, trace.inputLengths(),
                trace.outputLengths(), 0, 0);

        SimulationResult r = Simulation.simulate((t, p, n, k, c) -> 1.0, 5, 4,
                new SchedulerSettings(8, 2, SchedulerSettings.Priority.NONE), ClusterSpec.single(), load,
                RunLength.ofRequests(2), Slo.NONE, 0);

        assertThat(r.rejected()).isEqualTo(1);
        assertThat(r.requests()).isEqualTo(1);
        assertThat(String.join("\n", r.warnings())).contains("refused");
    }
}
