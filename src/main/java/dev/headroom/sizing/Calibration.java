package dev.headroom.sizing;

import java.util.Locale;

/**
 * Efficiencies and overheads fitted to one user's measurements of one GPU and runtime (a calibration profile's
 * values; {@code dev.headroom.calibration} fits and stores them). A null value was not fitted: the default stays.
 *
 * @param overheadBytes per-GPU memory that is neither weights, KV cache nor activations (CUDA context, kernels,
 *                      library workspaces, NCCL buffers, CUDA graphs), as one figure
 * @param fragmentation allocator slack as a share of what is allocated
 */
public record Calibration(String name, String gpu, RuntimeProfile runtime, Double prefillEfficiency,
                          Double bandwidthEfficiency, Long overheadBytes, Double fragmentation) {

    /** Whether a scenario runs where this was measured: the same GPU, and the same runtime where one was named. */
    public boolean appliesTo(Scenario s) {
        return s.hardware() != null && gpu.equals(s.hardware().gpuId())
                && (runtime == null || s.runtime() == null || runtime == s.runtime());
    }

    /**
     * The scenario with the fitted values in place of the defaults (a value the scenario sets itself stays:
     * an explicit flag is the user's last word). Scenarios on another GPU or runtime are returned unchanged.
     */
    public Scenario applyTo(Scenario s) {
        if (!appliesTo(s)) {
            return s;
        }
        Efficiencies e = s.efficiencies();
        Efficiencies efficiencies = new Efficiencies(e.mfu(),
                e.prefillEfficiency() != null ? e.prefillEfficiency() : prefillEfficiency,
                e.bandwidthEfficiency() != null ? e.bandwidthEfficiency() : bandwidthEfficiency,
                e.interconnectEfficiency(), e.collectiveLatencySeconds());
        RuntimeOverheads o = s.overheads();
        boolean fixedGiven = o.cudaContextBytes() != null || o.workspaceBytes() != null
                || o.multiGpuWorkspaceBytes() != null || o.cudaGraphBytes() != null;
        // The fitted overhead is all the fixed terms in one: it stands for the context, the others become 0.
        boolean replace = overheadBytes != null && !fixedGiven;
        Long none = 0L;
        RuntimeOverheads overheads = new RuntimeOverheads(
                replace ? overheadBytes : o.cudaContextBytes(),
                replace ? none : o.workspaceBytes(),
                replace ? none : o.multiGpuWorkspaceBytes(),
                replace ? none : o.cudaGraphBytes(),
                o.fragmentation() != null ? o.fragmentation() : fragmentation, o.memoryReservation(),
                o.pagedBlockTokens(), o.launchSecondsPerLayer(), o.prefillChunkTokens());
        return s.withEfficiencies(efficiencies).withOverheads(overheads);
    }

    /** One line for an estimate's assumptions. */
    public String describe() {
        return String.format(Locale.ROOT, "Calibration '%s' (%s%s): prefill efficiency %s, bandwidth efficiency %s,"
                        + " overhead %s, fragmentation %s", name, gpu, runtime == null ? "" : ", " + runtime.label(),
                prefillEfficiency == null ? "default" : String.format(Locale.ROOT, "%.3f", prefillEfficiency),
                bandwidthEfficiency == null ? "default" : String.format(Locale.ROOT, "%.3f", bandwidthEfficiency),
                overheadBytes == null ? "default" : dev.headroom.common.Format.gib(overheadBytes),
                fragmentation == null ? "default" : String.format(Locale.ROOT, "%.3f", fragmentation));
    }
}
