package dev.headroom.telemetry;

/** Why a metric has, or has no, value in a reading: shown to the user, never turned into a made-up number. */
public enum MetricStatus {
    OK("ok"),
    NOT_SUPPORTED("not supported on this GPU"),
    FUNCTION_MISSING("this driver lacks the function"),
    NO_PERMISSION("no permission"),
    GPU_LOST("GPU lost"),
    /** The NVIDIA driver went away while the source was open; it is re-initialised at a backoff. */
    DRIVER_GONE("driver not loaded"),
    ERROR("read failed");

    private final String description;

    MetricStatus(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
