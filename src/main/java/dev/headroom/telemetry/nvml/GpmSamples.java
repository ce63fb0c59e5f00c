package dev.headroom.telemetry.nvml;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.headroom.telemetry.Metric;

/**
 * One GPU's profiling ratios through NVML GPM (Hopper and later): each tick takes a sample, and the metrics are
 * computed over the span since the previous one, the way dcgm-exporter's DCGM_FI_PROF_* fields are. NVML reports
 * percentages; dcgm-exporter's fields are 0-1 ratios, so the values are divided by 100 here.
 */
final class GpmSamples {
    /** NVML_GPM_METRIC_GRAPHICS_UTIL, SM_UTIL, SM_OCCUPANCY, ANY_TENSOR_UTIL, DRAM_BW_UTIL (nvml.h). */
    static final int[] METRIC_IDS = {1, 2, 3, 5, 10};
    static final Metric[] METRICS = {Metric.GR_ENGINE_ACTIVE, Metric.SM_ACTIVE, Metric.SM_OCCUPANCY,
        Metric.TENSOR_ACTIVE, Metric.DRAM_ACTIVE};
    /**
     * nvmlGpmMetricsGet_t: version, numMetrics, two sample handles (24 bytes), then NVML_GPM_METRIC_MAX metrics of
     * 40 bytes. The maximum grew from 98 (CUDA 12.0's header) to 333 (CUDA 13's); the buffer has room for the
     * larger, so a driver that checks the whole struct finds it.
     */
    static final int METRIC_MAX = 333;
    static final int HEAD = 24;
    static final int METRIC_SIZE = 40;
    static final int VERSION = 1;

    private final NvmlLibrary nvml;
    private final Pointer[] samples = new Pointer[2];
    private int newest = -1; // which of the two holds the last sample taken; -1: none yet

    private GpmSamples(NvmlLibrary nvml, Pointer first, Pointer second) {
        this.nvml = nvml;
        samples[0] = first;
        samples[1] = second;
    }

    /** The two sample buffers for a GPU that supports GPM; null where it does not or the driver lacks GPM. */
    static GpmSamples open(NvmlLibrary nvml, Pointer device) {
        if (nvml.gpmQueryDeviceSupport == null || nvml.gpmSampleAlloc == null || nvml.gpmMetricsGet == null) {
            return null;
        }
        Memory support = new Memory(8);
        support.setInt(0, 1); // NVML_GPM_SUPPORT_VERSION
        support.setInt(4, 0);
        if (NvmlLibrary.call(nvml.gpmQueryDeviceSupport, device, support) != NvmlReturn.SUCCESS
                || support.getInt(4) == 0) {
            return null;
        }
        PointerByReference first = new PointerByReference();
        PointerByReference second = new PointerByReference();
        if (NvmlLibrary.call(nvml.gpmSampleAlloc, first) != NvmlReturn.SUCCESS) {
            return null;
        }
        if (NvmlLibrary.call(nvml.gpmSampleAlloc, second) != NvmlReturn.SUCCESS) {
            NvmlLibrary.call(nvml.gpmSampleFree, first.getValue());
            return null;
        }
        return new GpmSamples(nvml, first.getValue(), second.getValue());
    }

    /**
     * Takes this tick's sample and, given the previous one, fills {@code ratios} (one per {@link #METRICS}, NaN
     * for a metric NVML did not compute). Returns the result of the sample call (GPU_IS_LOST included), or
     * SUCCESS with all NaN on the first tick.
     */
    NvmlReturn read(Pointer device, Memory request, double[] ratios) {
        java.util.Arrays.fill(ratios, Double.NaN);
        int next = newest == 0 ? 1 : 0;
        NvmlReturn taken = NvmlLibrary.call(nvml.gpmSampleGet, device, samples[next]);
        if (taken != NvmlReturn.SUCCESS) {
            return taken;
        }
        int previous = newest;
        newest = next;
        if (previous < 0) {
            return NvmlReturn.SUCCESS;
        }
        request.clear(HEAD + (long) METRIC_IDS.length * METRIC_SIZE);
        request.setInt(0, VERSION);
        request.setInt(4, METRIC_IDS.length);
        request.setPointer(8, samples[previous]);
        request.setPointer(16, samples[next]);
        for (int i = 0; i < METRIC_IDS.length; i++) {
            request.setInt(HEAD + (long) i * METRIC_SIZE, METRIC_IDS[i]);
        }
        NvmlReturn computed = NvmlLibrary.call(nvml.gpmMetricsGet, request);
        if (computed != NvmlReturn.SUCCESS) {
            return computed;
        }
        for (int i = 0; i < METRIC_IDS.length; i++) {
            long at = HEAD + (long) i * METRIC_SIZE;
            if (request.getInt(at + 4) == 0) {
                double percent = request.getDouble(at + 8);
                ratios[i] = Math.max(0, Math.min(1, percent / 100));
            }
        }
        return NvmlReturn.SUCCESS;
    }

    /** A buffer for {@link #read}, shared by every GPU of a source (one sampler thread reads one GPU at a time). */
    static Memory request() {
        return new Memory(HEAD + (long) METRIC_MAX * METRIC_SIZE);
    }

    void close() {
        for (Pointer sample : samples) {
            NvmlLibrary.call(nvml.gpmSampleFree, sample);
        }
    }
}
