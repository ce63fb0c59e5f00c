package dev.headroom.telemetry;

/**
 * A process holding GPU memory. Name and user come from /proc; they are null when the process is in another PID
 * namespace (a container) or already gone.
 *
 * @param usedBytes null where the driver does not report per-process memory
 */
public record GpuProcess(int pid, String kind, Long usedBytes, String name, String user) {
}
