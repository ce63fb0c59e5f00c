package dev.headroom.cost;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.Gpu;
import dev.headroom.catalog.GpuClass;
import dev.headroom.sizing.GpuComparison;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.SizingEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Consumer versus data-center for one workload: every catalog GPU that can run it (as many as it needs), what
 * they cost to own, their throughput and $ per million tokens, the memory left, and what a buyer must know.
 */
public final class BuyerComparison {
    /** One GPU option, with its cost and the caveats of its class. */
    public record Row(String gpu, String gpuName, String gpuClass, int count, String layout, double headroomGib,
                      Double tokensPerSecond, CostOption cost, List<String> caveats) {
    }

    private final Catalog catalog;
    private final SizingEngine sizing;
    private final CostEngine costs;

    public BuyerComparison(Catalog catalog) {
        this.catalog = catalog;
        this.sizing = new SizingEngine(catalog);
        this.costs = new CostEngine(catalog);
    }

    /** Options sorted by $ per million tokens (those without a price or throughput last). */
    public List<Row> compare(Scenario scenario, CostAssumptions assumptions) {
        List<Row> rows = new ArrayList<>();
        CostAssumptions withoutPrice = new CostAssumptions(null, assumptions.serverOverhead(),
                assumptions.networkFraction(), assumptions.lifeYears(), assumptions.electricityUsdPerKwh(),
                assumptions.pue(), assumptions.utilization(), assumptions.loadFraction(), assumptions.idleFraction(),
                assumptions.serverPowerMultiplier(), assumptions.coloUsdPerKwMonth(), assumptions.maintenanceFraction(),
                assumptions.staffUsdPerYear(), assumptions.horizonMonths());
        for (GpuComparison.Row fit : new GpuComparison(sizing, catalog).compare(scenario)) {
            Gpu gpu = fit.gpu();
            if (fit.gpusNeeded() == null || gpu.price() == null) {
                continue; // cannot run it, or cannot be bought (A10G, T4 in the catalog)
            }
            int count = fit.gpusNeeded();
            Double tokens = fit.outputTokensPerSecond() != null ? fit.outputTokensPerSecond() : fit.trainingTokensPerSecond();
            CostOption cost = costs.owned(gpu, count, tokens, withoutPrice);
            rows.add(new Row(gpu.id(), gpu.name(), gpu.gpuClass().label(), count,
                    "tp " + fit.tensorParallel() + " x pp " + fit.pipelineParallel(),
                    (fit.capacityBytes() - fit.neededLayoutBytes()) / (double) (1L << 30), tokens, cost,
                    caveats(gpu, count)));
        }
        rows.sort(Comparator.comparing((Row r) -> r.cost().costPerMillionTokensUsd() == null ? Double.MAX_VALUE
                : r.cost().costPerMillionTokensUsd()));
        return rows;
    }

    /** What the catalog says a buyer must know about this GPU used this way. */
    static List<String> caveats(Gpu gpu, int count) {
        List<String> caveats = new ArrayList<>();
        if (gpu.interconnect().gpuLink() == null && count > 1) {
            caveats.add("no NVLink: GPU-to-GPU traffic goes over PCIe Gen" + gpu.interconnect().pcieGeneration());
        }
        if (!Boolean.TRUE.equals(gpu.memory().ecc())) {
            caveats.add("no ECC memory");
        }
        if (gpu.gpuClass() == GpuClass.CONSUMER && gpu.vendor().equals("NVIDIA")) {
            caveats.add("GeForce driver licence excludes data-center deployment");
        }
        if (gpu.gpuClass() == GpuClass.CONSUMER) {
            caveats.add("consumer cooling and form factor (" + gpu.formFactor() + "): dense servers need blower or"
                    + " water-cooled cards");
        }
        if (gpu.gpuClass() == GpuClass.DATA_CENTER && gpu.formFactor() != null
                && (gpu.formFactor().contains("SXM") || gpu.formFactor().contains("OAM"))) {
            caveats.add(gpu.formFactor() + " module: needs an HGX/OAM server, not a workstation");
        }
        if (gpu.vendor().equals("AMD")) {
            caveats.add("ROCm software stack, not CUDA");
        }
        if (gpu.vendor().equals("Intel")) {
            caveats.add("Intel Gaudi software (PyTorch and vLLM plugins), not CUDA");
        }
        if (gpu.isUnified()) {
            caveats.add("price and power are the whole system's; the GPU may use "
                    + Math.round(gpu.unifiedMemory().defaultGpuShare() * 100) + " % of the memory by default ("
                    + gpu.unifiedMemory().control() + ")");
            caveats.add(String.format(java.util.Locale.ROOT, "decode is bandwidth-bound: %,.0f GB/s, against"
                    + " 3,350-8,000 GB/s on HBM GPUs", gpu.memory().bandwidthBytesPerSecond() / 1e9));
            if (count > 1) {
                caveats.add(count + " machines clustered over " + gpu.node().network() + ", not one box");
            }
        }
        if (gpu.backend() == Gpu.Backend.METAL) {
            caveats.add("Apple silicon: Metal (MLX, llama.cpp), no CUDA: vLLM and TensorRT-LLM do not run");
        }
        if (gpu.gpuClass() == GpuClass.WORKSTATION && gpu.power().tdpWatts() != null && gpu.power().tdpWatts() >= 450) {
            caveats.add(Math.round(gpu.power().tdpWatts()) + " W card: workstations fit few; check the Max-Q or"
                    + " server edition for dense builds");
        }
        return caveats;
    }
}
