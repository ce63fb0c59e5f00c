package dev.headroom.telemetry.nvml;

import com.sun.jna.Structure;

/**
 * NVML's C structures (LP64 layouts, shared/reference/monitoring-and-nvml.md §2.3). JNA aligns the 64-bit fields,
 * which reproduces the padding the C compiler inserts (nvmlMemory_v2_t: 4 bytes after {@code version}).
 */
final class NvmlStructures {
    private NvmlStructures() {
    }

    /** nvmlPciInfo_t, 68 bytes. */
    @Structure.FieldOrder({"busIdLegacy", "domain", "bus", "device", "pciDeviceId", "pciSubSystemId", "busId"})
    public static class PciInfo extends Structure {
        public byte[] busIdLegacy = new byte[16];
        public int domain;
        public int bus;
        public int device;
        public int pciDeviceId;
        public int pciSubSystemId;
        public byte[] busId = new byte[32];
    }

    /** nvmlMemory_t (v1), 24 bytes: "used" includes what the driver reserves. */
    @Structure.FieldOrder({"total", "free", "used"})
    public static class Memory extends Structure {
        public long total;
        public long free;
        public long used;
    }

    /** nvmlMemory_v2_t, 40 bytes: "used" excludes {@code reserved}. */
    @Structure.FieldOrder({"version", "total", "reserved", "free", "used"})
    public static class MemoryV2 extends Structure {
        /** NVML_STRUCT_VERSION(Memory, 2) = sizeof | 2 << 24. */
        static final int VERSION = 0x02000028;
        public int version = VERSION;
        public long total;
        public long reserved;
        public long free;
        public long used;
    }

    /** nvmlProcessInfo_v1_t, 16 bytes (the unversioned process functions). */
    @Structure.FieldOrder({"pid", "usedGpuMemory"})
    public static class ProcessInfoV1 extends Structure {
        public int pid;
        public long usedGpuMemory;
    }

    /** nvmlProcessInfo_v2_t, 24 bytes: what the _v2 and (today's) _v3 process functions fill. */
    @Structure.FieldOrder({"pid", "usedGpuMemory", "gpuInstanceId", "computeInstanceId"})
    public static class ProcessInfoV2 extends Structure {
        public int pid;
        public long usedGpuMemory;
        public int gpuInstanceId;
        public int computeInstanceId;
    }

    /**
     * The 32-byte layout drivers R535.43 to R535.86 filled through the _v3 process functions, without a symbol
     * change (the ABI trap of §2.7).
     */
    @Structure.FieldOrder({"pid", "usedGpuMemory", "gpuInstanceId", "computeInstanceId", "usedGpuCcProtectedMemory"})
    public static class ProcessInfoR535 extends Structure {
        public int pid;
        public long usedGpuMemory;
        public int gpuInstanceId;
        public int computeInstanceId;
        public long usedGpuCcProtectedMemory;
    }

    /**
     * nvml.h's nvmlFieldValue_t: unsigned fieldId, unsigned scopeId, long long timestamp, long long latencyUsec,
     * nvmlValueType_t valueType (offset 24), nvmlReturn_t nvmlReturn (28), nvmlValue_t value (32, an 8-byte union).
     */
    static final int FIELD_VALUE_SIZE = 40;
    static final int FIELD_TYPE_OFFSET = 24;
    static final int FIELD_RETURN_OFFSET = 28;
    static final int FIELD_VALUE_OFFSET = 32;

    /** Clears the struct and asks for one field, scope 0. */
    static void fieldRequest(com.sun.jna.Memory buffer, int fieldId) {
        buffer.clear();
        buffer.setInt(0, fieldId);
    }

    /** The union read by its nvmlValueType_t (0 double, 1 uint, 2 ulong, 3 ulonglong, 4 long long, 5 int). */
    static double fieldNumber(com.sun.jna.Memory buffer) {
        return fieldNumber(buffer, 0);
    }

    /** The same, for the nvmlFieldValue_t at {@code offset} in an array of them. */
    static double fieldNumber(com.sun.jna.Memory buffer, long offset) {
        long value = offset + FIELD_VALUE_OFFSET;
        return switch (buffer.getInt(offset + FIELD_TYPE_OFFSET)) {
            case 0 -> buffer.getDouble(value);
            case 1 -> Integer.toUnsignedLong(buffer.getInt(value));
            case 2, 3 -> (double) buffer.getLong(value); // unsigned; far below 2^63 for any field read
            case 4 -> buffer.getLong(value);
            case 5 -> buffer.getInt(value);
            default -> Double.NaN;
        };
    }

    static String text(byte[] bytes) {
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8);
    }
}
