package dev.headroom.serving;

import dev.headroom.common.Ranges;
import java.util.List;

/**
 * A replica's scheduler: the token budget of one step ({@code max_num_batched_tokens}), the most running
 * sequences ({@code max_num_seqs}), and priority scheduling (off, or two classes, with or without preempting
 * low-priority requests to admit high-priority ones).
 */
public record SchedulerSettings(int maxBatchedTokens, int maxSeqs, Priority priority) {
    public static final int MAX_TOKENS = 1 << 20;
    public static final int MAX_SEQS = 1 << 16;

    public enum Priority { NONE, NON_PREEMPTIVE, PREEMPTIVE }

    /**
     * {@code vllm serve}'s defaults in vLLM 0.11 (vllm/engine/arg_utils.py @99d7eb5, serving-and-planning.md §2): a
     * GPU of 70 GiB or more that is not an A100 gets 8192 tokens and 1024 sequences, others 2048 and 256.
     */
    public static SchedulerSettings vllmDefaults(String gpuId, long gpuMemoryBytes) {
        boolean large = gpuMemoryBytes >= 70L * (1L << 30) && !gpuId.startsWith("a100");
        return new SchedulerSettings(large ? 8192 : 2048, large ? 1024 : 256, Priority.NONE);
    }

    public SchedulerSettings with(Integer tokens, Integer seqs, Priority value) {
        return new SchedulerSettings(tokens != null ? tokens : maxBatchedTokens, seqs != null ? seqs : maxSeqs,
                value != null ? value : priority);
    }

    public void problems(List<String> problems) {
        Ranges.optional(problems, "max-batched-tokens", maxBatchedTokens, 16, MAX_TOKENS);
        Ranges.optional(problems, "max-seqs", maxSeqs, 1, MAX_SEQS);
    }
}
