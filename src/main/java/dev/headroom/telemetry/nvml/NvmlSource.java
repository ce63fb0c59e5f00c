package dev.headroom.telemetry.nvml;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.GpuProcess;
import dev.headroom.telemetry.GpuReading;
import dev.headroom.telemetry.GpuSource;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.MetricStatus;
import dev.headroom.telemetry.ProcessTable;
import dev.headroom.telemetry.Snapshot;
import dev.headroom.telemetry.SourceUnavailableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

/**
 * The local GPUs through NVML. Units are converted here, once: mW to W, mJ to J, KB/s to bytes/s. A metric the
 * GPU does not support is remembered and not asked again; a GPU that is lost is never called with its handle
 * again, and the others keep going.
 */
public final class NvmlSource implements GpuSource {
    private static final int NAME_BUFFER = 96;
    private static final int UUID_BUFFER = 96;
    private static final int VERSION_BUFFER = 80;
    private static final int CLOCK_GRAPHICS = 0;
    private static final int CLOCK_SM = 1;
    private static final int CLOCK_MEM = 2;
    private static final EnumSet<Metric> NONE = EnumSet.noneOf(Metric.class);
    private static final EnumSet<Metric> ENERGY = EnumSet.of(Metric.ENERGY);
    private static final EnumSet<Metric> UTILIZATION = EnumSet.of(Metric.UTILIZATION_GPU, Metric.UTILIZATION_MEMORY);
    private static final EnumSet<Metric> MEMORY = EnumSet.of(Metric.MEMORY_USED, Metric.MEMORY_TOTAL, Metric.MEMORY_RESERVED);
    private static final EnumSet<Metric> MEMORY_V1 = EnumSet.of(Metric.MEMORY_USED, Metric.MEMORY_TOTAL);
    private static final EnumSet<Metric> REMAPPED = EnumSet.of(Metric.REMAPPED_ROWS_CORRECTABLE,
            Metric.REMAPPED_ROWS_UNCORRECTABLE, Metric.ROW_REMAP_FAILURE);
    /** nvml.h's NVML_FI_DEV_MEMORY_TEMP, read through nvmlDeviceGetFieldValues. */
    static final int FIELD_MEMORY_TEMP = 82;
    /** One read-only set per metric, shared: they are only read by contains and forEach. */
    private static final EnumSet<Metric>[] SINGLE = singles();

    @SuppressWarnings("unchecked")
    private static EnumSet<Metric>[] singles() {
        EnumSet<Metric>[] sets = new EnumSet[Metric.all().length];
        for (Metric metric : Metric.all()) {
            sets[metric.ordinal()] = EnumSet.of(metric);
        }
        return sets;
    }

    private final ProcessTable processTable;
    private NvmlLibrary nvml;
    // Reused on the one sampler thread: every JNA by-reference object is native memory that JNA tracks in a
    // shared map, so allocating them per call costs more than the NVML call itself.
    private final IntByReference intValue = new IntByReference();
    private final IntByReference secondInt = new IntByReference();
    private final LongByReference longValue = new LongByReference();
    private final IntByReference thirdInt = new IntByReference();
    private final IntByReference fourthInt = new IntByReference();
    /** One nvmlFieldValue_t (40 bytes), reused each tick: the sampler reads one GPU at a time. */
    private final com.sun.jna.Memory fieldValue = new com.sun.jna.Memory(NvmlStructures.FIELD_VALUE_SIZE);
    private final NvmlStructures.Utilization utilization = new NvmlStructures.Utilization();
    private final NvmlStructures.MemoryV2 memoryV2 = new NvmlStructures.MemoryV2();
    private final NvmlStructures.Memory memoryV1 = new NvmlStructures.Memory();
    private Memory processBuffer;
    private final List<Device> devices = new ArrayList<>();
    private String versions = "";
    private String driver;

    public NvmlSource() {
        this(new ProcessTable());
    }

    NvmlSource(ProcessTable processTable) {
        this.processTable = processTable;
    }

    /** One GPU: its handle (valid for this init scope only) and what we learnt not to ask. */
    private static final class Device {
        final int index;
        Pointer handle;
        boolean lost;
        boolean eccEnabled;
        boolean fanless;
        final EnumSet<Metric> unsupported = EnumSet.noneOf(Metric.class);
        final EnumSet<Metric> missing = EnumSet.noneOf(Metric.class);

        Device(int index) {
            this.index = index;
        }
    }

    @Override
    public String name() {
        return "nvml";
    }

    @Override
    public boolean simulated() {
        return false;
    }

    @Override
    public String versions() {
        return versions;
    }

