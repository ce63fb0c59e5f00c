package dev.headroom.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.serving.Arrivals;
import dev.headroom.serving.Lengths;
import dev.headroom.serving.Load;
import dev.headroom.serving.RunLength;
import dev.headroom.serving.Slo;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.WeightFormat;
import dev.headroom.sizing.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two-stage search against brute force, its explanations, and its Pareto front. */
class RecommenderTest {
    static final Catalog CATALOG = new CatalogLoader(null).load();
    static final Recommender RECOMMENDER = new Recommender(CATALOG);

    static Scenario model(String id) {
        return new Scenario(Scenario.ModelSpec.catalog(id), Workload.INFERENCE, null,
                new Scenario.Precision(WeightFormat.BF16, null, null, null), new Scenario.Shape(1, 1024, 256), null,
                null, new Scenario.Hardware("h100-sxm", 1), null, null, null);
    }

    static Load load(double rate) {
        return Load.open(new Arrivals.Poisson(), rate, new Lengths.Fixed(2048), new Lengths.Fixed(256));
    }

    static SearchSpace small(int maxGpus) {
        return new SearchSpace(SearchSpace.gpus(CATALOG, "h100-sxm,l40s,a100-80gb-sxm"),
                List.of(WeightFormat.BF16, WeightFormat.FP8), maxGpus, true, true);
    }

    static Recommendation run(Scenario base, double rate, Slo slo, SearchSpace space, Double budget, int confirm) {
        return RECOMMENDER.recommend(base, load(rate), slo, space, budget, confirm, RunLength.ofRequests(600), 1,
                null, null);
    }

    /** Every layout simulated against the two stages: the same five cheapest answers that meet the targets. */
    @Test
    void theTwoStageSearchFindsTheSameTopFiveAsSimulatingEverything() {
        Slo slo = new Slo(2.0, 0.1);
        Recommendation twoStage = run(model("llama-3.1-8b"), 12, slo, small(8), null, 6);
        Recommendation brute = run(model("llama-3.1-8b"), 12, slo, small(8), null, 1000);

        assertThat(brute.simulated()).isGreaterThan(twoStage.simulated());
        List<String> top = twoStage.candidates().stream().filter(Candidate::meetsSlo).limit(5)
                .map(c -> c.layout() + "/" + c.pricing()).toList();
        List<String> bruteTop = brute.candidates().stream().filter(Candidate::meetsSlo).limit(5)
                .map(c -> c.layout() + "/" + c.pricing()).toList();
        assertThat(top).hasSize(5).isEqualTo(bruteTop);
        for (Candidate c : twoStage.candidates()) {
            assertThat(c.simulated()).isTrue();
            if (c.meetsSlo()) {
                assertThat(c.ttftP99Seconds()).isLessThanOrEqualTo(2.0);
                assertThat(c.tpotP99Seconds()).isLessThanOrEqualTo(0.1);
            }
        }
    }

    @Test
    void aModelThatFitsNoGpuOfTheSpaceIsExplainedPerGpu() {
        SearchSpace consumer = new SearchSpace(SearchSpace.gpus(CATALOG, "rtx-4090"),
                List.of(WeightFormat.BF16, WeightFormat.AWQ_INT4), 2, true, true);
        Recommendation r = run(model("llama-3.1-405b"), 1, new Slo(5.0, null), consumer, null, 3);

        assertThat(r.candidates()).isEmpty();
        assertThat(r.rejected()).singleElement().satisfies(j -> {
            assertThat(j.gpu()).isEqualTo("rtx-4090");
            assertThat(j.reason()).startsWith("does not fit: needs").contains("x its memory even at awq-int4 on 2 GPUs");
        });
    }

    @Test
    void aTpotTargetNoGpuReachesSaysHowCloseTheBestCame() {
        Recommendation r = run(model("llama-3.1-8b"), 1, new Slo(null, 0.0005), small(8), null, 3);

        assertThat(r.candidates()).isEmpty();
        assertThat(r.rejected()).hasSize(3).allSatisfy(j -> assertThat(j.reason()).startsWith("misses TPOT p99: "));
    }

    /** Targets nothing meets: no candidates, and the nearest configurations simulated, each saying what it misses. */
    @Test
    void whenNothingMeetsTheTargetsTheClosestAreSimulatedAndSayWhatTheyMiss() {
        Recommendation r = run(model("llama-3.1-8b"), 2, new Slo(2.0, 0.0005), small(8), null, 3);

        assertThat(r.candidates()).noneMatch(Candidate::meetsSlo);
        assertThat(r.closest()).isNotEmpty().hasSizeLessThanOrEqualTo(Recommender.CLOSEST).allSatisfy(c -> {
            assertThat(c.simulated()).isTrue();
            assertThat(c.meetsSlo()).isFalse();
            assertThat(c.bindingConstraint()).startsWith("misses ").contains("TPOT p99 0.5 ms: ");
            assertThat(c.tpotP99Seconds()).isGreaterThan(0.0005);
        });
        // Each GPU's nearest configuration, one per GPU.
        assertThat(r.closest().stream().map(Candidate::gpu).distinct().count()).isEqualTo(r.closest().size());
        assertThat(r.simulated()).isGreaterThanOrEqualTo(r.closest().size());
    }

