package dev.headroom.sizing;

import java.util.List;
import java.util.Map;

/**
 * What the engine answers for one scenario. Bytes are per GPU for the most loaded GPU; a field that does not
 * apply to the scenario is null, never a made-up number.
 *
 * @param kvCacheBytesPerToken          KV cache (and recurrent state) bytes per token of one sequence at the
 *                                      scenario's context, averaged over the sequence: windows, chunks and fixed
 *                                      states make it fall as the context grows; null for training or without an
 *                                      architecture
 * @param kvCacheBytesPerTokenByContext the same at 1,024, 8,192, 32,768 and 131,072 tokens (keys are the token
 *                                      counts); null where kvCacheBytesPerToken is
 * @param host             what CPU offload keeps in one node's host memory; null when nothing is offloaded
 * @param layout           the nodes and the link each parallel group's traffic crosses
 * @param ruleOfThumbBytes the seed guide's whole-model figure (inference: parameters x bytes x 1.2; training:
 *                         parameters x bytes x 6), shown beside the detailed one so users see why they differ
 */
public record Estimate(
        String model,
        long parameters,
        long activeParameters,
        Memory memory,
        Host host,
        Long kvCacheBytesPerToken,
        Map<String, Long> kvCacheBytesPerTokenByContext,
        long ruleOfThumbBytes,
        Fit fit,
        Performance performance,
        Layout layout,
        Map<String, Assumption> assumptions,
        List<String> warnings) {

    /**
     * Per-GPU memory of the most loaded GPU.
     *
     * @param stage which pipeline stage that is: "first", "last", "only", or "middle" where a hybrid's layers make
     *              a middle stage the heaviest
     */
    public record Memory(long weightsBytes, Long kvCacheBytes, Long activationsBytes, Long gradientsBytes,
                         Long optimizerStatesBytes, long overheadBytes, long totalBytes, String stage) {
    }

    /**
     * Host memory of one node holding offloaded weights (--gpu-layers, --cpu-offload-gb).
     *
     * @param capacityBytes            the node's host memory (--host-memory, or the catalog's host platform)
     * @param bandwidthBytesPerSecond  what the CPU reads it at, at most the GPU's own bandwidth
     * @param gpuLayers                llama.cpp: repeating layers on the GPU; null for vLLM's weight offload
     * @param cpuLayers                llama.cpp: repeating layers on the CPU; null for vLLM's weight offload
     * @param outputOnGpu              llama.cpp: whether the output head is on the GPU; null for vLLM
     */
    public record Host(long weightsBytes, long kvCacheBytes, long totalBytes, long capacityBytes, boolean fits,
                       double bandwidthBytesPerSecond, String platform, Integer gpuLayers, Integer cpuLayers,
                       Boolean outputOnGpu) {
    }

    /**
     * The plan's nodes and where its traffic goes. A link is named for each parallel group of more than one GPU
     * (null otherwise); times are one decode step's (inference) or one optimizer step's (training).
     *
     * @param networkBytesPerSecondPerGpu one direction of the node's scale-out ports divided among its GPUs
     * @param dataParallelSeconds         the gradient all-reduce before any overlap with the backward pass;
     *                                    {@code exposedDataParallelSeconds} what outlasts it
     */
    public record Layout(int nodes, int gpusPerNode, int domainGpus, String network, double networkBytesPerSecondPerGpu,
                         String tensorLink, Double tensorSeconds, String pipelineLink, Double pipelineSeconds,
                         String dataParallelLink, Double dataParallelSeconds, Double exposedDataParallelSeconds,
                         String expertLink, Double expertSeconds) {
    }

    /**
     * @param usableBytes           what the runtime lets itself use (vLLM reserves 90 %)
     * @param headroomBytes         usable minus total; negative when it does not fit
     * @param minGpus               smallest tensor x pipeline (x the scenario's data) parallel count that fits,
     *                              tensor parallelism first up to 8 GPUs (one NVLink domain), pipeline beyond;
     *                              null when no layout up to 8 x layers fits
     * @param maxBatch              largest batch (training: micro-batch) that fits at the given context
     * @param maxContextTokens      longest sequence (prompt + output) that fits at the given batch, capped at the
     *                              model's context
     * @param maxConcurrentSequences sequences of this length the KV budget left after everything else holds
     */
    public record Fit(String gpu, long capacityBytes, long usableBytes, boolean fits, long headroomBytes,
                      Integer minGpus, Integer minTensorParallel, Integer minPipelineParallel, Integer maxBatch,
                      Integer maxContextTokens, Long maxConcurrentSequences) {
        /** The same figures for a plan that fails elsewhere (its host memory): the GPUs may fit, the plan does not. */
        public Fit notFitting() {
            return new Fit(gpu, capacityBytes, usableBytes, false, headroomBytes, minGpus, minTensorParallel,
                    minPipelineParallel, maxBatch, maxContextTokens, maxConcurrentSequences);
        }
    }

    /**
     * Times in seconds. Inference fields are null for training and the other way round.
     *
     * @param prefillBound "compute", "memory" or "host-link": what limits the phase
     * @param decodeBound  "compute", "memory", "host-memory" (CPU layers) or "host-link" (offloaded weights)
     */
    public record Performance(Double prefillSeconds, String prefillBound, Double timePerOutputTokenSeconds,
                              String decodeBound, Double outputTokensPerSecond, Double requestLatencySeconds,
                              Double trainingStepSeconds, Double trainingTokensPerSecond, Double mfu,
                              Double trainingFlopsPerToken, Double trainingDays, Double trainingGpuHours) {
    }

    /**
     * One number the estimate rests on, with where it comes from.
     *
     * @param source why this value: a paper, a measurement, a datasheet, or "user" when overridden
     */
    public record Assumption(String label, Object value, String unit, String source) {
    }
}
