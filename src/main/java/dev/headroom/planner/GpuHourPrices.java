package dev.headroom.planner;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CloudOffer;
import dev.headroom.catalog.Gpu;
import dev.headroom.catalog.PricingKind;
import dev.headroom.cost.CostAssumptions;
import dev.headroom.cost.CostEngine;
import dev.headroom.cost.CostOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What one GPU-hour of a GPU costs, each way the search may pay for it: owned (the cost engine's fixed cost per
 * GPU-hour plus energy at full load) and the cheapest catalog offer of each pricing kind. Serving and training
 * candidates are priced here alike.
 */
final class GpuHourPrices {
    /** One way to pay: "owned" or the offer's id, and its dollars per GPU-hour. */
    record Price(String pricing, double perGpuHourUsd) {
    }

    private final Catalog catalog;
    private final CostEngine costs;

    GpuHourPrices(Catalog catalog) {
        this.catalog = catalog;
        this.costs = new CostEngine(catalog);
    }

    /**
     * @param gpus            how many are bought (the owned cost engine spreads node costs over them)
     * @param tokensPerSecond the tokens they serve, for the owned option's per-token figures; null for training
     */
    List<Price> of(Gpu gpu, int gpus, Double tokensPerSecond, SearchSpace space) {
        List<Price> out = new ArrayList<>();
        if (space.owned() && gpu.price() != null && gpu.price().usd() != null) {
            try {
                CostOption owned = costs.owned(gpu, gpus, tokensPerSecond, CostAssumptions.NONE);
                out.add(new Price("owned", owned.fixedPerGpuHourUsd() + owned.energyPerBusyGpuHourUsd()));
            } catch (IllegalArgumentException e) {
                // no owned price for this GPU: only its offers count
            }
        }
        if (space.cloud()) {
            for (PricingKind kind : PricingKind.values()) {
                catalog.offersFor(gpu.id()).stream().filter(o -> o.pricing() == kind)
                        .min(Comparator.comparingDouble(CloudOffer::gpuHourUsd))
                        .ifPresent(o -> out.add(new Price(o.id(), o.gpuHourUsd())));
            }
        }
        return out;
    }
}
