package dev.headroom.sizing;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.headroom.catalog.Gpu;

/**
 * What a serving or training stack adds to the model's own memory, and its fixed per-step cost. Each term is
 * explicit and can be overridden ({@link RuntimeOverheads}).
 *
 * <p>Sources (shared/reference/sizing.md §3.8): CUDA context 287,047,680 B with lazy module loading
 * (pytorch/pytorch PR #86509); cuBLAS/NCCL workspaces 0.07 GiB on one GPU up to 1.96 GiB with tensor
 * parallelism (vLLM "non_torch_memory" logs), so 1 GiB is taken when GPUs talk to each other; vLLM CUDA graphs
 * 0.46-0.65 GiB for small models (vLLM PR #21489), 0.5 GiB taken; allocator fragmentation 5-10 % for eager
 * PyTorch, 7.5 % taken; engines with pre-allocated pools have none. vLLM reserves
 * {@code gpu_memory_utilization} = 0.9 of the GPU and pages the KV cache in blocks of 16 tokens (Kwon et al.,
 * SOSP'23); TensorRT-LLM gives the KV cache 0.9 of the memory left free, approximated as 0.9 of the GPU.
 * Per-step host overhead: an eager decoder layer launches about 15 kernels at 5-8 µs each (NVIDIA, "Getting
 * Started with CUDA Graphs", 2019: launch overheads of a few µs per kernel), so 100 µs per layer; runtimes that
 * replay CUDA graphs pay about a tenth of that. Prefill chunks: vLLM's and TensorRT-LLM's default token budget
 * per forward pass is 8192 (max_num_batched_tokens, max_num_tokens); llama.cpp computes in micro-batches of
 * n_ubatch = 512 tokens; Transformers and plain PyTorch run the whole batch at once.
 */
public enum RuntimeProfile implements Labeled {
    HF_TRANSFORMERS("hf-transformers", new RuntimeOverheads(287_047_680L, 75_161_928L, 1L << 30, 0L, 0.075, 1.0, 0, 100e-6, 0)),
    VLLM("vllm", new RuntimeOverheads(287_047_680L, 75_161_928L, 1L << 30, 1L << 29, 0.0, 0.9, 16, 10e-6, 8192)),
    TENSORRT_LLM("tensorrt-llm", new RuntimeOverheads(287_047_680L, 75_161_928L, 1L << 30, 0L, 0.0, 0.9, 0, 10e-6, 8192)),
    LLAMA_CPP("llama-cpp", new RuntimeOverheads(287_047_680L, 75_161_928L, 1L << 30, 0L, 0.0, 1.0, 0, 100e-6, 512)),
    PYTORCH("pytorch", new RuntimeOverheads(287_047_680L, 75_161_928L, 1L << 30, 0L, 0.075, 1.0, 0, 100e-6, 0)),
    /** Apple's MLX (mlx-lm): Metal only; prefill in steps of 2048 tokens (mlx-lm's prefill_step_size). */
    MLX("mlx", new RuntimeOverheads(0L, 75_161_928L, 75_161_928L, 0L, 0.0, 1.0, 0, 100e-6, 2048));

    private final String label;
    private final RuntimeOverheads defaults;

    RuntimeProfile(String label, RuntimeOverheads defaults) {
        this.label = label;
        this.defaults = defaults;
    }

    @Override
    @JsonValue
    public String label() {
        return label;
    }

    /**
     * The profile's terms on a GPU's software stack. Metal has no CUDA context (llama.cpp's Metal buffers are views
     * of the mapped weights, ggml-org/llama.cpp#5206) and no CUDA graphs: the context term is 0 and the workspace
     * stays [assumed] at the CUDA figure (llama.cpp logs a Metal compute buffer of about 404 MiB at a 4k context,
     * llama.cpp PR #17609, which the activation term covers in part). The share of memory the GPU may use is the
     * unified machine's wired limit (Metal's recommendedMaxWorkingSetSize, which mlx-lm wires and warns at 90 % of),
     * already in its capacity, so nothing is reserved on top. ROCm (HIP) and Gaudi keep the CUDA figures,
     * [assumed]: no per-platform measurement is published; vLLM's gpu_memory_utilization 0.9 is the same code path
     * on ROCm.
     */
    public RuntimeOverheads defaults(Gpu.Backend backend) {
        if (backend != Gpu.Backend.METAL) {
            return defaults;
        }
        RuntimeOverheads d = defaults;
        return new RuntimeOverheads(0L, d.workspaceBytes(), d.workspaceBytes(), 0L, d.fragmentation(), 1.0,
                d.pagedBlockTokens(), d.launchSecondsPerLayer(), d.prefillChunkTokens());
    }

    /** Whether the runtime runs on this stack: vLLM on CUDA, ROCm and Gaudi; TensorRT-LLM CUDA only; MLX Metal only. */
    public boolean runsOn(Gpu.Backend backend) {
        return switch (this) {
            case VLLM -> backend != Gpu.Backend.METAL;
            case TENSORRT_LLM -> backend == Gpu.Backend.CUDA;
            case MLX -> backend == Gpu.Backend.METAL;
            case HF_TRANSFORMERS, PYTORCH, LLAMA_CPP -> true; // PyTorch has MPS on Apple, ROCm and HPU builds
        };
    }

    /** The runtime a plan gets on a stack this one does not run on: llama.cpp runs everywhere. */
    public RuntimeProfile on(Gpu.Backend backend) {
        if (runsOn(backend)) {
            return this;
        }
        return this == TENSORRT_LLM && backend == Gpu.Backend.ROCM ? VLLM : LLAMA_CPP;
    }

    /** The profile a workload gets when the user names none. */
    public static RuntimeProfile defaultFor(Workload workload) {
        return workload == Workload.INFERENCE ? VLLM : PYTORCH;
    }
}
