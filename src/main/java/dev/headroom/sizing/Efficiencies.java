package dev.headroom.sizing;

/**
 * How close to the datasheet a real run gets. Defaults and why (shared/reference):
 * <ul>
 * <li>{@code mfu} and {@code prefillEfficiency} 0.55: the compute efficiency of GEMM-bound phases (a training
 * step, a prefill), kernels only: communication, pipeline bubbles and launch overheads are modelled on top.
 * Dense GEMMs reach 70-82 % of peak on H100/A100 (Azure measurements, gpus-and-costs.md §0) and whole passes
 * less (attention, norms, element-wise kernels); sizing.md §3.7 reports 0.4-0.7 for real estimators; the
 * middle of that range is taken for both. Published end-to-end training MFU (38-56 %, sizing.md §3.6) is
 * lower because it includes the communication and bubbles the engine adds explicitly.</li>
 * <li>{@code bandwidthEfficiency} 0.75: streaming reads reach 85-95 % of HBM bandwidth in microbenchmarks
 * (H100 89-95 %, A100 about 85 %, MI300X 77 %; gpus-and-costs.md §0); decode GEMVs reach less. The fixed
 * per-step launch cost is modelled separately (RuntimeProfile), so this is the kernels' own efficiency.</li>
 * <li>{@code interconnectEfficiency} 0.7 of the link's one-way bandwidth for NCCL collectives, and
 * {@code collectiveLatencySeconds} 10 µs per collective (NCCL's small-message latency inside a node).</li>
 * </ul>
 */
public record Efficiencies(Double mfu, Double prefillEfficiency, Double bandwidthEfficiency,
                           Double interconnectEfficiency, Double collectiveLatencySeconds) {

    public static final Efficiencies DEFAULTS = new Efficiencies(0.55, 0.55, 0.75, 0.7, 10e-6);

    public static final Efficiencies NONE = new Efficiencies(null, null, null, null, null);

    public Efficiencies over(Efficiencies defaults) {
        return new Efficiencies(
                mfu != null ? mfu : defaults.mfu,
                prefillEfficiency != null ? prefillEfficiency : defaults.prefillEfficiency,
                bandwidthEfficiency != null ? bandwidthEfficiency : defaults.bandwidthEfficiency,
                interconnectEfficiency != null ? interconnectEfficiency : defaults.interconnectEfficiency,
                collectiveLatencySeconds != null ? collectiveLatencySeconds : defaults.collectiveLatencySeconds);
    }
}
