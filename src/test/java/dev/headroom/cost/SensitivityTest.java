package dev.headroom.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.catalog.Gpu;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SensitivityTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();
    private static final Gpu H100 = CATALOG.requireGpu("h100-sxm");
    /** Idle draw off, so the opex is CostEngineTest's hand-worked 5,501.63 a month. */
    private static final CostAssumptions AT_30K = new CostAssumptions(30_000.0, null, null, null, null, null, null,
            null, 0.0, null, null, null, null, null);

    /**
     * 8 x H100 at $30,000 against AWS p5 on-demand at $6.88/GPU-h, billed for 60 % of 730 hours:
     * cloud = 6.88 x 8 x 438 = 24,107.52 $/month; owned opex 5,501.63 (CostEngineTest); capex 393,600;
     * break-even = 393,600 / (24,107.52 - 5,501.63) = 21.155 months, which the whole-month search rounds up to 22.
     */
    @Test
    void breakEvenMonthsWorkedByHand() {
        CostOption o = new CostEngine(CATALOG).owned(H100, 8, null, AT_30K);
        CostOption.Versus aws = o.versus().stream().filter(v -> v.offer().equals("aws-p5.48xlarge-on-demand"))
                .findFirst().orElseThrow();
        assertThat(aws.monthlyUsd()).isCloseTo(24_107.52, within(1e-6));
        Double months = Sensitivity.breakEvenMonths(o.capexUsd(), o.monthlyOpexUsd(), aws.monthlyUsd());
        assertThat(months).isCloseTo(393_600 / (24_107.52 - o.monthlyOpexUsd()), within(1e-9));
        assertThat(months).isCloseTo(21.155, within(0.001));
        assertThat(aws.breakEvenMonth()).isEqualTo((int) Math.ceil(months));
        assertThat(Sensitivity.breakEvenMonths(1000, 500, 500)).isNull(); // the cloud never costs more per month
    }

    @Test
    void eachInputMovesTheBreakEvenTheWayItShould() {
        Sensitivity.Result r = new Sensitivity(new CostEngine(CATALOG)).tornado(H100, 8, AT_30K,
                "aws-p5.48xlarge-on-demand");
        assertThat(r.baseMonths()).isCloseTo(21.155, within(0.001));
        Map<String, Sensitivity.Bar> bars = r.bars().stream()
                .collect(Collectors.toMap(Sensitivity.Bar::input, Function.identity()));
        assertThat(bars).containsOnlyKeys("Electricity $/kWh", "Utilization", "GPU price $", "Cloud price $/GPU-h");
        // Dearer power and dearer GPUs delay it; a dearer cloud and busier GPUs bring it closer.
        assertThat(bars.get("Electricity $/kWh").lowMonths()).isLessThan(r.baseMonths());
        assertThat(bars.get("Electricity $/kWh").highMonths()).isGreaterThan(r.baseMonths());
        assertThat(bars.get("GPU price $").lowMonths()).isLessThan(r.baseMonths());
        assertThat(bars.get("GPU price $").highMonths()).isGreaterThan(r.baseMonths());
        assertThat(bars.get("Cloud price $/GPU-h").lowMonths()).isGreaterThan(r.baseMonths());
        assertThat(bars.get("Cloud price $/GPU-h").highMonths()).isLessThan(r.baseMonths());
        assertThat(bars.get("Utilization").lowMonths()).isGreaterThan(r.baseMonths());
        assertThat(bars.get("Utilization").highMonths()).isLessThan(r.baseMonths());
        // GPU price scales capex linearly while opex moves only through maintenance: +25 % price is a long way.
        assertThat(bars.get("GPU price $").lowLabel()).isEqualTo("$22,500");
        for (int i = 1; i < r.bars().size(); i++) {
            assertThat(r.bars().get(i - 1).swing(Sensitivity.CAP_MONTHS))
                    .isGreaterThanOrEqualTo(r.bars().get(i).swing(Sensitivity.CAP_MONTHS));
        }
    }
}
