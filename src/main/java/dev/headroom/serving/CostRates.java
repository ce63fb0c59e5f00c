package dev.headroom.serving;

/**
 * Prices of one GPU-hour for the period's cost: owned (the cost engine's fixed cost per GPU-hour, and the energy of
 * a busy and of an idle hour) and rented (the cheapest catalog offer). Null where the catalog has no figure.
 */
public record CostRates(Double ownedFixedPerGpuHour, Double energyBusyPerGpuHour, Double energyIdlePerGpuHour,
                        Double cloudPerGpuHour, String cloudOffer) {
    public static final CostRates NONE = new CostRates(null, null, null, null, null);
}
