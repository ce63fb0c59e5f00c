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
import dev.headroom.telemetry.MigInstance;
import dev.headroom.telemetry.MetricStatus;
import dev.headroom.telemetry.ProcessTable;
import dev.headroom.telemetry.Snapshot;
import dev.headroom.telemetry.XidCatalog;
import dev.headroom.telemetry.SourceUnavailableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

/**
 * The local GPUs through NVML. Units are converted here, once: mW to W, mJ to J, KB/s and KiB to bytes, GPM's
 * percentages to ratios. A metric the GPU does not support is remembered and not asked again. A GPU that is lost
 * is never called with its old handle again and the others keep going; at a doubling backoff (1 s to 60 s) the
 * source asks NVML for the GPU's handle anew and, when the same UUID answers, reads it again ("recovered"). A
 * driver that goes away ("driver not loaded") is re-initialised at the same backoff.
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
    /** NVML_FI_DEV_NVLINK_LINK_COUNT, and NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_TX / _RX (KiB counters, per link). */
    static final int FIELD_NVLINK_LINK_COUNT = 91;
    static final int FIELD_NVLINK_DATA_TX = 138;
    static final int FIELD_NVLINK_DATA_RX = 139;
    static final long FIRST_RETRY_MILLIS = 1000;
    static final long MAX_RETRY_MILLIS = 60_000;
    /** nvmlMarginTemperature_v1_t's version: sizeof 8 | 1 << 24. */
    private static final int MARGIN_VERSION = 0x01000008;
    /** nvmlProcessUtilizationSample_t: pid @0, timeStamp @8, smUtil @16 (32 bytes). */
    private static final int PROCESS_SAMPLE_SIZE = 32;
    private static final EnumSet<Metric> FIELDS = EnumSet.of(Metric.MEMORY_TEMPERATURE, Metric.NVLINK_BYTES);
    private static final EnumSet<Metric> GPM = EnumSet.of(Metric.GR_ENGINE_ACTIVE, Metric.SM_ACTIVE,
            Metric.SM_OCCUPANCY, Metric.TENSOR_ACTIVE, Metric.DRAM_ACTIVE);
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
    private final java.util.function.LongSupplier clock;
    private NvmlLibrary nvml;
    private boolean acquired;
    // Reused on the one sampler thread: every JNA by-reference object is native memory that JNA tracks in a
    // shared map, so allocating them per call costs more than the NVML call itself.
    private final IntByReference intValue = new IntByReference();
    private final IntByReference secondInt = new IntByReference();
    private final LongByReference longValue = new LongByReference();
    private final IntByReference thirdInt = new IntByReference();
    private final IntByReference fourthInt = new IntByReference();
    /** One nvmlFieldValue_t (40 bytes), reused each tick: the sampler reads one GPU at a time. */
    private final com.sun.jna.Memory fieldValue = new com.sun.jna.Memory(NvmlStructures.FIELD_VALUE_SIZE);
    // The per-tick structs as raw native memory: a JNA Structure reads and writes its fields by reflection after
    // every call, which cost more than the NVML call. nvmlUtilization_t: gpu @0, memory @4.
    private final Memory utilization = new Memory(8);
    /** nvmlMemory_v2_t: version @0, total @8, reserved @16, free @24, used @32. */
    private final Memory memoryV2 = new Memory(40);
    /** nvmlMemory_t: total @0, free @8, used @16. */
    private final Memory memoryV1 = new Memory(24);
    private final Memory margin = new Memory(8);
    private final double[] gpmRatios = new double[GpmSamples.METRICS.length];
    private Memory gpmRequest;
    private Memory processBuffer;
    private Memory utilizationBuffer;
    private XidEvents xids;
    private final List<Device> devices = new ArrayList<>();
    private String versions = "";
    private String driver;
    private boolean driverGone;
    private long driverRetryAt;
    private long driverBackoff;
    private int recoveries;
    private long drainTick;

    public NvmlSource() {
        this(new ProcessTable(), System::currentTimeMillis);
    }

    NvmlSource(ProcessTable processTable) {
        this(processTable, System::currentTimeMillis);
    }

    /** @param clock milliseconds, for the retry backoff (tests step it) */
    NvmlSource(ProcessTable processTable, java.util.function.LongSupplier clock) {
        this.processTable = processTable;
        this.clock = clock;
    }

    /** One GPU: its handle (valid for this init scope only) and what we learnt not to ask. */
    private static final class Device {
        final int index;
        Pointer handle;
        boolean lost;
        boolean eccEnabled;
        boolean fanless;
        int fans;
        Boolean migEnabled;
        /** The UUID read at open: a handle got again after a loss must answer with it. */
        String uuid;
        long retryAt;
        long backoff;
        GpmSamples gpm;
        boolean xidRegistered;
        long lastXid;
        long xidCount;
        /** Field-value requests (memory temperature, then NVLink TX and RX per link) and the link count. */
        Memory fields;
        int nvlinks;
        long lastProcessSample;
        boolean revived;
        long xidTick;
        /** Fans that answered NOT_SUPPORTED (one fan of a board can; the others still read). */
        boolean[] fanUnsupported = new boolean[0];
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
        acquired = true;
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
            watchEvents();
            return infos;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** One event set for the source's GPUs: each one that can report XIDs is registered for them. */
    private void watchEvents() {
        xids = XidEvents.create(nvml);
        for (Device d : devices) {
            d.xidRegistered = xids != null && !d.lost && xids.register(d.handle);
        }
    }

    private GpuInfo info(Device d) {
        String name = deviceText(d, nvml.name, NAME_BUFFER);
        String uuid = deviceText(d, nvml.uuid, UUID_BUFFER);
        d.uuid = uuid;
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
        d.migEnabled = migEnabled;
        prepareFields(d);
        openGpm(d);
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
        d.fans = result == NvmlReturn.SUCCESS ? fans.getValue() : 0;
        return result == NvmlReturn.SUCCESS ? fans.getValue() : null;
    }

    /**
     * The field-value request read each tick in one call: the HBM temperature, then each NVLink's data TX and RX
     * counters, the link count asked once here (a GPU without NVLink answers NOT_SUPPORTED for it).
     */
    private void prepareFields(Device d) {
        d.nvlinks = 0;
        if (nvml.fieldValues != null) {
            NvmlStructures.fieldRequest(fieldValue, FIELD_NVLINK_LINK_COUNT);
            if (NvmlLibrary.call(nvml.fieldValues, d.handle, 1, fieldValue) == NvmlReturn.SUCCESS
                    && fieldValue.getInt(NvmlStructures.FIELD_RETURN_OFFSET) == 0) {
                d.nvlinks = (int) Math.max(0, Math.min(64, NvmlStructures.fieldNumber(fieldValue)));
            }
        }
        int count = 1 + 2 * d.nvlinks;
        d.fields = new Memory((long) count * NvmlStructures.FIELD_VALUE_SIZE);
    }

    /** Clears the request and asks again for its fields (NVML writes its answers over them). */
    private static void requestFields(Device d) {
        Memory m = d.fields;
        m.clear();
        m.setInt(0, FIELD_MEMORY_TEMP);
        for (int link = 0; link < d.nvlinks; link++) {
            long tx = (1 + 2L * link) * NvmlStructures.FIELD_VALUE_SIZE;
            m.setInt(tx, FIELD_NVLINK_DATA_TX);
            m.setInt(tx + 4, link);
            m.setInt(tx + NvmlStructures.FIELD_VALUE_SIZE, FIELD_NVLINK_DATA_RX);
            m.setInt(tx + NvmlStructures.FIELD_VALUE_SIZE + 4, link);
        }
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
        long now = clock.getAsLong();
        if (driverGone && !recoverDriver(now)) {
            return unavailable(MetricStatus.DRIVER_GONE);
        }
        if (xids != null) {
            drainTick++;
            NvmlReturn drained = xids.drain(this::xid);
            if (drained == NvmlReturn.DRIVER_NOT_LOADED || drained == NvmlReturn.UNINITIALIZED) {
                driverGone = true;
            }
        }
        List<GpuReading> readings = new ArrayList<>(devices.size());
        for (Device device : devices) {
            if (device.lost) {
                retry(device, now);
            }
            GpuReading reading = device.lost || driverGone ? GpuReading.unavailable(device.index, MetricStatus.GPU_LOST)
                    : read(device, withProcesses);
            readings.add(reading);
            if (device.lost && device.retryAt == 0) {
                // Found lost this tick: the first retry in a second, or twice the last wait when it has only just
                // come back (a GPU that answers its handle and then fails is not retried every second).
                device.backoff = nextBackoff(device.backoff);
                device.retryAt = now + device.backoff;
            } else if (reading.state() == MetricStatus.OK) {
                device.backoff = 0; // a whole read: the next loss starts the backoff afresh
                if (device.revived) {
                    device.revived = false;
                    recoveries++;
                }
            }
            if (driverGone) {
                driverBackoff = nextBackoff(driverBackoff);
                driverRetryAt = now + driverBackoff;
                return unavailable(MetricStatus.DRIVER_GONE);
            }
        }
        driverBackoff = 0;
        return new Snapshot(System.currentTimeMillis(), name(), false, readings);
    }

    /** The wait after {@code last}: 1 s after none, then doubling up to 60 s. */
    static long nextBackoff(long last) {
        return Math.min(MAX_RETRY_MILLIS, Math.max(FIRST_RETRY_MILLIS, last * 2));
    }

    private Snapshot unavailable(MetricStatus why) {
        List<GpuReading> readings = new ArrayList<>(devices.size());
        for (Device device : devices) {
            readings.add(GpuReading.unavailable(device.index, why));
        }
        return new Snapshot(System.currentTimeMillis(), name(), false, readings);
    }

    /** How often a lost GPU or a vanished driver has answered again since the source opened. */
    public int recoveries() {
        return recoveries;
    }

    /**
     * One XID for the GPU whose handle it came on (a lost GPU's XID 79 included). Of several in one tick the
     * last that needs action is kept, so a harmless one right after it cannot hide it from the alert.
     */
    private void xid(Pointer handle, long code) {
        for (Device d : devices) {
            if (handle.equals(d.handle)) {
                boolean keepEarlier = d.xidTick == drainTick && XidCatalog.needsAction((int) d.lastXid)
                        && !XidCatalog.needsAction((int) code);
                if (!keepEarlier) {
                    d.lastXid = code;
                }
                d.xidTick = drainTick;
                d.xidCount++;
            }
        }
    }

    /**
     * A lost GPU, at its backoff: a fresh handle by index, trusted only when it answers with the GPU's own UUID
     * (after a reset the index can name another board). A GPU lost before its UUID was read stays lost.
     */
    private void retry(Device d, long now) {
        if (d.uuid == null || d.retryAt == 0 || now < d.retryAt) {
            return;
        }
        PointerByReference handle = new PointerByReference();
        if (NvmlLibrary.call(nvml.handleByIndex, d.index, handle) == NvmlReturn.SUCCESS && handle.getValue() != null
                && d.uuid.equals(text(nvml.uuid, handle.getValue(), UUID_BUFFER))) {
            revive(d, handle.getValue());
        } else {
            d.backoff = nextBackoff(d.backoff);
            d.retryAt = now + d.backoff;
        }
    }

    /** Reads the GPU again through its new handle; it counts as recovered after its first whole read. */
    private void revive(Device d, Pointer handle) {
        d.handle = handle;
        d.lost = false;
        d.retryAt = 0;
        d.revived = true;
        d.unsupported.clear();
        java.util.Arrays.fill(d.fanUnsupported, false);
        if (d.gpm != null) {
            d.gpm.close(); // samples of the old handle are not reused
        }
        openGpm(d);
        d.xidRegistered = xids != null && xids.register(handle);
        prepareFields(d);
    }

    /** The driver was gone: at the backoff, shut NVML down and initialise it again, then find each GPU anew. */
    private boolean recoverDriver(long now) {
        if (now < driverRetryAt) {
            return false;
        }
        if (acquired) {
            acquired = false;
            Nvml.release();
        }
        try {
            nvml = Nvml.acquire();
            acquired = true;
        } catch (SourceUnavailableException e) {
            driverBackoff = nextBackoff(driverBackoff);
            driverRetryAt = now + driverBackoff;
            return false;
        }
        driverGone = false;
        xids = XidEvents.create(nvml); // the old set and GPM samples died with the old scope
        for (Device d : devices) {
            d.gpm = null;
            d.lost = true; // until it answers with its UUID in the new scope
            d.retryAt = now;
            retry(d, now);
        }
        return true;
    }

    /** Collects one GPU's metrics; the first GPU_IS_LOST marks it lost for good. */
    private GpuReading read(Device d, boolean withProcesses) {
        Reading r = new Reading(d);
        NvmlReturn util = r.call(UTILIZATION, nvml.utilization, d.handle, utilization);
        if (util == NvmlReturn.SUCCESS) {
            r.set(Metric.UTILIZATION_GPU, Integer.toUnsignedLong(utilization.getInt(0)));
            r.set(Metric.UTILIZATION_MEMORY, Integer.toUnsignedLong(utilization.getInt(4)));
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
        double[] fanSpeeds = readFans(r);
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
        readFields(r);
        readMargin(r);
        readGpm(r);
        if (d.xidRegistered) {
            r.set(Metric.XID, d.lastXid);
            r.set(Metric.XID_EVENTS, d.xidCount);
        } else {
            r.status[Metric.XID.ordinal()] = MetricStatus.NOT_SUPPORTED;
            r.status[Metric.XID_EVENTS.ordinal()] = MetricStatus.NOT_SUPPORTED;
        }
        if (d.lost || driverGone) {
            return GpuReading.unavailable(d.index, MetricStatus.GPU_LOST);
        }
        List<GpuProcess> processes = null;
        if (withProcesses) {
            processes = new ArrayList<>();
            processes(d, nvml.computeProcesses, "compute", processes);
            processes(d, nvml.graphicsProcesses, "graphics", processes);
            if (!processes.isEmpty()) {
                processUtilization(d, processes);
            }
            if (d.lost) {
                return GpuReading.unavailable(d.index, MetricStatus.GPU_LOST);
            }
        }
        List<MigInstance> migs = Boolean.TRUE.equals(d.migEnabled) ? migInstances(d) : null;
        return new GpuReading(d.index, MetricStatus.OK, r.values, r.status, throttle, processes, fanSpeeds, migs);
    }

    /** Fan 0 on one-fan boards; every fan's speed, with their mean as the GPU's, on boards with more. */
    private double[] readFans(Reading r) {
        Device d = r.device;
        if (d.fanless) {
            r.status[Metric.FAN.ordinal()] = MetricStatus.NOT_SUPPORTED;
            return null;
        }
        if (nvml.fanSpeedV2 == null) {
            r.unsigned(Metric.FAN, nvml.fanSpeedV1, null, 1);
            return null;
        }
        if (d.fans <= 1) {
            r.unsigned(Metric.FAN, nvml.fanSpeedV2, 0, 1);
            return null;
        }
        if (d.fanUnsupported.length != d.fans) {
            d.fanUnsupported = new boolean[d.fans];
        }
        double[] speeds = new double[d.fans];
        java.util.Arrays.fill(speeds, Double.NaN);
        double sum = 0;
        int read = 0;
        for (int fan = 0; fan < d.fans && !d.lost && !driverGone; fan++) {
            if (d.fanUnsupported[fan]) {
                continue;
            }
            NvmlReturn result = NvmlLibrary.call(nvml.fanSpeedV2, d.handle, fan, intValue);
            switch (result) {
                case SUCCESS -> {
                    speeds[fan] = Integer.toUnsignedLong(intValue.getValue());
                    sum += speeds[fan];
                    read++;
                }
                case NOT_SUPPORTED -> d.fanUnsupported[fan] = true;
                case GPU_IS_LOST -> d.lost = true;
                case DRIVER_NOT_LOADED, UNINITIALIZED -> driverGone = true;
                default -> { }
            }
        }
        if (read > 0) {
            r.set(Metric.FAN, sum / read);
        } else {
            r.status[Metric.FAN.ordinal()] = MetricStatus.NOT_SUPPORTED;
        }
        return speeds;
    }

    private void readMargin(Reading r) {
        margin.setInt(0, MARGIN_VERSION);
        margin.setInt(4, 0);
        if (r.call(SINGLE[Metric.TEMPERATURE_MARGIN.ordinal()], nvml.marginTemperature, r.device.handle, margin)
                == NvmlReturn.SUCCESS) {
            r.set(Metric.TEMPERATURE_MARGIN, margin.getInt(4)); // signed: negative past the slowdown point
        }
    }

    /** GPM's buffers, and a first sample so the first tick already has a span to report on. */
    private void openGpm(Device d) {
        d.gpm = GpmSamples.open(nvml, d.handle);
        if (d.gpm != null) {
            if (gpmRequest == null) {
                gpmRequest = GpmSamples.request();
            }
            d.gpm.read(d.handle, gpmRequest, gpmRatios);
        }
    }

    private void readGpm(Reading r) {
        Device d = r.device;
        if (d.lost || driverGone) {
            return;
        }
        if (d.gpm == null) {
            GPM.forEach(m -> r.status[m.ordinal()] = MetricStatus.NOT_SUPPORTED); // before Hopper: no series
            return;
        }
        NvmlReturn result = d.gpm.read(d.handle, gpmRequest, gpmRatios);
        if (result == NvmlReturn.GPU_IS_LOST) {
            d.lost = true;
            return;
        }
        for (int i = 0; i < gpmRatios.length; i++) {
            if (!Double.isNaN(gpmRatios[i])) {
                r.set(GpmSamples.METRICS[i], gpmRatios[i]);
            }
        }
    }

    /** The SM share of each listed process over the driver's samples since the last read. */
    private void processUtilization(Device d, List<GpuProcess> processes) {
        if (nvml.processUtilization == null) {
            return;
        }
        IntByReference count = intValue;
        count.setValue(0);
        NvmlReturn result = NvmlLibrary.call(nvml.processUtilization, d.handle, Pointer.NULL, count, d.lastProcessSample);
        if (result == NvmlReturn.GPU_IS_LOST) {
            d.lost = true;
            return;
        }
        if (result != NvmlReturn.INSUFFICIENT_SIZE || count.getValue() <= 0) {
            return; // NOT_FOUND: no process ran a kernel since the last read
        }
        int capacity = count.getValue() + 5;
        if (utilizationBuffer == null || utilizationBuffer.size() < (long) capacity * PROCESS_SAMPLE_SIZE) {
            utilizationBuffer = new Memory((long) capacity * PROCESS_SAMPLE_SIZE);
        }
        count.setValue(capacity);
        if (NvmlLibrary.call(nvml.processUtilization, d.handle, utilizationBuffer, count, d.lastProcessSample)
                != NvmlReturn.SUCCESS) {
            return;
        }
        java.util.Map<Integer, long[]> latest = new java.util.HashMap<>(); // pid -> {timestamp, sm %}
        for (int i = 0; i < count.getValue(); i++) {
            long at = (long) i * PROCESS_SAMPLE_SIZE;
            int pid = utilizationBuffer.getInt(at);
            long stamp = utilizationBuffer.getLong(at + 8);
            long sm = Integer.toUnsignedLong(utilizationBuffer.getInt(at + 16));
            long[] seen = latest.get(pid);
            if (seen == null || stamp > seen[0] || (stamp == seen[0] && sm > seen[1])) {
                latest.put(pid, new long[] {stamp, sm});
            }
            d.lastProcessSample = Math.max(d.lastProcessSample, stamp);
        }
        for (int i = 0; i < processes.size(); i++) {
            long[] seen = latest.get(processes.get(i).pid());
            if (seen != null) {
                processes.set(i, processes.get(i).withSmUtilization((double) Math.min(100, seen[1])));
            }
        }
    }

    /** A MIG-enabled GPU's instances: each one's id, profile and memory (instances come and go, so every tick). */
    private List<MigInstance> migInstances(Device d) {
        if (nvml.maxMigDeviceCount == null || nvml.migDeviceHandleByIndex == null) {
            return null;
        }
        IntByReference count = new IntByReference();
        if (NvmlLibrary.call(nvml.maxMigDeviceCount, d.handle, count) != NvmlReturn.SUCCESS) {
            return null;
        }
        List<MigInstance> instances = new ArrayList<>();
        for (int i = 0; i < count.getValue(); i++) {
            PointerByReference mig = new PointerByReference();
            if (NvmlLibrary.call(nvml.migDeviceHandleByIndex, d.handle, i, mig) != NvmlReturn.SUCCESS) {
                continue; // NOT_FOUND: no instance in this slot
            }
            IntByReference id = new IntByReference();
            if (NvmlLibrary.call(nvml.gpuInstanceId, mig.getValue(), id) != NvmlReturn.SUCCESS) {
                continue;
            }
            if (instances.stream().anyMatch(m -> m.gpuInstanceId() == id.getValue())) {
                continue; // another compute instance of a GPU instance already listed
            }
            String name = text(nvml.name, mig.getValue(), NAME_BUFFER);
            int at = name == null ? -1 : name.lastIndexOf(" MIG ");
            // "1c.3g.20gb" names a compute instance within GPU instance profile "3g.20gb", dcgm-exporter's label.
            String profile = at < 0 ? "" : name.substring(at + 5).replaceFirst("^\\d+c\\.", "");
            NvmlStructures.MemoryV2 memory = new NvmlStructures.MemoryV2();
            memory.version = NvmlStructures.MemoryV2.VERSION;
            if (NvmlLibrary.call(nvml.memoryV2, mig.getValue(), memory) == NvmlReturn.SUCCESS) {
                instances.add(new MigInstance(id.getValue(), profile, memory.total, memory.used));
            }
        }
        return instances;
    }

    /**
     * HBM temperature and NVLink traffic through the field-value API, in one call. The call can succeed while a
     * field itself answers NOT_SUPPORTED (a GDDR board's memory temperature), which then counts as that metric's
     * answer for this GPU; a GPU without NVLink has no link fields, and no NVLink series.
     */
    private void readFields(Reading r) {
        Device d = r.device;
        if (d.nvlinks == 0) {
            r.status[Metric.NVLINK_BYTES.ordinal()] = MetricStatus.NOT_SUPPORTED;
        }
        if (d.unsupported.contains(Metric.MEMORY_TEMPERATURE) && d.nvlinks == 0) {
            r.status[Metric.MEMORY_TEMPERATURE.ordinal()] = MetricStatus.NOT_SUPPORTED;
            return;
        }
        requestFields(d);
        int count = 1 + 2 * d.nvlinks;
        if (r.call(d.nvlinks == 0 ? SINGLE[Metric.MEMORY_TEMPERATURE.ordinal()] : FIELDS, nvml.fieldValues,
                d.handle, count, d.fields) != NvmlReturn.SUCCESS) {
            return;
        }
        Memory m = d.fields;
        NvmlReturn temperature = NvmlReturn.of(m.getInt(NvmlStructures.FIELD_RETURN_OFFSET));
        if (temperature == NvmlReturn.SUCCESS) {
            r.set(Metric.MEMORY_TEMPERATURE, NvmlStructures.fieldNumber(m, 0));
        } else if (temperature == NvmlReturn.NOT_SUPPORTED) {
            d.unsupported.add(Metric.MEMORY_TEMPERATURE);
            r.status[Metric.MEMORY_TEMPERATURE.ordinal()] = MetricStatus.NOT_SUPPORTED;
        }
        if (d.nvlinks > 0) {
            double kib = 0;
            int answered = 0;
            for (int i = 1; i < count; i++) {
                long at = (long) i * NvmlStructures.FIELD_VALUE_SIZE;
                if (m.getInt(at + NvmlStructures.FIELD_RETURN_OFFSET) == 0) {
                    kib += NvmlStructures.fieldNumber(m, at);
                    answered++;
                }
            }
            if (answered > 0) {
                r.set(Metric.NVLINK_BYTES, kib * 1024);
            }
        }
    }

    private void readMemory(Reading r) {
        Device d = r.device;
        if (nvml.memoryV2 != null) {
            memoryV2.clear();
            memoryV2.setInt(0, NvmlStructures.MemoryV2.VERSION);
            NvmlReturn result = r.call(MEMORY, nvml.memoryV2, d.handle, memoryV2);
            if (result == NvmlReturn.SUCCESS) {
                // v2: "used" is what processes allocated; the driver's reservation is reported apart.
                r.set(Metric.MEMORY_USED, memoryV2.getLong(32));
                r.set(Metric.MEMORY_TOTAL, memoryV2.getLong(8));
                r.set(Metric.MEMORY_RESERVED, memoryV2.getLong(16));
                return;
            }
            if (result != NvmlReturn.ARGUMENT_VERSION_MISMATCH && result != NvmlReturn.NOT_SUPPORTED) {
                return;
            }
            d.unsupported.removeAll(MEMORY); // try the v1 call instead
        }
        if (r.call(MEMORY_V1, nvml.memoryV1, d.handle, memoryV1) == NvmlReturn.SUCCESS) {
            r.set(Metric.MEMORY_USED, memoryV1.getLong(16)); // v1: includes the driver's reservation
            r.set(Metric.MEMORY_TOTAL, memoryV1.getLong(0));
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
            into.add(entry == null ? new GpuProcess(pid, kind, usedBytes, null, null)
                    : new GpuProcess(pid, kind, usedBytes, entry.name(), entry.user(), null, entry.container(),
                            entry.pod()));
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
            if (device.lost || driverGone) {
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
                case DRIVER_NOT_LOADED, UNINITIALIZED -> driverGone = true; // the driver went away under us
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
        return text(function, d.handle, size);
    }

    private String text(Function function, Pointer handle, int size) {
        byte[] buffer = new byte[size];
        return NvmlLibrary.call(function, handle, buffer, size) == NvmlReturn.SUCCESS ? NvmlStructures.text(buffer) : null;
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
            if (acquired && !driverGone) {
                devices.stream().filter(d -> d.gpm != null).forEach(d -> d.gpm.close());
                if (xids != null) {
                    xids.close();
                }
            }
            xids = null;
            devices.clear(); // handles die with the init scope
            nvml = null;
            if (acquired) {
                acquired = false;
                Nvml.release();
            }
        }
    }
}
