package dev.headroom.telemetry.nvml;

import dev.headroom.telemetry.SourceUnavailableException;

/**
 * NVML initialisation, reference counted like NVML itself: the first {@link #acquire()} loads the library and
 * calls nvmlInit, the last {@link #release()} calls nvmlShutdown. Handles belong to one init scope, so a source
 * re-reads its handles after each acquire (a stale handle can crash the driver library).
 */
public final class Nvml {
    private static NvmlLibrary library;
    private static int references;

    private Nvml() {
    }

    static synchronized NvmlLibrary acquire() {
        if (references == 0) {
            NvmlLibrary loaded = library != null ? library : NvmlLibrary.load();
            library = loaded;
            NvmlReturn result = NvmlLibrary.call(loaded.init);
            if (result != NvmlReturn.SUCCESS) {
                throw unavailable(result);
            }
        }
        references++;
        return library;
    }

    static synchronized void release() {
        if (references == 0) {
            return;
        }
        references--;
        if (references == 0) {
            NvmlLibrary.call(library.shutdown);
        }
    }

    /** Forgets the loaded library so the next acquire loads again (tests switch between fake libraries). */
    static synchronized void unloadForTests() {
        while (references > 0) {
            release();
        }
        library = null;
    }

    static SourceUnavailableException unavailable(NvmlReturn result) {
        return switch (result) {
            case DRIVER_NOT_LOADED -> new SourceUnavailableException(SourceUnavailableException.Reason.DRIVER_NOT_LOADED,
                    "NVML is installed but the NVIDIA kernel driver is not loaded (nvmlInit: " + result
                            + "). Load it ('sudo modprobe nvidia') or reboot after installing the driver.");
            case LIB_RM_VERSION_MISMATCH -> new SourceUnavailableException(
                    SourceUnavailableException.Reason.VERSION_MISMATCH, "The NVIDIA driver and its NVML library"
                    + " differ in version (" + result + "): the driver was upgraded without a reload. Reboot, or"
                    + " unload and reload the nvidia kernel modules.");
            case NO_PERMISSION -> new SourceUnavailableException(SourceUnavailableException.Reason.NO_PERMISSION,
                    "NVML refused access (" + result + "); check the permissions on /dev/nvidia*.");
            case FUNCTION_NOT_FOUND -> new SourceUnavailableException(SourceUnavailableException.Reason.FAILED,
                    "This libnvidia-ml has no nvmlInit: it is not an NVML library.");
            default -> new SourceUnavailableException(SourceUnavailableException.Reason.FAILED,
                    "NVML could not start: " + result);
        };
    }
}
