package dev.headroom.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Medians, worst rows, signed medians and memory under-estimates of a hand-made set. */
class AccuracyReportTest {
    static AccuracyReport.RowResult row(String id, String category, double measured, double estimate) {
        return new AccuracyReport.RowResult(id, category, "r", measured, estimate, (estimate - measured) / measured,
                "bytes", "s", "https://example.org", null);
    }

    @Test
    void perCategoryFiguresAndMemoryUnderEstimatesApart() {
        AccuracyReport.Summary s = AccuracyReport.summarize(List.of(
                row("m1", "memory", 100, 90), row("m2", "memory", 100, 120), row("m3", "memory", 100, 70),
                row("d1", "decode", 10, 11), row("d2", "decode", 10, 12)));

        AccuracyReport.Category memory = s.categories().get(0);
        assertThat(memory.category()).isEqualTo("memory");
        assertThat(memory.rows()).isEqualTo(3);
        assertThat(memory.medianAbsoluteError()).isCloseTo(0.2, within(1e-12));
        assertThat(memory.worstAbsoluteError()).isCloseTo(0.3, within(1e-12));
        assertThat(memory.worstRow()).isEqualTo("m3");
        assertThat(memory.signedMedianError()).isCloseTo(-0.1, within(1e-12));
        assertThat(memory.underEstimates()).isEqualTo(2);
        assertThat(s.memoryUnderEstimates().ids()).containsExactly("m3", "m1");
        assertThat(s.memoryUnderEstimates().worstShortfall()).isCloseTo(0.3, within(1e-12));
        assertThat(s.memoryUnderEstimates().medianShortfall()).isCloseTo(0.2, within(1e-12));
        assertThat(s.categories().get(1).signedMedianError()).isCloseTo(0.15, within(1e-12));
        assertThat(AccuracyReport.markdown(s)).contains("| memory | 3 | 20.0 % | 30.0 % (m3) | -10.0 % | 2 |")
                .contains("Memory under-estimates (the ones that crash): 2 of 3 memory rows, median shortfall 20.0 %");
    }
}
