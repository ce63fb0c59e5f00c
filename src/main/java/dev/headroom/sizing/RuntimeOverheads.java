package dev.headroom.sizing;

/**
 * A runtime's memory terms and per-step cost. Any field left null in a scenario's override takes the
 * profile's default.
 *
 * @param cudaContextBytes         CUDA context and loaded kernels, per GPU
 * @param workspaceBytes           cuBLAS and library workspaces on a single GPU
 * @param multiGpuWorkspaceBytes   the same with NCCL buffers, when the GPUs of one model talk to each other
 * @param cudaGraphBytes           captured CUDA graphs
 * @param fragmentation            allocator slack as a share of everything allocated
 * @param memoryReservation        share of the GPU the runtime lets itself use (vLLM gpu_memory_utilization)
 * @param pagedBlockTokens         KV-cache block size in tokens; 0 when the cache is not paged
 * @param launchSecondsPerLayer    host-side overhead per decoder layer and decode step
 * @param prefillChunkTokens       most prompt tokens one forward pass takes (chunked prefill); 0 = the whole batch
 */
public record RuntimeOverheads(Long cudaContextBytes, Long workspaceBytes, Long multiGpuWorkspaceBytes,
                               Long cudaGraphBytes, Double fragmentation, Double memoryReservation,
                               Integer pagedBlockTokens, Double launchSecondsPerLayer, Integer prefillChunkTokens) {

    public static final RuntimeOverheads NONE = new RuntimeOverheads(null, null, null, null, null, null, null, null,
            null);

    /** This override applied over the given defaults. */
    public RuntimeOverheads over(RuntimeOverheads defaults) {
        return new RuntimeOverheads(
                cudaContextBytes != null ? cudaContextBytes : defaults.cudaContextBytes,
                workspaceBytes != null ? workspaceBytes : defaults.workspaceBytes,
                multiGpuWorkspaceBytes != null ? multiGpuWorkspaceBytes : defaults.multiGpuWorkspaceBytes,
                cudaGraphBytes != null ? cudaGraphBytes : defaults.cudaGraphBytes,
                fragmentation != null ? fragmentation : defaults.fragmentation,
                memoryReservation != null ? memoryReservation : defaults.memoryReservation,
                pagedBlockTokens != null ? pagedBlockTokens : defaults.pagedBlockTokens,
                launchSecondsPerLayer != null ? launchSecondsPerLayer : defaults.launchSecondsPerLayer,
                prefillChunkTokens != null ? prefillChunkTokens : defaults.prefillChunkTokens);
    }
}
