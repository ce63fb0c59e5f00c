package dev.headroom.cost;

import dev.headroom.common.Ranges;
import java.util.ArrayList;
import java.util.List;

/**
 * What owning and renting GPUs cost, beyond the catalog's prices. Every default has a source
 * (shared/reference/gpus-and-costs.md §3b) or says it is an assumption; a null field takes the default.
 *
 * @param gpuPriceUsd          per GPU; null takes the catalog's dated price
 * @param serverOverhead       server cost as a multiple of the GPU price (Epoch AI: 1.64)
 * @param networkFraction      cluster interconnect share of total cost, for clusters beyond one 8-GPU node (Epoch: 0.19)
 * @param lifeYears            straight-line depreciation (Epoch: 5 years for hardware from 2023 on)
 * @param electricityUsdPerKwh US industrial average 2025 (Epoch): 0.0826
 * @param pue                  facility overhead: 1.25 data center (Epoch "others"); small server rooms measure 1.5-2.1 (LBNL)
 * @param utilization          share of hours the GPUs do useful work [assumption: 0.6, set your own]
 * @param loadFraction         average draw while working, share of server power (Epoch: 0.75)
 * @param idleFraction         draw while powered but idle, share of server power [derived: GPUs idle at 5-15 % of
 *                             TDP, gpus-and-costs.md §4b: 0.10]; 0 when the servers are switched off between jobs
 * @param serverPowerMultiplier server power per GPU as a multiple of GPU TDP (DGX H100: 10.2 kW / 8 / 700 W = 1.82)
 * @param coloUsdPerKwMonth    colocation, CBRE North America H2 2024: 184.06 $/kW-month; 0 in your own room
 * @param maintenanceFraction  support and spares per year, share of hardware cost [assumption: 0.10]
 * @param staffUsdPerYear      people to run the hardware, spread over its GPUs [assumption: 0]
 * @param horizonMonths        how far the cumulative comparison runs
 */
public record CostAssumptions(Double gpuPriceUsd, Double serverOverhead, Double networkFraction, Double lifeYears,
                              Double electricityUsdPerKwh, Double pue, Double utilization, Double loadFraction,
                              Double idleFraction,
                              Double serverPowerMultiplier, Double coloUsdPerKwMonth, Double maintenanceFraction,
                              Double staffUsdPerYear, Integer horizonMonths) {

    public static final CostAssumptions DEFAULTS = new CostAssumptions(null, 1.64, 0.19, 5.0, 0.0826, 1.25, 0.6,
            0.75, 0.10, 1.82, 184.06, 0.10, 0.0, 36);

    public static final CostAssumptions NONE = new CostAssumptions(null, null, null, null, null, null, null, null,
            null, null, null, null, null, null);

    /**
     * The defaults for one GPU. A price that is a share of a server or rack takes no server multiple. A
     * unified-memory machine is priced and powered whole: its price is the system's
     * (no server multiple, no cluster fabric), its TDP the system's maximum draw (no server power multiple), and
     * it idles at the system's measured idle power where the catalog has it.
     */
    public static CostAssumptions defaultsFor(dev.headroom.catalog.Gpu gpu) {
        if (gpu.isUnified()) {
            Double idle = gpu.power().idleWatts() != null && gpu.power().tdpWatts() != null
                    ? gpu.power().idleWatts() / gpu.power().tdpWatts() : null;
            return wholeSystem(0.0, idle, 1.0);
        }
        // A DGX listing / 8 or an NVL72 rack / 72 already pays for the server around the GPU.
        return gpu.price() != null && gpu.price().ofSystem() ? wholeSystem(null, null, null) : DEFAULTS;
    }

    /** The defaults with no server multiple, and the other fields given here where not null. */
    private static CostAssumptions wholeSystem(Double networkFraction, Double idleFraction, Double serverPower) {
        return new CostAssumptions(null, 1.0, networkFraction, null, null, null, null, null, idleFraction, serverPower,
                null, null, null, null).over(DEFAULTS);
    }

    /** This override over the defaults. */
    public CostAssumptions over(CostAssumptions d) {
        return new CostAssumptions(gpuPriceUsd != null ? gpuPriceUsd : d.gpuPriceUsd,
                serverOverhead != null ? serverOverhead : d.serverOverhead,
                networkFraction != null ? networkFraction : d.networkFraction,
                lifeYears != null ? lifeYears : d.lifeYears,
                electricityUsdPerKwh != null ? electricityUsdPerKwh : d.electricityUsdPerKwh,
                pue != null ? pue : d.pue, utilization != null ? utilization : d.utilization,
                loadFraction != null ? loadFraction : d.loadFraction,
                idleFraction != null ? idleFraction : d.idleFraction,
                serverPowerMultiplier != null ? serverPowerMultiplier : d.serverPowerMultiplier,
                coloUsdPerKwMonth != null ? coloUsdPerKwMonth : d.coloUsdPerKwMonth,
                maintenanceFraction != null ? maintenanceFraction : d.maintenanceFraction,
                staffUsdPerYear != null ? staffUsdPerYear : d.staffUsdPerYear,
                horizonMonths != null ? horizonMonths : d.horizonMonths);
    }

    /** Every problem, naming the field, the value and the allowed range. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        range(problems, "gpu-price", gpuPriceUsd, 1, 1e7);
        range(problems, "server-overhead", serverOverhead, 1, 10);
        range(problems, "network-fraction", networkFraction, 0, 0.9);
        range(problems, "life-years", lifeYears, 0.5, 15);
        range(problems, "electricity", electricityUsdPerKwh, 0, 5);
        range(problems, "pue", pue, 1, 4);
        range(problems, "utilization", utilization, 0.01, 1);
        range(problems, "load-fraction", loadFraction, 0.05, 1);
        range(problems, "idle-fraction", idleFraction, 0, 1);
        range(problems, "server-power", serverPowerMultiplier, 1, 5);
        range(problems, "colo", coloUsdPerKwMonth, 0, 5000);
        range(problems, "maintenance", maintenanceFraction, 0, 1);
        range(problems, "staff", staffUsdPerYear, 0, 1e8);
        range(problems, "horizon-months", horizonMonths, 1, 240);
        return problems;
    }

    private static void range(List<String> problems, String field, Number value, double min, double max) {
        Ranges.optional(problems, field, value, min, max);
    }
}
