package dev.headroom.telemetry;

/**
 * One GPU instance of a MIG-enabled GPU, labelled the way dcgm-exporter labels it ({@code GPU_I_ID},
 * {@code GPU_I_PROFILE}).
 *
 * @param profile the instance's profile, e.g. "3g.40gb" (the MIG device's name after "MIG ")
 */
public record MigInstance(int gpuInstanceId, String profile, long memoryTotalBytes, long memoryUsedBytes) {
}
