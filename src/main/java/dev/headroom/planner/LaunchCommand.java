package dev.headroom.planner;

import dev.headroom.common.Format;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The command that starts one replica of a candidate, as text to copy. Flag names as each project documents them:
 * vLLM's engine arguments (docs.vllm.ai, "Engine Arguments": --tensor-parallel-size, --pipeline-parallel-size,
 * --max-num-seqs, --max-model-len, --gpu-memory-utilization, --kv-cache-dtype, --quantization); SGLang's server
 * arguments (docs.sglang.io, "Server Arguments": --model-path, --tp, --pp-size, --max-running-requests,
 * --context-length, --mem-fraction-static, --kv-cache-dtype, --quantization); trtllm-serve (TensorRT-LLM docs,
 * "trtllm-serve": --tp_size, --pp_size, --max_batch_size, --max_seq_len, --kv_cache_free_gpu_memory_fraction);
 * llama-server (llama.cpp's llama-server(1): -m, -ngl, -c, -np, whose context is shared by the slots, issue #11681).
 */
public final class LaunchCommand {
    public enum Runtime {
        VLLM("vllm"), SGLANG("sglang"), TRTLLM("trtllm"), LLAMA_CPP("llama-cpp");

        private final String label;

        Runtime(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Runtime parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (Runtime r : values()) {
                if (r.label.equals(t)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("deploy = " + Format.echo(text) + ": must be one of "
                    + Arrays.stream(values()).map(Runtime::label).collect(Collectors.joining(", ")));
        }
    }

    private LaunchCommand() {
    }

    /**
     * @param model         the Hugging Face id (or a path) to serve
     * @param maxModelLen   the longest request, prompt and output, in tokens
     * @param memoryShare   the share of each GPU the runtime may take (vLLM's 0.9 unless the plan says otherwise)
     */
    public static String of(Runtime runtime, Candidate c, String model, int maxModelLen, double memoryShare) {
        boolean fp8Kv = c.kvCache() != null && c.kvCache().startsWith("fp8");
        String share = Format.plain(memoryShare);
        return switch (runtime) {
            case VLLM -> "vllm serve " + model + " --tensor-parallel-size " + c.tp() + " --pipeline-parallel-size "
                    + c.pp() + " --max-num-seqs " + c.maxSeqs() + " --max-model-len " + maxModelLen
                    + " --gpu-memory-utilization " + share + " --kv-cache-dtype " + (fp8Kv ? "fp8" : "auto")
                    + quantization(c.weights(), "--quantization ");
            case SGLANG -> "python -m sglang.launch_server --model-path " + model + " --tp " + c.tp()
                    + (c.pp() > 1 ? " --pp-size " + c.pp() : "") + " --max-running-requests " + c.maxSeqs()
                    + " --context-length " + maxModelLen + " --mem-fraction-static " + share
                    + (fp8Kv ? " --kv-cache-dtype fp8_e4m3" : "") + quantization(c.weights(), "--quantization ");
            case TRTLLM -> "trtllm-serve " + model + " --tp_size " + c.tp() + " --pp_size " + c.pp()
                    + " --max_batch_size " + c.maxSeqs() + " --max_seq_len " + maxModelLen
                    + " --kv_cache_free_gpu_memory_fraction " + share;
            // llama.cpp divides -c among the -np slots: each slot gets the longest request.
            case LLAMA_CPP -> "llama-server -m " + model.replaceAll(".*/", "") + "-" + gguf(c.weights())
                    + ".gguf -ngl 999 -c " + (long) maxModelLen * c.maxSeqs() + " -np " + c.maxSeqs()
                    + (c.tp() * c.pp() > 1 ? " --split-mode layer" : "");
        };
    }

    /** The GGUF type of a format; llama.cpp has none for fp8, AWQ, GPTQ or the 4-bit float formats. */
    private static String gguf(String weights) {
        if (weights.startsWith("q") || weights.equals("bf16") || weights.equals("fp16") || weights.equals("fp32")) {
            return weights.toUpperCase(Locale.ROOT);
        }
        throw new IllegalArgumentException("deploy = llama-cpp: llama.cpp runs GGUF files and has no " + weights
                + " type; search its formats with --formats q4_k_m,q8_0,bf16");
    }

    /** vLLM's and SGLang's --quantization for the format, or nothing for 16-bit weights. */
    private static String quantization(String weights, String flag) {
        return switch (weights) {
            case "fp8", "fp8-block" -> " " + flag + "fp8";
            case "awq-int4" -> " " + flag + "awq";
            case "gptq-int4" -> " " + flag + "gptq";
            case "mxfp4" -> " " + flag + "mxfp4";
            case "nvfp4" -> " " + flag + "modelopt_fp4";
            default -> "";
        };
    }
}