    @Test
    void overABudgetTheClosestAreTheCheapestThatMeetTheSlosAndByHowMuchTheyAreOver() {
        Recommendation r = run(model("llama-3.1-8b"), 12, new Slo(2.0, 0.1), small(8), 100.0, 3);

        assertThat(r.closest()).isNotEmpty().allSatisfy(c -> {
            assertThat(c.bindingConstraint()).startsWith("over budget by $");
            assertThat(c.costPerMonthUsd()).isGreaterThan(100.0);
        });
        assertThat(r.closest().stream().filter(Candidate::simulated).map(Candidate::layout).distinct().count())
                .isLessThanOrEqualTo(Recommender.CLOSEST);
    }

    @Test
    void aBudgetCapSaysByHowMuchEachGpuIsOver() {
        Recommendation r = run(model("llama-3.1-8b"), 12, new Slo(2.0, 0.1), small(8), 100.0, 3);

        assertThat(r.candidates()).isEmpty();
        assertThat(r.rejected()).isNotEmpty().allSatisfy(j -> assertThat(j.reason()).startsWith("over budget by $"));
    }

    @Test
    void eachCandidateNamesItsBindingConstraintAndTheFrontHasNoDominatedPoint() {
        Recommendation r = run(model("llama-3.1-8b"), 12, new Slo(2.0, 0.1), small(8), null, 6);

        assertThat(r.candidates()).isNotEmpty();
        assertThat(r.candidates()).allSatisfy(c -> assertThat(c.bindingConstraint())
                .containsAnyOf("KV-bound at", "TPOT-bound at", "prefill-bound TTFT", "-bound decode", "unstable"));
        assertThat(r.pareto()).isNotEmpty();
        for (int i : r.pareto()) {
            Candidate a = r.candidates().get(i);
            for (Candidate b : r.candidates()) {
                boolean dominates = b.meetsSlo() && b.costPerMonthUsd() <= a.costPerMonthUsd()
                        && b.ttftP99Seconds() <= a.ttftP99Seconds()
                        && (b.costPerMonthUsd() < a.costPerMonthUsd() || b.ttftP99Seconds() < a.ttftP99Seconds());
                assertThat(dominates).as("%s dominates %s", b, a).isFalse();
            }
        }
        assertThat(r.screened()).isPositive();
    }

    /** Every catalog model's native format is a format the engine sizes, and the default search puts it first. */
    @Test
    void theModelsNativeFormatIsSearchedByDefaultOnEveryGpu() {
        for (dev.headroom.catalog.Model m : CATALOG.models().values()) {
            if (m.nativeFormat() != null) {
                assertThat(SearchSpace.nativeFormat(CATALOG, model(m.id())).label()).isEqualTo(m.nativeFormat());
            }
        }
        WeightFormat mxfp4 = SearchSpace.nativeFormat(CATALOG, model("gpt-oss-120b"));
        assertThat(mxfp4).isEqualTo(WeightFormat.MXFP4);
        assertThat(SearchSpace.formats(null, mxfp4)).containsExactly(WeightFormat.MXFP4, WeightFormat.BF16,
                WeightFormat.FP8, WeightFormat.AWQ_INT4);
        assertThat(SearchSpace.formats(null, null)).isEqualTo(SearchSpace.DEFAULT_FORMATS);
        assertThat(SearchSpace.nativeFormat(CATALOG, model("llama-3.1-8b"))).isNull();

        // H100 has no FP4 tensor cores; gpt-oss's MXFP4 checkpoint is still served there (dequantised), and found.
        SearchSpace h100 = new SearchSpace(SearchSpace.gpus(CATALOG, "h100-sxm"), SearchSpace.formats(null, mxfp4), 8,
                true, true, mxfp4);
        Recommendation r = run(model("gpt-oss-120b"), 4, new Slo(2.0, 0.1), h100, null, 6);
        assertThat(r.candidates()).anySatisfy(c -> {
            assertThat(c.weights()).isEqualTo("mxfp4");
            assertThat(c.meetsSlo()).isTrue();
        });
        assertThat(r.assumptions().get(0)).contains("mxfp4");
    }
}
