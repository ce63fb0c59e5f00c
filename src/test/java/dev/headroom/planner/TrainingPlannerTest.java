package dev.headroom.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.SizingEngine;
import dev.headroom.sizing.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Training plans: the deadline with failures in it, Young/Daly checkpoints, the Llama 3 failure rate. */
class TrainingPlannerTest {
    static final TrainingPlanner PLANNER = new TrainingPlanner(RecommenderTest.CATALOG);

    static Scenario pretrain(String model) {
        return new Scenario(Scenario.ModelSpec.catalog(model), Workload.PRETRAIN, null, null,
                new Scenario.Shape(1, 4096, 1), null, null, new Scenario.Hardware("h100-sxm", 8), null, null, null);
    }

    static SearchSpace space(String gpus, int max) {
        return new SearchSpace(SearchSpace.gpus(RecommenderTest.CATALOG, gpus), List.of(), max, true, true);
    }

    /** Llama 3 (arXiv 2407.21783, §3.3.4): 419 unexpected interruptions in 54 days on 16,384 GPUs. */
    @Test
    void theDefaultFailureRateIsLlama3s() {
        assertThat(TrainingPlanner.FAILURES_PER_GPU_HOUR * 54 * 24 * 16_384).isCloseTo(419, within(1e-9));
        assertThat(TrainingPlanner.STORAGE_BYTES_PER_SECOND_PER_GPU * 16_384).isCloseTo(2e12, within(1.0));
    }

    @Test
    void anEightBillionModelOnATrillionTokensFinishesInThirtyDaysWithItsFailuresCounted() {
        Recommendation r = PLANNER.plan(pretrain("llama-3.1-8b"), 1e12, 30, 1024, space("h100-sxm,b200", 512), null,
                null);

        assertThat(r.candidates()).isNotEmpty();
        double previous = 0;
        for (Candidate c : r.candidates()) {
            assertThat(c.trainingDays()).isLessThanOrEqualTo(30);
            assertThat(c.checkpointIntervalHours()).isPositive();
            assertThat(c.expectedInterruptions()).isPositive();
            double run = TrainingPlanner.runCost(c);
            assertThat(run).isGreaterThanOrEqualTo(previous);
            previous = run;
        }
        assertThat(r.assumptions()).anyMatch(a -> a.startsWith("Dataset: 1.00e+12 tokens x 4 bytes"));
    }

    /** Young/Daly: tau = sqrt(2 x write time x MTBF), and the time lost is in the total. */
    @Test
    void theCheckpointIntervalIsYoungDalys() {
        Scenario s = pretrain("llama-3.1-8b").withHardware(new Scenario.Hardware("h100-sxm", 64))
                .withParallelism(new Scenario.Parallelism(1, 1, 64, null, null, 1, null, null, null, null))
                .withTraining(new Scenario.Training(null, null, null, null, null, null, 1, 16, 1e12, null));
        Estimate e = new SizingEngine(RecommenderTest.CATALOG).estimate(s);
        TrainingPlanner.Checkpoints c = TrainingPlanner.checkpoints(e, s, 64, 10e9);

        assertThat(c.writeSeconds()).isCloseTo(c.bytes() / 10e9, within(1e-9));
        double mtbf = 3600 / (TrainingPlanner.FAILURES_PER_GPU_HOUR * 64);
        assertThat(c.intervalHours() * 3600).isCloseTo(Math.sqrt(2 * c.writeSeconds() * mtbf), within(1e-6));
        assertThat(c.bytes()).isBetween(100e9, 130e9); // 8 B x (2 bf16 + 12 fp32 master and Adam) ~ 112 GB
        assertThat(c.lostHours()).isPositive();
    }

    @Test
    void aDeadlineNothingMeetsSaysHowCloseEachGpuCame() {
        Recommendation r = PLANNER.plan(pretrain("llama-3.1-8b"), 1e12, 1, 1024, space("h100-sxm", 64), null, null);

        assertThat(r.candidates()).isEmpty();
        assertThat(r.rejected()).singleElement().satisfies(j ->
                assertThat(j.reason()).startsWith("misses the deadline: ").contains("days at best on up to 64 GPUs"));
    }
}
