package dev.headroom.catalog;

import java.util.List;

/** A list price for renting GPUs: one instance type, one pricing kind, one region, on one date. */
public record CloudOffer(
        String id,
        String provider,
        String instanceType,
        String gpuId,
        Integer gpusPerInstance,
        Double instanceHourUsd,
        Double gpuHourUsd,
        PricingKind pricing,
        String region,
        String date,
        List<Source> sources) implements CatalogEntry {

    public CloudOffer {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }
}
