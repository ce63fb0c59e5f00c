package dev.headroom.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.serving.Slo;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

/** What must hold whatever the inputs: monotone in the targets, the budget and the rate. */
class RecommenderPropertiesTest {
    private static Double cheapest(Recommendation r) {
        return r.candidates().stream().filter(Candidate::meetsSlo).map(Candidate::costPerMonthUsd)
                .min(Comparator.naturalOrder()).orElse(null);
    }

    private static Recommendation run(double rate, Slo slo, Double budget) {
        return RecommenderTest.run(RecommenderTest.model("llama-3.1-8b"), rate, slo, RecommenderTest.small(8),
                budget, 4);
    }

    @Property(tries = 6)
    void aTighterTtftTargetNeverMakesTheCheapestAnswerCheaper(@ForAll @DoubleRange(min = 2, max = 40) double rate,
                                                              @ForAll @DoubleRange(min = 0.3, max = 3) double ttft) {
        Double loose = cheapest(run(rate, new Slo(ttft * 2, 0.1), null));
        Double tight = cheapest(run(rate, new Slo(ttft, 0.1), null));
        if (tight != null) {
            assertThat(loose).isNotNull();
            assertThat(tight).isGreaterThanOrEqualTo(loose);
        }
    }

    @Property(tries = 6)
    void aBiggerBudgetNeverRemovesACandidate(@ForAll @DoubleRange(min = 2, max = 40) double rate,
                                             @ForAll @DoubleRange(min = 500, max = 20_000) double budget) {
        Set<String> small = run(rate, new Slo(2.0, 0.1), budget).candidates().stream()
                .map(c -> c.layout() + "/" + c.pricing()).collect(Collectors.toSet());
        Set<String> big = run(rate, new Slo(2.0, 0.1), budget * 2).candidates().stream()
                .map(c -> c.layout() + "/" + c.pricing()).collect(Collectors.toSet());
        assertThat(big).containsAll(small);
    }

    @Property(tries = 6)
    void aHigherRateNeverNeedsFewerGpus(@ForAll @DoubleRange(min = 2, max = 30) double rate) {
        Recommendation low = run(rate, new Slo(2.0, 0.1), null);
        Recommendation high = run(rate * 1.5, new Slo(2.0, 0.1), null);
        int fewestLow = low.candidates().stream().filter(Candidate::meetsSlo).mapToInt(Candidate::gpus).min()
                .orElse(Integer.MAX_VALUE);
        int fewestHigh = high.candidates().stream().filter(Candidate::meetsSlo).mapToInt(Candidate::gpus).min()
                .orElse(Integer.MAX_VALUE);
        assertThat(fewestHigh).isGreaterThanOrEqualTo(fewestLow);
    }

    /** Whatever the candidates, no point of the front is beaten on both cost and p99 TTFT by another that meets. */
    @Property(tries = 200)
    void theParetoFrontHasNoDominatedPoint(@ForAll @net.jqwik.api.constraints.Size(max = 40)
                                           java.util.List<@DoubleRange(min = 100, max = 5000) Double> costs,
                                           @ForAll long seed) {
        java.util.Random random = new java.util.Random(seed);
        java.util.List<Candidate> candidates = new java.util.ArrayList<>();
        for (double cost : costs) {
            // Coarse values so ties in cost or latency are common: the front must handle them too.
            double ttft = 0.1 * (1 + random.nextInt(20));
            candidates.add(new Candidate("g", 1, 1, 1, 1, "bf16", "auto", 1, ttft, 0.05, 1, Math.rint(cost / 100) * 100,
                    null, "owned", "b", random.nextInt(4) > 0, true, null, null, null));
        }
        java.util.List<Integer> front = Recommender.pareto(candidates);
        for (int i : front) {
            Candidate a = candidates.get(i);
            assertThat(a.meetsSlo()).isTrue();
            for (Candidate b : candidates) {
                boolean dominates = b.meetsSlo() && b.costPerMonthUsd() <= a.costPerMonthUsd()
                        && b.ttftP99Seconds() <= a.ttftP99Seconds()
                        && (b.costPerMonthUsd() < a.costPerMonthUsd() || b.ttftP99Seconds() < a.ttftP99Seconds());
                assertThat(dominates).as("%s dominates %s", b, a).isFalse();
            }
        }
        // And every meeting candidate off the front is dominated by one on it (the front is complete).
        for (int i = 0; i < candidates.size(); i++) {
            Candidate a = candidates.get(i);
            if (a.meetsSlo() && !front.contains(i)) {
                assertThat(front).anySatisfy(j -> {
                    Candidate b = candidates.get(j);
                    assertThat(b.costPerMonthUsd()).isLessThanOrEqualTo(a.costPerMonthUsd());
                    assertThat(b.ttftP99Seconds()).isLessThanOrEqualTo(a.ttftP99Seconds());
                });
            }
        }
    }
}
