package dev.headroom.telemetry;

/**
 * What a GPU reading measures, each in one unit fixed at the source's edge (NVML's mW, mJ and KB/s are converted
 * once, when read). The key is the recording's and the JSON's field name.
 */
public enum Metric {
    UTILIZATION_GPU("util", "GPU utilization", "%"),
    UTILIZATION_MEMORY("memUtil", "Memory-controller utilization", "%"),
    MEMORY_USED("memUsed", "Memory used", "bytes"),
    MEMORY_TOTAL("memTotal", "Memory total", "bytes"),
    MEMORY_RESERVED("memReserved", "Memory reserved by the driver", "bytes"),
    TEMPERATURE("temp", "Temperature", "°C"),
    POWER("power", "Power draw", "W"),
    POWER_LIMIT("powerLimit", "Enforced power limit", "W"),
    ENERGY("energy", "Energy since driver load", "J"),
    CLOCK_SM("smClock", "SM clock", "MHz"),
    CLOCK_MEMORY("memClock", "Memory clock", "MHz"),
    CLOCK_GRAPHICS("gfxClock", "Graphics clock", "MHz"),
    FAN("fan", "Fan speed (intended)", "%"),
    PSTATE("pstate", "Performance state", "P"),
    ECC_CORRECTED("eccCorrected", "Volatile corrected ECC errors", "count"),
    ECC_UNCORRECTED("eccUncorrected", "Volatile uncorrected ECC errors", "count"),
    PCIE_TX("pcieTx", "PCIe transmit", "bytes/s"),
    PCIE_RX("pcieRx", "PCIe receive", "bytes/s"),
    ENCODER("encoder", "Encoder utilization", "%"),
    DECODER("decoder", "Decoder utilization", "%"),
    /** HBM temperature: NVML field value NVML_FI_DEV_MEMORY_TEMP; GDDR boards do not report it. */
    MEMORY_TEMPERATURE("memTemp", "Memory temperature", "°C"),
    /** PCIe link retries since the driver loaded (nvmlDeviceGetPcieReplayCounter). */
    PCIE_REPLAYS("pcieReplays", "PCIe replays", "count"),
    /** Row remapping (nvmlDeviceGetRemappedRows, Ampere and later data-center GPUs). */
    REMAPPED_ROWS_CORRECTABLE("remappedCorrectable", "Rows remapped for correctable errors", "count"),
    REMAPPED_ROWS_UNCORRECTABLE("remappedUncorrectable", "Rows remapped for uncorrectable errors", "count"),
    /** 1 when a row could not be remapped: the GPU needs service (NVIDIA's row-remapping guide). */
    ROW_REMAP_FAILURE("remapFailure", "Row remapping failed", "flag"),
    /** The code of the last XID event (an NVML event set); 0 until one arrives. dcgm-exporter's XID_ERRORS. */
    XID("xid", "Last XID error", "code"),
    /** XID events seen since the source opened, so a repeat of the same code still counts. */
    XID_EVENTS("xidEvents", "XID events", "count"),
    /** Data sent plus received over every NVLink since the driver loaded (NVML field values, KiB converted). */
    NVLINK_BYTES("nvlinkBytes", "NVLink data sent and received", "bytes total"),
    /** Profiling ratios through NVML GPM (Hopper and later), as dcgm-exporter's DCGM_FI_PROF_* report them. */
    GR_ENGINE_ACTIVE("grActive", "Graphics engine active", "ratio"),
    SM_ACTIVE("smActive", "SM active", "ratio"),
    SM_OCCUPANCY("smOccupancy", "SM occupancy", "ratio"),
    TENSOR_ACTIVE("tensorActive", "Tensor pipe active", "ratio"),
    DRAM_ACTIVE("dramActive", "Memory interface active", "ratio"),
    /** Degrees left before the slowdown threshold (nvmlDeviceGetMarginTemperature); negative past it. */
    TEMPERATURE_MARGIN("tempMargin", "Temperature margin to slowdown", "°C");

    private static final Metric[] VALUES = values();

    private final String key;
    private final String label;
    private final String unit;

    Metric(String key, String label, String unit) {
        this.key = key;
        this.label = label;
        this.unit = unit;
    }

    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    /** The shared array of all metrics (values() copies on every call). */
    public static Metric[] all() {
        return VALUES;
    }

    public static Metric byKey(String key) {
        for (Metric metric : VALUES) {
            if (metric.key.equals(key)) {
                return metric;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + key + "'");
    }
}
