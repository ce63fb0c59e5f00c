package dev.headroom.telemetry.nvml;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * XID errors through one NVML event set. Each tick drains what has arrived with a zero timeout, so no thread of
 * its own waits in the driver and a quiet GPU costs one call per tick.
 */
final class XidEvents {
    /** nvmlEventTypeXidCriticalError. */
    static final long XID_CRITICAL_ERROR = 0x8L;
    /** nvmlEventData_t: device handle @0, eventType @8, eventData (the XID) @16 (v1 24 bytes, v2 32). */
    private static final int EVENT_DATA_SIZE = 32;
    /** More than this many events in one tick is a storm; the rest wait for the next tick. */
    private static final int MAX_PER_TICK = 64;

    /** Receives one XID for the GPU whose handle it arrived on. */
    interface Sink {
        void xid(Pointer device, long code);
    }

    private final NvmlLibrary nvml;
    private final Pointer set;
    private final Memory data = new Memory(EVENT_DATA_SIZE);

    private XidEvents(NvmlLibrary nvml, Pointer set) {
        this.nvml = nvml;
        this.set = set;
    }

    /** An empty event set, or null where the driver has no event API. */
    static XidEvents create(NvmlLibrary nvml) {
        if (nvml.eventSetCreate == null || nvml.registerEvents == null || nvml.eventSetWait == null) {
            return null;
        }
        PointerByReference set = new PointerByReference();
        if (NvmlLibrary.call(nvml.eventSetCreate, set) != NvmlReturn.SUCCESS || set.getValue() == null) {
            return null;
        }
        return new XidEvents(nvml, set.getValue());
    }

    /** Registers one GPU for XIDs; false where it cannot report them (NOT_SUPPORTED on consumer boards, a VM). */
    boolean register(Pointer device) {
        return NvmlLibrary.call(nvml.registerEvents, device, XID_CRITICAL_ERROR, set) == NvmlReturn.SUCCESS;
    }

    /**
     * Hands every XID that has arrived to the sink. Returns TIMEOUT when it has drained them (or SUCCESS after a
     * storm's worth, the rest left for the next tick), or the error that stopped it (DRIVER_NOT_LOADED, ...).
     */
    NvmlReturn drain(Sink sink) {
        for (int seen = 0; seen < MAX_PER_TICK; seen++) {
            data.clear();
            NvmlReturn result = NvmlLibrary.call(nvml.eventSetWait, set, data, 0);
            if (result != NvmlReturn.SUCCESS) {
                return result; // TIMEOUT: nothing more has arrived
            }
            if ((data.getLong(8) & XID_CRITICAL_ERROR) != 0) {
                sink.xid(data.getPointer(0), data.getLong(16));
            }
        }
        return NvmlReturn.SUCCESS;
    }

    void close() {
        NvmlLibrary.call(nvml.eventSetFree, set);
    }
}
