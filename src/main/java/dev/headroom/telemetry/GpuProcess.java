package dev.headroom.telemetry;

/**
 * A process holding GPU memory. Name and user come from /proc; they are null when the process is in another PID
 * namespace (a container) or already gone.
 *
 * @param usedBytes      null where the driver does not report per-process memory
 * @param smUtilization  the process's share of the SM over NVML's last sample window (%), null where not read
 * @param container      the container id from /proc/PID/cgroup (Docker, containerd, CRI-O, Podman), else null
 * @param pod            the Kubernetes pod UID from the same cgroup path, else null
 */
public record GpuProcess(int pid, String kind, Long usedBytes, String name, String user, Double smUtilization,
                         String container, String pod) {
    public GpuProcess(int pid, String kind, Long usedBytes, String name, String user) {
        this(pid, kind, usedBytes, name, user, null, null, null);
    }

    /** The same process with its SM utilization. */
    public GpuProcess withSmUtilization(Double percent) {
        return new GpuProcess(pid, kind, usedBytes, name, user, percent, container, pod);
    }
}
