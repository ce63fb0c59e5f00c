package dev.headroom.sizing;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.Gpu;
import java.util.ArrayList;
import java.util.List;

/** The same scenario on every catalog GPU: does it fit, how many are needed, how fast, at what purchase price. */
public final class GpuComparison {
    /**
     * @param fitsAsPlanned   fits with the scenario's own parallel layout on this GPU
     * @param gpusNeeded      the smallest tensor x pipeline count that fits (null: none up to 8 x layers)
     * @param outputTokensPerSecond inference throughput of the batch on that layout; null for training
     * @param trainingTokensPerSecond training throughput on that layout; null for inference
     * @param priceUsd        catalog price of the GPUs needed, null when the GPU has no price
     * @param neededLayoutBytes memory per GPU on the layout of the GPUs needed
     */
    public record Row(Gpu gpu, boolean fitsAsPlanned, Integer gpusNeeded, Integer tensorParallel,
                      Integer pipelineParallel, long perGpuBytes, long capacityBytes, Double outputTokensPerSecond,
                      Double trainingTokensPerSecond, Double priceUsd, long neededLayoutBytes) {
    }

    private final SizingEngine engine;
    private final Catalog catalog;

    public GpuComparison(SizingEngine engine, Catalog catalog) {
        this.engine = engine;
        this.catalog = catalog;
    }

    public List<Row> compare(Scenario scenario) {
        List<Row> rows = new ArrayList<>();
        // a scenario sized without a GPU has no count of its own: its split's
        int gpus = scenario.hardware() != null && scenario.hardware().gpuId() != null ? scenario.hardware().count()
                : (int) Math.min(Integer.MAX_VALUE, scenario.parallelism().gpus());
        for (Gpu gpu : catalog.gpus().values()) {
            Scenario onGpu = scenario.withHardware(new Scenario.Hardware(gpu.id(), gpus));
            Estimate planned;
            try {
                planned = engine.estimate(onGpu);
            } catch (ScenarioException e) {
                // The plan's own split may not exist on this GPU (tensor parallelism beyond a one-GPU node, a
                // Mac): start from one GPU per replica; the fit search below finds the split it needs.
                Scenario.Parallelism single = scenario.parallelism().withTensorAndPipeline(1, 1);
                onGpu = scenario.withParallelism(single).withHardware(new Scenario.Hardware(gpu.id(),
                        (int) single.gpus()));
                try {
                    planned = engine.estimate(onGpu);
                } catch (ScenarioException again) {
                    continue;
                }
            }
            Estimate.Fit fit = planned.fit();
            Estimate atMinimum = planned;
            if (fit.minGpus() != null && (fit.minTensorParallel() != scenario.parallelism().tensor()
                    || fit.minPipelineParallel() != scenario.parallelism().pipeline())) {
                Scenario.Parallelism minimal = scenario.parallelism().withTensorAndPipeline(fit.minTensorParallel(),
                        fit.minPipelineParallel());
                try {
                    atMinimum = engine.estimate(onGpu.withParallelism(minimal).withHardware(
                            new Scenario.Hardware(gpu.id(), (int) minimal.gpus())));
                } catch (ScenarioException e) {
                    atMinimum = planned;
                }
            }
            Integer needed = fit.minGpus();
            Double price = gpu.price() == null || needed == null ? null : gpu.price().usd() * needed;
            rows.add(new Row(gpu, fit.fits(), needed, fit.minTensorParallel(), fit.minPipelineParallel(),
                    planned.memory().totalBytes(), fit.usableBytes(), atMinimum.performance().outputTokensPerSecond(),
                    atMinimum.performance().trainingTokensPerSecond(), price, atMinimum.memory().totalBytes()));
        }
        return rows;
    }
}
