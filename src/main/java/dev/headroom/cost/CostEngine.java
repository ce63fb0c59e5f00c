package dev.headroom.cost;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CloudOffer;
import dev.headroom.catalog.Gpu;
import dev.headroom.catalog.PricingKind;
import dev.headroom.common.Ranges;
import java.util.ArrayList;
import java.util.List;

/**
 * Owned versus rented, per delivered GPU-hour (the structure Epoch AI, SemiAnalysis and build-vs-rent models use,
 * gpus-and-costs.md §3a):
 * <pre>
 *   capex per GPU       = GPU price x server overhead / (1 - network fraction, beyond one node of the GPU's
 *                         catalog node); a unified-memory
 *                         machine's price is the whole system's (CostAssumptions.defaultsFor)
 *   fixed per GPU-hour  = capex / (life x 8760) + colo $/kW-month x kW provisioned / 730
 *                         + maintenance x capex / 8760 + staff / (GPUs x 8760)
 *   energy per busy hour = kW per GPU x load fraction x PUE x $/kWh
 *   idle energy per hour = kW per GPU x idle fraction x PUE x $/kWh   (powered but not working)
 *   cost per useful GPU-hour = fixed / u + energy + idle x (1 - u) / u  =  (fixed + idle) / u + energy - idle
 *   break-even utilization against a cloud price c = (fixed + idle) / (c - energy + idle)
 * </pre>
 * Cloud bills: on-demand and spot are paid for the hours used; 1- and 3-year commitments for every hour.
 */
public final class CostEngine {
    static final double HOURS_PER_YEAR = 8760;
    public static final double HOURS_PER_MONTH = 730;

    private final Catalog catalog;

    static final int MAX_GPUS = 1_000_000;

    public CostEngine(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * @param tokensPerSecond the option's throughput (output tokens/s, or training tokens/s) from the sizing engine;
     *                        null when unknown, then $ per million tokens is null too
     */
    public CostOption owned(Gpu gpu, int count, Double tokensPerSecond, CostAssumptions override) {
        List<String> problems = new ArrayList<>(override.problems());
        Ranges.optional(problems, "gpus", count, 1, MAX_GPUS);
        CostAssumptions a = override.over(CostAssumptions.defaultsFor(gpu));
        Double price = a.gpuPriceUsd() != null ? a.gpuPriceUsd() : gpu.price() == null ? null : gpu.price().usd();
        if (price == null) {
            problems.add("gpu-price: " + gpu.id() + " has no purchase price in the catalog (" + gpu.notes()
                    + "); give --gpu-price");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        // One node (an 8-GPU server, an NVL72 rack) needs no cluster fabric.
        double network = count > gpu.node().gpusPerNode() ? a.networkFraction() : 0;
        double capexPerGpu = price * a.serverOverhead() / (1 - network);
        double kwPerGpu = gpu.power().tdpWatts() / 1000 * a.serverPowerMultiplier();
        double fixedPerGpuHour = capexPerGpu / (a.lifeYears() * HOURS_PER_YEAR)
                + a.coloUsdPerKwMonth() * kwPerGpu / HOURS_PER_MONTH
                + a.maintenanceFraction() * capexPerGpu / HOURS_PER_YEAR
                + a.staffUsdPerYear() / (count * HOURS_PER_YEAR);
        double energyPerBusyGpuHour = kwPerGpu * a.loadFraction() * a.pue() * a.electricityUsdPerKwh();
        double idlePerGpuHour = kwPerGpu * a.idleFraction() * a.pue() * a.electricityUsdPerKwh();
        double u = a.utilization();
        double costPerUsefulGpuHour = fixedPerGpuHour / u + energyPerBusyGpuHour + idlePerGpuHour * (1 - u) / u;
        double monthlyOpex = count * HOURS_PER_MONTH * (fixedPerGpuHour - capexPerGpu / (a.lifeYears() * HOURS_PER_YEAR)
                + energyPerBusyGpuHour * u + idlePerGpuHour * (1 - u));
        double busyWatts = kwPerGpu * a.loadFraction() * 1000 * count;
        Double perMillion = tokensPerSecond == null || tokensPerSecond <= 0 ? null
                : costPerUsefulGpuHour * count / (tokensPerSecond * 3600) * 1e6;
        Double energyPerMillionKwh = tokensPerSecond == null || tokensPerSecond <= 0 ? null
                : busyWatts * a.pue() / 1000 / (tokensPerSecond * 3600) * 1e6;
        double[] cumulative = new double[a.horizonMonths() + 1];
        double capex = capexPerGpu * count;
        for (int m = 0; m <= a.horizonMonths(); m++) {
            cumulative[m] = capex + monthlyOpex * m;
        }
        List<CostOption.Versus> offers = new ArrayList<>();
        for (CloudOffer offer : catalog.offersFor(gpu.id())) {
            offers.add(versus(offer, count, a, fixedPerGpuHour, energyPerBusyGpuHour, idlePerGpuHour, cumulative,
                    tokensPerSecond));
        }
        return new CostOption(gpu.id(), gpu.name(), count, price, capex, capexPerGpu, kwPerGpu * count,
                fixedPerGpuHour, energyPerBusyGpuHour, idlePerGpuHour, costPerUsefulGpuHour, monthlyOpex, perMillion,
                perMillion == null ? null : 1e6 / perMillion,
                tokensPerSecond == null ? null : tokensPerSecond / busyWatts, energyPerMillionKwh, cumulative, offers);
    }

    private static CostOption.Versus versus(CloudOffer offer, int count, CostAssumptions a, double fixed, double energy,
                                            double idle, double[] owned, Double tokensPerSecond) {
        boolean committed = offer.pricing() == PricingKind.ONE_YEAR || offer.pricing() == PricingKind.THREE_YEAR;
        double billedHoursPerMonth = HOURS_PER_MONTH * (committed ? 1 : a.utilization());
        double cloudMonthly = offer.gpuHourUsd() * count * billedHoursPerMonth;
        double[] cloud = new double[owned.length];
        Integer breakEvenMonth = null;
        for (int m = 0; m < owned.length; m++) {
            cloud[m] = cloudMonthly * m;
            if (breakEvenMonth == null && m > 0 && owned[m] <= cloud[m]) {
                breakEvenMonth = m;
            }
        }
        // Owned beats renting by the hour above u* = (fixed + idle) / (cloud - energy + idle); never when the cloud's
        // hour costs less than the working energy net of the idle draw it saves.
        double margin = offer.gpuHourUsd() - energy + idle;
        Double breakEvenUtilization = committed ? null : margin <= 0 ? null : (fixed + idle) / margin;
        double cloudCostPerUsefulHour = committed ? offer.gpuHourUsd() / a.utilization() : offer.gpuHourUsd();
        Double perMillion = tokensPerSecond == null || tokensPerSecond <= 0 ? null
                : cloudCostPerUsefulHour * count / (tokensPerSecond * 3600) * 1e6;
        return new CostOption.Versus(offer.id(), offer.provider(), offer.instanceType(), offer.pricing().label(),
                offer.gpuHourUsd(), offer.date(), cloudMonthly, cloud, breakEvenMonth, breakEvenUtilization, perMillion);
    }
}
