package dev.headroom.telemetry.nvml;

/**
 * NVML return codes (nvml.h; shared/reference/monitoring-and-nvml.md §2.1). The names and descriptions live here,
 * so a message can be written even when the library could not be loaded; LIBRARY_NOT_FOUND and
 * FUNCTION_NOT_FOUND are the codes bindings use for dlopen and dlsym failures.
 */
public enum NvmlReturn {
    SUCCESS(0, "success"),
    UNINITIALIZED(1, "NVML was not initialized"),
    INVALID_ARGUMENT(2, "invalid argument"),
    NOT_SUPPORTED(3, "not supported on this GPU"),
    NO_PERMISSION(4, "no permission"),
    ALREADY_INITIALIZED(5, "already initialized"),
    NOT_FOUND(6, "not found"),
    INSUFFICIENT_SIZE(7, "buffer too small"),
    INSUFFICIENT_POWER(8, "insufficient power (check the external power cable)"),
    DRIVER_NOT_LOADED(9, "the NVIDIA kernel driver is not loaded"),
    TIMEOUT(10, "timeout"),
    IRQ_ISSUE(11, "interrupt problem"),
    LIBRARY_NOT_FOUND(12, "libnvidia-ml.so.1 was not found"),
    FUNCTION_NOT_FOUND(13, "this driver's NVML lacks the function"),
    CORRUPTED_INFOROM(14, "corrupted infoROM"),
    GPU_IS_LOST(15, "the GPU has fallen off the bus"),
    RESET_REQUIRED(16, "the GPU needs a reset"),
    OPERATING_SYSTEM(17, "blocked by the operating system"),
    LIB_RM_VERSION_MISMATCH(18, "driver/library version mismatch (the driver was upgraded without a reload)"),
    IN_USE(19, "in use"),
    MEMORY(20, "out of memory"),
    NO_DATA(21, "no data"),
    VGPU_ECC_NOT_SUPPORTED(22, "ECC not supported on vGPU"),
    INSUFFICIENT_RESOURCES(23, "insufficient resources"),
    FREQ_NOT_SUPPORTED(24, "frequency not supported"),
    ARGUMENT_VERSION_MISMATCH(25, "structure version mismatch"),
    DEPRECATED(26, "deprecated"),
    NOT_READY(27, "not ready"),
    GPU_NOT_FOUND(28, "GPU not found"),
    INVALID_STATE(29, "invalid state"),
    RESET_TYPE_NOT_SUPPORTED(30, "reset type not supported"),
    UNKNOWN(999, "unknown error");

    private final int code;
    private final String description;

    NvmlReturn(int code, String description) {
        this.code = code;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }

    public static NvmlReturn of(int code) {
        for (NvmlReturn value : values()) {
            if (value.code == code) {
                return value;
            }
        }
        return UNKNOWN;
    }

    @Override
    public String toString() {
        return "NVML_ERROR_" + name() + " (" + code + "): " + description;
    }
}
