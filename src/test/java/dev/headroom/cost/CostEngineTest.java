package dev.headroom.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.catalog.Gpu;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class CostEngineTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();
    private static final CostEngine ENGINE = new CostEngine(CATALOG);
    private static final Gpu H100 = CATALOG.requireGpu("h100-sxm");

    private static CostAssumptions price(double usd) {
        return new CostAssumptions(usd, null, null, null, null, null, null, null, 0.0, null, null, null, null, null);
    }

    /**
     * 8 x H100 SXM at $30,000, idle draw off (servers switched off between jobs), defaults otherwise, by hand:
     * capex/GPU = 30,000 x 1.64 = 49,200 (one node: no network share); kW/GPU = 0.700 x 1.82 = 1.274;
     * depreciation 49,200 / (5 x 8,760) = 1.123288; colo 184.06 x 1.274 / 730 = 0.321223;
     * maintenance 0.10 x 49,200 / 8,760 = 0.561644; fixed = 2.006154 $/GPU-h;
     * energy 1.274 x 0.75 x 1.25 x 0.0826 = 0.098655 $/busy GPU-h;
     * per useful hour at 60 %: 2.006154 / 0.6 + 0.098655 = 3.442245;
     * break-even utilization vs AWS p5 on-demand $6.88: 2.006154 / (6.88 - 0.098655) = 0.295834.
     */
    @Test
    void eightH100sWorkedByHand() {
        CostOption o = ENGINE.owned(H100, 8, null, price(30_000));
        assertThat(o.capexPerGpuUsd()).isCloseTo(49_200, within(1e-6));
        assertThat(o.capexUsd()).isCloseTo(393_600, within(1e-6));
        assertThat(o.powerKw()).isCloseTo(8 * 1.274, within(1e-9));
        assertThat(o.fixedPerGpuHourUsd()).isCloseTo(2.006154, within(1e-6));
        assertThat(o.energyPerBusyGpuHourUsd()).isCloseTo(0.098655, within(1e-6));
        assertThat(o.costPerUsefulGpuHourUsd()).isCloseTo(3.442245, within(1e-6));
        CostOption.Versus p5 = o.versus().stream().filter(v -> v.offer().equals("aws-p5.48xlarge-on-demand")).findFirst()
                .orElseThrow();
        assertThat(p5.breakEvenUtilization()).isCloseTo(0.295834, within(1e-6));
    }

    /**
     * Same case, cumulative: owned = 393,600 + 8 x 730 x (0.321223 + 0.561644 + 0.098655 x 0.6) = 393,600 + 5,501.63 m;
     * AWS on-demand billed for 60 % of hours = 6.88 x 8 x 730 x 0.6 = 24,107.52 m; they cross at m = 21.15, so month 22.
     */
    @Test
    void theBreakEvenMonthIsTheFirstWhereOwningCostsNoMore() {
        CostOption o = ENGINE.owned(H100, 8, null, price(30_000));
        assertThat(o.monthlyOpexUsd()).isCloseTo(5_501.63, within(0.01));
        CostOption.Versus p5 = o.versus().stream().filter(v -> v.offer().equals("aws-p5.48xlarge-on-demand")).findFirst()
                .orElseThrow();
        assertThat(p5.monthlyUsd()).isCloseTo(24_107.52, within(1e-6));
        assertThat(p5.breakEvenMonth()).isEqualTo(22);
        assertThat(o.cumulativeUsd()[22]).isLessThanOrEqualTo(p5.cumulativeUsd()[22]);
        assertThat(o.cumulativeUsd()[21]).isGreaterThan(p5.cumulativeUsd()[21]);
    }

    /**
     * The same 8 x H100 with the default idle draw, 10 % of server power while powered and idle:
     * idle = 1.274 x 0.10 x 1.25 x 0.0826 = 0.013154 $/idle GPU-h;
     * per useful hour = 3.442245 + 0.013154 x 0.4 / 0.6 = 3.451014;
     * u* vs $6.88 = (2.006154 + 0.013154) / (6.88 - 0.098655 + 0.013154) = 0.297198;
     * opex = 5,501.63 + 8 x 730 x 0.013154 x 0.4 = 5,532.36 a month.
     */
    @Test
    void idleDrawIsPaidForTheHoursTheGpusWait() {
        CostAssumptions withIdle = new CostAssumptions(30_000.0, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
        CostOption o = ENGINE.owned(H100, 8, null, withIdle);
        assertThat(o.idlePerGpuHourUsd()).isCloseTo(0.013154, within(1e-6));
        assertThat(o.costPerUsefulGpuHourUsd()).isCloseTo(3.451014, within(1e-6));
        assertThat(o.monthlyOpexUsd()).isCloseTo(5_532.36, within(0.01));
        CostOption.Versus p5 = o.versus().stream().filter(v -> v.offer().equals("aws-p5.48xlarge-on-demand")).findFirst()
                .orElseThrow();
        assertThat(p5.breakEvenUtilization()).isCloseTo(0.297198, within(1e-6));
    }

    /** At exactly the break-even utilization an on-demand hour and an owned useful hour cost the same, to 1e-9. */
    @Test
    void atTheBreakEvenUtilizationBothCostTheSame() {
        CostOption o = ENGINE.owned(H100, 8, null, new CostAssumptions(30_000.0, null, null, null, null, null, null,
                null, null, null, null, null, null, null)); // idle draw on: the exact case has every term
        for (CostOption.Versus v : o.versus()) {
            if (v.breakEvenUtilization() == null || v.breakEvenUtilization() > 1) {
                continue;
            }
            CostAssumptions at = new CostAssumptions(30_000.0, null, null, null, null, null, v.breakEvenUtilization(),
                    null, null, null, null, null, null, null);
            assertThat(ENGINE.owned(H100, 8, null, at).costPerUsefulGpuHourUsd()).as(v.offer())
                    .isCloseTo(v.gpuHourUsd(), within(1e-9));
        }
    }

    @Test
    void beyondOneNodeTheNetworkShareIsAdded() {
        CostOption node = ENGINE.owned(H100, 8, null, price(30_000));
        CostOption cluster = ENGINE.owned(H100, 16, null, price(30_000));
        assertThat(cluster.capexPerGpuUsd()).isCloseTo(49_200 / 0.81, within(1e-6)); // Epoch: 19 % interconnect
        assertThat(node.capexPerGpuUsd()).isCloseTo(49_200, within(1e-6));
    }

    /** $ per million tokens: 2,000 tokens/s on 8 GPUs at 3.442245 $/h each = 27.538 $/h / 7.2 M tokens/h. */
    @Test
    void dollarsPerMillionTokens() {
        CostOption o = ENGINE.owned(H100, 8, 2000.0, price(30_000));
        assertThat(o.costPerMillionTokensUsd()).isCloseTo(3.442245 * 8 / 7.2, within(1e-5));
        assertThat(o.tokensPerDollar()).isCloseTo(1e6 / o.costPerMillionTokensUsd(), within(1e-6));
    }

    @Test
    void badInputNamesTheFieldAndTheRange() {
        CostAssumptions bad = new CostAssumptions(null, null, null, 0.0, -1.0, null, 1.5, null, 2.0, null, null, null, null, null);
        assertThatThrownBy(() -> ENGINE.owned(H100, 8, null, bad)).hasMessageContaining("life-years = 0: must be between 0.5 and 15")
                .hasMessageContaining("electricity = -1: must be between 0 and 5")
                .hasMessageContaining("utilization = 1.5: must be between 0.01 and 1")
                .hasMessageContaining("idle-fraction = 2: must be between 0 and 1");
        assertThatThrownBy(() -> ENGINE.owned(CATALOG.requireGpu("t4"), 1, null, CostAssumptions.NONE))
                .hasMessageContaining("gpu-price: t4 has no purchase price");
    }

    @Property(tries = 200)
    void aHigherElectricityPriceNeverLowersOwnedCost(@ForAll @DoubleRange(min = 0, max = 1) double price,
                                                     @ForAll @DoubleRange(min = 0, max = 1) double more) {
        double low = ENGINE.owned(H100, 8, null, electricity(price)).costPerUsefulGpuHourUsd();
        double high = ENGINE.owned(H100, 8, null, electricity(price + more)).costPerUsefulGpuHourUsd();
        assertThat(high).isGreaterThanOrEqualTo(low);
    }

    @Property(tries = 200)
    void moreUtilizationNeverRaisesTheCostPerUsefulHour(@ForAll @DoubleRange(min = 0.01, max = 1) double u,
                                                        @ForAll @DoubleRange(min = 0, max = 1) double more) {
        double v = Math.min(1, u + more);
        assertThat(ENGINE.owned(H100, 8, null, utilization(v)).costPerUsefulGpuHourUsd())
                .isLessThanOrEqualTo(ENGINE.owned(H100, 8, null, utilization(u)).costPerUsefulGpuHourUsd());
    }

    private static CostAssumptions electricity(double usd) {
        return new CostAssumptions(null, null, null, null, usd, null, null, null, null, null, null, null, null, null);
    }

    private static CostAssumptions utilization(double u) {
        return new CostAssumptions(null, null, null, null, null, null, u, null, null, null, null, null, null, null);
    }
}