    @Override
    public String driverVersion() {
        return driver;
    }

    @Override
    public List<GpuInfo> open() {
        nvml = Nvml.acquire();
        try {
            String read = text(nvml.driverVersion, VERSION_BUFFER);
            driver = read.equals("?") ? null : read;
            versions = "driver " + read + ", NVML " + text(nvml.nvmlVersion, VERSION_BUFFER)
                    + ", CUDA " + cudaVersion();
            IntByReference count = new IntByReference();
            NvmlReturn result = NvmlLibrary.call(nvml.deviceCount, count);
            if (result != NvmlReturn.SUCCESS) {
                throw new SourceUnavailableException(SourceUnavailableException.Reason.FAILED,
                        "NVML could not count the GPUs: " + result);
            }
            if (count.getValue() == 0) {
                throw new SourceUnavailableException(SourceUnavailableException.Reason.NO_GPUS,
                        "NVML found no NVIDIA GPU on this machine.");
            }
            List<GpuInfo> infos = new ArrayList<>();
            for (int i = 0; i < count.getValue(); i++) {
                Device device = new Device(i);
                PointerByReference handle = new PointerByReference();
                NvmlReturn got = NvmlLibrary.call(nvml.handleByIndex, i, handle);
                if (got == NvmlReturn.SUCCESS && handle.getValue() != null) {
                    device.handle = handle.getValue();
                } else {
                    device.lost = true; // a dead GPU answers GPU_IS_LOST or UNKNOWN here
                }
                devices.add(device);
                infos.add(device.lost ? new GpuInfo(i, "GPU " + i + " (" + got.description() + ")", null, null, null,
                        null, null, null, null, null, null, null, null, null, null, null, null) : info(device));
            }
            return infos;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private GpuInfo info(Device d) {
        String name = deviceText(d, nvml.name, NAME_BUFFER);
        String uuid = deviceText(d, nvml.uuid, UUID_BUFFER);
        NvmlStructures.PciInfo pci = new NvmlStructures.PciInfo();
        String busId = NvmlLibrary.call(nvml.pciInfo, d.handle, pci) == NvmlReturn.SUCCESS
                ? NvmlStructures.text(pci.busId) : null;
        Long total = null;
        NvmlStructures.MemoryV2 v2 = new NvmlStructures.MemoryV2();
        if (NvmlLibrary.call(nvml.memoryV2, d.handle, v2) == NvmlReturn.SUCCESS) {
            total = v2.total;
        } else {
            NvmlStructures.Memory v1 = new NvmlStructures.Memory();
            if (NvmlLibrary.call(nvml.memoryV1, d.handle, v1) == NvmlReturn.SUCCESS) {
                total = v1.total;
            }
        }
        IntByReference min = new IntByReference();
        IntByReference max = new IntByReference();
        boolean limits = NvmlLibrary.call(nvml.powerLimitConstraints, d.handle, min, max) == NvmlReturn.SUCCESS;
        IntByReference current = new IntByReference();
        IntByReference pending = new IntByReference();
        d.eccEnabled = NvmlLibrary.call(nvml.eccMode, d.handle, current, pending) == NvmlReturn.SUCCESS
                && current.getValue() == 1;
        IntByReference mig = new IntByReference();
        IntByReference migPending = new IntByReference();
        Boolean migEnabled = NvmlLibrary.call(nvml.migMode, d.handle, mig, migPending) == NvmlReturn.SUCCESS
                ? mig.getValue() == 1 : null;
        return new GpuInfo(d.index, name, uuid, busId, total,
                limits ? min.getValue() / 1000.0 : null, limits ? max.getValue() / 1000.0 : null,
                unsigned(nvml.temperatureThreshold, d, 1), unsigned(nvml.temperatureThreshold, d, 0),
                unsigned(nvml.temperatureThreshold, d, 3), unsigned(nvml.maxClockInfo, d, CLOCK_SM),
                unsigned(nvml.maxClockInfo, d, CLOCK_MEM), fans(d), unsigned(nvml.pcieGeneration, d, null),
                unsigned(nvml.pcieWidth, d, null), d.eccEnabled, migEnabled);
    }

    private Integer fans(Device d) {
        IntByReference fans = new IntByReference();
        NvmlReturn result = NvmlLibrary.call(nvml.numFans, d.handle, fans);
        // Passively cooled data-center parts report 0 fans (a real H200 does) or no fan at all.
        d.fanless = result == NvmlReturn.NOT_SUPPORTED || (result == NvmlReturn.SUCCESS && fans.getValue() == 0);
        return result == NvmlReturn.SUCCESS ? fans.getValue() : null;
    }

    /** An unsigned int getter with an optional selector argument; null when it fails. */
    private Integer unsigned(Function function, Device d, Integer selector) {
        IntByReference value = new IntByReference();
        NvmlReturn result = selector == null ? NvmlLibrary.call(function, d.handle, value)
                : NvmlLibrary.call(function, d.handle, selector, value);
        return result == NvmlReturn.SUCCESS ? value.getValue() : null;
    }

    @Override
    public Snapshot sample(boolean withProcesses) {
        List<GpuReading> readings = new ArrayList<>(devices.size());
        for (Device device : devices) {
            readings.add(device.lost ? GpuReading.unavailable(device.index, MetricStatus.GPU_LOST)
                    : read(device, withProcesses));
        }
        return new Snapshot(System.currentTimeMillis(), name(), false, readings);
    }

    /** Collects one GPU's metrics; the first GPU_IS_LOST marks it lost for good. */
    private GpuReading read(Device d, boolean withProcesses) {
        Reading r = new Reading(d);
        NvmlReturn util = r.call(UTILIZATION, nvml.utilization, d.handle, utilization);
        if (util == NvmlReturn.SUCCESS) {
            r.set(Metric.UTILIZATION_GPU, utilization.gpu);
            r.set(Metric.UTILIZATION_MEMORY, utilization.memory);
        }
        readMemory(r);
        r.unsigned(Metric.TEMPERATURE, nvml.temperature, 0, 1);
        r.unsigned(Metric.POWER, nvml.powerUsage, null, 1e-3);
        r.unsigned(Metric.POWER_LIMIT, nvml.enforcedPowerLimit, null, 1e-3);
        if (r.call(ENERGY, nvml.totalEnergy, d.handle, longValue) == NvmlReturn.SUCCESS) {
            r.set(Metric.ENERGY, longValue.getValue() / 1000.0);
        }
        r.unsigned(Metric.CLOCK_SM, nvml.clockInfo, CLOCK_SM, 1);
        r.unsigned(Metric.CLOCK_MEMORY, nvml.clockInfo, CLOCK_MEM, 1);
        r.unsigned(Metric.CLOCK_GRAPHICS, nvml.clockInfo, CLOCK_GRAPHICS, 1);
        if (d.fanless) {
            r.status[Metric.FAN.ordinal()] = MetricStatus.NOT_SUPPORTED;
        } else if (nvml.fanSpeedV2 != null) {
            r.unsigned(Metric.FAN, nvml.fanSpeedV2, 0, 1);
        } else {
            r.unsigned(Metric.FAN, nvml.fanSpeedV1, null, 1);
        }
        r.unsigned(Metric.PSTATE, nvml.performanceState, null, 1);
        long throttle = 0;
        if (r.call(NONE, nvml.clockEventReasons, d.handle, longValue) == NvmlReturn.SUCCESS) {
            throttle = longValue.getValue();
        }
        if (d.eccEnabled) {
            r.eccCount(Metric.ECC_CORRECTED, 0);
            r.eccCount(Metric.ECC_UNCORRECTED, 1);
        } else {
            r.status[Metric.ECC_CORRECTED.ordinal()] = MetricStatus.NOT_SUPPORTED;
            r.status[Metric.ECC_UNCORRECTED.ordinal()] = MetricStatus.NOT_SUPPORTED;
        }
        r.unsigned(Metric.PCIE_TX, nvml.pcieThroughput, 0, 1024);
        r.unsigned(Metric.PCIE_RX, nvml.pcieThroughput, 1, 1024);
        r.utilizationWithPeriod(Metric.ENCODER, nvml.encoderUtilization);
        r.utilizationWithPeriod(Metric.DECODER, nvml.decoderUtilization);
        r.unsigned(Metric.PCIE_REPLAYS, nvml.pcieReplayCounter, null, 1);
        if (r.call(REMAPPED, nvml.remappedRows, d.handle, intValue, secondInt, thirdInt, fourthInt)
                == NvmlReturn.SUCCESS) {
            r.set(Metric.REMAPPED_ROWS_CORRECTABLE, Integer.toUnsignedLong(intValue.getValue()));
            r.set(Metric.REMAPPED_ROWS_UNCORRECTABLE, Integer.toUnsignedLong(secondInt.getValue()));
            r.set(Metric.ROW_REMAP_FAILURE, fourthInt.getValue() != 0 ? 1 : 0);
        }
        readMemoryTemperature(r);
        if (d.lost) {
            return GpuReading.unavailable(d.index, MetricStatus.GPU_LOST);
        }
        List<GpuProcess> processes = null;
        if (withProcesses) {
            processes = new ArrayList<>();
            processes(d, nvml.computeProcesses, "compute", processes);
            processes(d, nvml.graphicsProcesses, "graphics", processes);
            if (d.lost) {
                return GpuReading.unavailable(d.index, MetricStatus.GPU_LOST);
            }
        }
        return new GpuReading(d.index, MetricStatus.OK, r.values, r.status, throttle, processes);
    }

    /**
     * HBM temperature through the field-value API: the call can succeed while the field itself answers
     * NOT_SUPPORTED (GDDR boards), which then counts as the function's answer for this GPU.
     */
    private void readMemoryTemperature(Reading r) {
        EnumSet<Metric> metrics = SINGLE[Metric.MEMORY_TEMPERATURE.ordinal()];
        NvmlStructures.fieldRequest(fieldValue, FIELD_MEMORY_TEMP);
        if (r.call(metrics, nvml.fieldValues, r.device.handle, 1, fieldValue) != NvmlReturn.SUCCESS) {
            return;
        }
        NvmlReturn field = NvmlReturn.of(fieldValue.getInt(NvmlStructures.FIELD_RETURN_OFFSET));
        if (field == NvmlReturn.SUCCESS) {
            double value = NvmlStructures.fieldNumber(fieldValue);
            if (!Double.isNaN(value)) {
                r.set(Metric.MEMORY_TEMPERATURE, value);
            }
        } else if (field == NvmlReturn.NOT_SUPPORTED) {
            r.device.unsupported.addAll(metrics);
            r.status[Metric.MEMORY_TEMPERATURE.ordinal()] = MetricStatus.NOT_SUPPORTED;
        }
    }

    private void readMemory(Reading r) {
        Device d = r.device;
        EnumSet<Metric> memory = MEMORY;
        if (nvml.memoryV2 != null) {
            NvmlStructures.MemoryV2 v2 = memoryV2;
            v2.version = NvmlStructures.MemoryV2.VERSION;
            NvmlReturn result = r.call(memory, nvml.memoryV2, d.handle, v2);
            if (result == NvmlReturn.SUCCESS) {
                // v2: "used" is what processes allocated; the driver's reservation is reported apart.
                r.set(Metric.MEMORY_USED, v2.used);
                r.set(Metric.MEMORY_TOTAL, v2.total);
                r.set(Metric.MEMORY_RESERVED, v2.reserved);
                return;
            }
            if (result != NvmlReturn.ARGUMENT_VERSION_MISMATCH && result != NvmlReturn.NOT_SUPPORTED) {
                return;
            }
            d.unsupported.removeAll(MEMORY); // try the v1 call instead
        }
        NvmlStructures.Memory v1 = memoryV1;
        if (r.call(MEMORY_V1, nvml.memoryV1, d.handle, v1) == NvmlReturn.SUCCESS) {
            r.set(Metric.MEMORY_USED, v1.used); // v1: includes the driver's reservation
            r.set(Metric.MEMORY_TOTAL, v1.total);
            r.status[Metric.MEMORY_RESERVED.ordinal()] = MetricStatus.FUNCTION_MISSING;
        }
    }

    /** The two-call protocol: ask for the count, then fill a buffer with room to spare (pynvml's count*2+5). */
    private void processes(Device d, Function function, String kind, List<GpuProcess> into) {
        if (function == null || d.lost) {
            return;
        }
        int size = switch (nvml.processLayout) {
            case V1_16 -> 16;
            case V2_24 -> 24;
            case R535_32 -> 32;
        };
        IntByReference count = intValue;
        count.setValue(0);
        NvmlReturn result = NvmlLibrary.call(function, d.handle, count, Pointer.NULL);
        if (result == NvmlReturn.GPU_IS_LOST) {
            d.lost = true;
            return;
        }
        if (result == NvmlReturn.SUCCESS || result != NvmlReturn.INSUFFICIENT_SIZE || count.getValue() == 0) {
            return;
        }
        int capacity = count.getValue() * 2 + 5;
        if (processBuffer == null || processBuffer.size() < (long) capacity * size) {
            processBuffer = new Memory((long) capacity * size);
        }
        Memory buffer = processBuffer;
        count.setValue(capacity);
        result = NvmlLibrary.call(function, d.handle, count, buffer);
        if (result == NvmlReturn.GPU_IS_LOST) {
            d.lost = true;
            return;
        }
        if (result != NvmlReturn.SUCCESS) {
            return;
        }
        for (int i = 0; i < count.getValue(); i++) {
            long offset = (long) i * size;
            int pid = buffer.getInt(offset);
            long used = buffer.getLong(offset + 8);
            Long usedBytes = used == -1L ? null : used; // NVML_VALUE_NOT_AVAILABLE
            ProcessTable.Entry entry = processTable.lookup(pid);
            into.add(new GpuProcess(pid, kind, usedBytes, entry == null ? null : entry.name(),
                    entry == null ? null : entry.user()));
        }
    }

    /** One GPU's values being collected, with the bookkeeping of statuses. */
    private final class Reading {
        final Device device;
        final double[] values = new double[Metric.all().length];
        final MetricStatus[] status = new MetricStatus[Metric.all().length];

        Reading(Device device) {
            this.device = device;
            Arrays.fill(values, Double.NaN);
            Arrays.fill(status, MetricStatus.ERROR);
        }

        void set(Metric metric, double value) {
            values[metric.ordinal()] = value;
            status[metric.ordinal()] = MetricStatus.OK;
        }

        /** Calls unless the GPU is lost or every metric it serves is known unsupported; records why it failed. */
        NvmlReturn call(EnumSet<Metric> metrics, Function function, Object... arguments) {
            if (device.lost) {
                return NvmlReturn.GPU_IS_LOST;
            }
            if (!metrics.isEmpty() && device.unsupported.containsAll(metrics)) {
                metrics.forEach(m -> status[m.ordinal()] = MetricStatus.NOT_SUPPORTED);
                return NvmlReturn.NOT_SUPPORTED;
            }
            if (function == null) {
                metrics.forEach(m -> status[m.ordinal()] = MetricStatus.FUNCTION_MISSING);
                return NvmlReturn.FUNCTION_NOT_FOUND;
            }
            NvmlReturn result = NvmlLibrary.call(function, arguments);
            switch (result) {
                case SUCCESS -> { }
                case GPU_IS_LOST -> device.lost = true;
                case NOT_SUPPORTED -> {
                    device.unsupported.addAll(metrics);
                    metrics.forEach(m -> status[m.ordinal()] = MetricStatus.NOT_SUPPORTED);
                }
                case NO_PERMISSION -> metrics.forEach(m -> status[m.ordinal()] = MetricStatus.NO_PERMISSION);
                default -> metrics.forEach(m -> status[m.ordinal()] = MetricStatus.ERROR);
            }
            return result;
        }

        void unsigned(Metric metric, Function function, Integer selector, double scale) {
            IntByReference value = intValue;
            EnumSet<Metric> metrics = SINGLE[metric.ordinal()];
            NvmlReturn result = selector == null ? call(metrics, function, device.handle, value)
                    : call(metrics, function, device.handle, selector, value);
            if (result == NvmlReturn.SUCCESS) {
                set(metric, Integer.toUnsignedLong(value.getValue()) * scale);
            }
        }

        void eccCount(Metric metric, int errorType) {
            LongByReference value = longValue;
            if (call(SINGLE[metric.ordinal()], nvml.totalEccErrors, device.handle, errorType, 0, value) == NvmlReturn.SUCCESS) {
                set(metric, value.getValue());
            }
        }

        void utilizationWithPeriod(Metric metric, Function function) {
            IntByReference value = intValue;
            IntByReference period = secondInt;
            if (call(SINGLE[metric.ordinal()], function, device.handle, value, period) == NvmlReturn.SUCCESS) {
                set(metric, value.getValue());
            }
        }
    }

    private String text(Function function, int size) {
        byte[] buffer = new byte[size];
        return NvmlLibrary.call(function, buffer, size) == NvmlReturn.SUCCESS ? NvmlStructures.text(buffer) : "?";
    }

    private String deviceText(Device d, Function function, int size) {
        byte[] buffer = new byte[size];
        return NvmlLibrary.call(function, d.handle, buffer, size) == NvmlReturn.SUCCESS ? NvmlStructures.text(buffer) : null;
    }

    private String cudaVersion() {
        IntByReference version = new IntByReference();
        if (NvmlLibrary.call(nvml.cudaDriverVersion, version) != NvmlReturn.SUCCESS) {
            return "?";
        }
        return version.getValue() / 1000 + "." + (version.getValue() % 1000) / 10;
    }

    /** Symbols the loaded library lacks, for diagnostics. */
    public List<String> missingFunctions() {
        return nvml == null ? List.of() : List.copyOf(nvml.missing);
    }

    @Override
    public void close() {
        if (nvml != null) {
            devices.clear(); // handles die with the init scope
            nvml = null;
            Nvml.release();
        }
    }
}
