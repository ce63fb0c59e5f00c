package dev.headroom.cost;

import java.util.List;

/**
 * Owning {@code count} GPUs of one kind, and how that compares with each cloud offer for the same GPU.
 *
 * @param capexUsd                  GPUs, servers and (beyond one node) network
 * @param powerKw                   provisioned server power for these GPUs
 * @param fixedPerGpuHourUsd        depreciation, colocation, maintenance and staff per GPU-hour, busy or not
 * @param energyPerBusyGpuHourUsd   electricity per GPU-hour of work, PUE included
 * @param idlePerGpuHourUsd         electricity per GPU-hour powered but idle, PUE included
 * @param costPerUsefulGpuHourUsd   what one GPU-hour of work costs at the assumed utilization
 * @param monthlyOpexUsd            everything but depreciation, per month for all GPUs
 * @param cumulativeUsd             capex then opex, month 0 .. horizon
 */
public record CostOption(String gpu, String gpuName, int count, Double gpuPriceUsd, double capexUsd,
                         double capexPerGpuUsd, double powerKw, double fixedPerGpuHourUsd,
                         double energyPerBusyGpuHourUsd, double idlePerGpuHourUsd, double costPerUsefulGpuHourUsd, double monthlyOpexUsd,
                         Double costPerMillionTokensUsd, Double tokensPerDollar, Double tokensPerSecondPerWatt,
                         Double energyPerMillionTokensKwh, double[] cumulativeUsd, List<Versus> versus) {

    /**
     * One cloud offer against owning.
     *
     * @param breakEvenMonth        first month where owning has cost no more than renting; null within the horizon
     * @param breakEvenUtilization  utilization above which owning is cheaper per useful hour; null for commitments
     *                              (paid whether used or not) and when the cloud costs less than the energy alone
     */
    public record Versus(String offer, String provider, String instanceType, String pricing, double gpuHourUsd,
                         String priceDate, double monthlyUsd, double[] cumulativeUsd, Integer breakEvenMonth,
                         Double breakEvenUtilization, Double costPerMillionTokensUsd) {
    }
}
