package dev.headroom.sizing;

import dev.headroom.catalog.Gpu;
import java.util.Locale;

/**
 * The tensor-core rate the matrix multiplications run at, and why. Training computes in the activation dtype.
 * Inference computes in the weight format's precision where the GPU has tensor cores for it (FP8 on Hopper and
 * later, FP4 on Blackwell); otherwise the runtime dequantises the weights and computes at the activation
 * precision (vLLM's Marlin kernels for FP4 and FP8 on older GPUs), which the basis says. MXFP4 is a weight
 * format: the runtime multiplies MXFP4 experts by 8-bit (MXFP8) activations on GPUs with FP4 tensor cores (vLLM's
 * FlashInfer MoE kernels for gpt-oss on Blackwell), so its rate there is the FP8 one, not FP4; NVFP4 is W4A4 and
 * runs at the FP4 rate.
 *
 * @param flops     dense peak in FLOP/s
 * @param precision the rate used: "fp4", "fp8", "bf16", "fp16" or "fp32"
 * @param basis     why that rate, in words
 * @param warning   a warning for the estimate, or null
 */
record ComputeRate(double flops, String precision, String basis, String warning) {

    static ComputeRate of(Gpu gpu, Scenario scenario, WeightFormat weights) {
        WeightFormat.Compute activation = switch (scenario.precision().activations()) {
            case FP32 -> WeightFormat.Compute.FP32;
            case FP16 -> WeightFormat.Compute.FP16;
            default -> WeightFormat.Compute.BF16;
        };
        if (scenario.workload().isTraining()) {
            return at(gpu, activation, "training computes in the activation dtype", null);
        }
        WeightFormat.Compute wanted = weights.compute();
        if (weights == WeightFormat.MXFP4 && gpu.denseTflops().fp4() != null && gpu.denseTflops().fp8() != null) {
            return new ComputeRate(gpu.denseTflops().fp8() * 1e12, "fp8",
                    "mxfp4 weights times MXFP8 activations on " + gpu.name() + "'s FP4/FP8 tensor cores (W4A8)", null);
        }
        Double rate = rate(gpu.denseTflops(), wanted);
        if (rate != null) {
            return new ComputeRate(rate * 1e12, name(wanted), weights.label() + " weights on "
                    + name(wanted) + " tensor cores", null);
        }
        boolean lowPrecision = wanted == WeightFormat.Compute.FP4 || wanted == WeightFormat.Compute.FP8;
        if (lowPrecision) {
            String basis = gpu.name() + " has no " + name(wanted) + " tensor cores: " + weights.label()
                    + " weights are dequantised and multiplied at " + name(activation);
            ComputeRate dequantised = at(gpu, activation, basis, null);
            // The memory is right either way; the speed is the activation precision's, which a user choosing a
            // low-precision format for speed (FP8 on an A100, FP4 on a Hopper) would not expect.
            String instead = wanted == WeightFormat.Compute.FP8
                    ? "for FP8 speed choose a GPU with FP8 tensor cores (Ada, Hopper, Blackwell, MI300)"
                    : "for FP4 speed choose a Blackwell GPU, or --weights fp8 where the GPU has FP8";
            return new ComputeRate(dequantised.flops(), dequantised.precision(), dequantised.basis(),
                    dequantised.warning() != null ? dequantised.warning()
                            : basis + ", so prefill and training run at the " + dequantised.precision() + " rate and"
                            + " only the memory shrinks; " + instead);
        }
        return at(gpu, wanted, null, String.format(Locale.ROOT, "%s has no %s tensor rate in the catalog", gpu.name(),
                name(wanted)));
    }

    /** The rate at {@code precision}, falling back to fp16 then bf16 where the catalog lacks it. */
    private static ComputeRate at(Gpu gpu, WeightFormat.Compute precision, String basis, String missing) {
        Gpu.DenseTflops tflops = gpu.denseTflops();
        Double rate = rate(tflops, precision);
        if (rate != null) {
            return new ComputeRate(rate * 1e12, name(precision), basis != null ? basis : name(precision), null);
        }
        String fallbackName = tflops.fp16() != null ? "fp16" : "bf16";
        double fallback = tflops.fp16() != null ? tflops.fp16() : tflops.bf16();
        String reason = (missing != null ? missing : gpu.name() + " has no " + name(precision) + " tensor rate in the catalog")
                + String.format(Locale.ROOT, "; the %s rate (%.1f TFLOPS) is used", fallbackName, fallback);
        return new ComputeRate(fallback * 1e12, fallbackName, reason, reason);
    }

    private static Double rate(Gpu.DenseTflops tflops, WeightFormat.Compute precision) {
        return switch (precision) {
            case FP32 -> tflops.fp32();
            case FP16 -> tflops.fp16();
            case BF16 -> tflops.bf16();
            case FP8 -> tflops.fp8();
            case FP4 -> tflops.fp4();
        };
    }

    private static String name(WeightFormat.Compute precision) {
        return precision.name().toLowerCase(Locale.ROOT);
    }
}
