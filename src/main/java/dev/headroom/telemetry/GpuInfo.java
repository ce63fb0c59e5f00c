package dev.headroom.telemetry;

/**
 * What does not change while a GPU is watched, read once. Thresholds are null where the GPU does not report them.
 *
 * @param temperatureSlowdownC  hardware slowdown threshold (NVML SLOWDOWN)
 * @param temperatureShutdownC  shutdown threshold
 * @param temperatureMaxC       maximum operating temperature (NVML GPU_MAX)
 */
public record GpuInfo(int index, String name, String uuid, String pciBusId, Long memoryTotalBytes,
                      Double powerLimitMinWatts, Double powerLimitMaxWatts, Integer temperatureSlowdownC,
                      Integer temperatureShutdownC, Integer temperatureMaxC, Integer maxSmClockMhz,
                      Integer maxMemoryClockMhz, Integer fans, Integer pcieGeneration, Integer pcieWidth,
                      Boolean eccEnabled, Boolean migEnabled) {
}
