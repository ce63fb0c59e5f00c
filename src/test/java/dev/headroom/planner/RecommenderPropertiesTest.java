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
}
