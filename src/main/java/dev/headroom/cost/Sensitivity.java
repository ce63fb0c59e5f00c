package dev.headroom.cost;

import dev.headroom.catalog.Gpu;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How far the break-even against one cloud offer moves when one input moves and the rest stay put: the bars of a
 * tornado chart. Break-even here is continuous, capex / (cloud per month - owned opex per month), so small changes
 * show even when they do not cross a whole month.
 */
public final class Sensitivity {
    /**
     * One input swung from low to high.
     *
     * @param lowMonths  break-even with the input at its low value; null when owning never catches up
     * @param highMonths the same at the high value
     */
    public record Bar(String input, String lowLabel, String highLabel, Double lowMonths, Double highMonths) {
        /** How wide the bar is, in months, with "never" counted as {@code cap}. */
        public double swing(double cap) {
            return Math.abs(orCap(highMonths, cap) - orCap(lowMonths, cap));
        }
    }

    /** The base case and the bars, widest first. */
    public record Result(String offer, Double baseMonths, List<Bar> bars) {
    }

    /** "Never" and anything longer is drawn as 20 years: past any depreciation life, so the bar reads as "not worth it". */
    public static final double CAP_MONTHS = 240;

    private final CostEngine engine;

    public Sensitivity(CostEngine engine) {
        this.engine = engine;
    }

    /** Break-even months of owning against the cloud's monthly bill; null when the cloud costs no more than opex. */
    public static Double breakEvenMonths(double capexUsd, double ownedMonthlyOpexUsd, double cloudMonthlyUsd) {
        double saving = cloudMonthlyUsd - ownedMonthlyOpexUsd;
        return saving <= 0 ? null : capexUsd / saving;
    }

    /**
     * Swings electricity (half to double), utilization (0.2 either side, within 0.05..1), GPU price and cloud price
     * (25 % either side) around {@code base}, against the offer {@code offerId} for this GPU.
     */
    public Result tornado(Gpu gpu, int count, CostAssumptions base, String offerId) {
        CostAssumptions a = base.over(CostAssumptions.defaultsFor(gpu));
        CostOption option = engine.owned(gpu, count, null, a);
        CostOption.Versus versus = find(option, offerId);
        Double baseMonths = breakEvenMonths(option.capexUsd(), option.monthlyOpexUsd(), versus.monthlyUsd());
        List<Bar> bars = new ArrayList<>();
        double e = a.electricityUsdPerKwh();
        bars.add(swing(gpu, count, offerId, "Electricity $/kWh", e / 2, e * 2,
                v -> with(a, null, v, null)));
        double u = a.utilization();
        double uLow = Math.max(0.05, u - 0.2);
        double uHigh = Math.min(1, u + 0.2);
        bars.add(swing(gpu, count, offerId, "Utilization", uLow, uHigh, v -> with(a, null, null, v)));
        double price = option.gpuPriceUsd();
        bars.add(swing(gpu, count, offerId, "GPU price $", price * 0.75, price * 1.25, v -> with(a, v, null, null)));
        bars.add(new Bar("Cloud price $/GPU-h", money(versus.gpuHourUsd() * 0.75), money(versus.gpuHourUsd() * 1.25),
                breakEvenMonths(option.capexUsd(), option.monthlyOpexUsd(), versus.monthlyUsd() * 0.75),
                breakEvenMonths(option.capexUsd(), option.monthlyOpexUsd(), versus.monthlyUsd() * 1.25)));
        bars.sort((x, y) -> Double.compare(y.swing(CAP_MONTHS), x.swing(CAP_MONTHS)));
        return new Result(versus.provider() + " " + versus.pricing(), baseMonths, List.copyOf(bars));
    }

    private Bar swing(Gpu gpu, int count, String offerId, String input, double low, double high,
                      java.util.function.DoubleFunction<CostAssumptions> at) {
        return new Bar(input, label(input, low), label(input, high), months(gpu, count, offerId, at.apply(low)),
                months(gpu, count, offerId, at.apply(high)));
    }

    private Double months(Gpu gpu, int count, String offerId, CostAssumptions a) {
        CostOption option = engine.owned(gpu, count, null, a);
        return breakEvenMonths(option.capexUsd(), option.monthlyOpexUsd(), find(option, offerId).monthlyUsd());
    }

    private static CostOption.Versus find(CostOption option, String offerId) {
        return option.versus().stream().filter(v -> v.offer().equals(offerId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "offer = " + offerId + ": not a cloud offer for " + option.gpu()));
    }

    private static CostAssumptions with(CostAssumptions a, Double price, Double electricity, Double utilization) {
        return new CostAssumptions(price != null ? price : a.gpuPriceUsd(), a.serverOverhead(), a.networkFraction(),
                a.lifeYears(), electricity != null ? electricity : a.electricityUsdPerKwh(), a.pue(),
                utilization != null ? utilization : a.utilization(), a.loadFraction(), a.idleFraction(), a.serverPowerMultiplier(),
                a.coloUsdPerKwMonth(), a.maintenanceFraction(), a.staffUsdPerYear(), a.horizonMonths());
    }

    private static String label(String input, double v) {
        if (input.startsWith("Utilization")) {
            return String.format(Locale.ROOT, "%.0f %%", v * 100);
        }
        return input.startsWith("GPU price") ? String.format(Locale.ROOT, "$%,.0f", v) : money(v);
    }

    private static String money(double v) {
        return String.format(Locale.ROOT, "$%.3f", v);
    }

    private static double orCap(Double months, double cap) {
        return months == null ? cap : Math.min(months, cap);
    }
}
