package dev.headroom.telemetry.prometheus;

import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.GpuReading;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.Snapshot;
import dev.headroom.telemetry.XidCatalog;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The latest readings under dcgm-exporter's metric names, units, {@code # TYPE}s and labels (its
 * default-counters.csv, monitoring-and-nvml.md §4), so the standard dcgm-exporter Grafana dashboard reads Headroom
 * unchanged, and what it does not serve under {@code headroom_*} names: each fan, the temperature margin and, opt
 * in, per-process GPU memory and SM utilization. A scrape only formats the last sample: the exporter samples on
 * its own interval, as dcgm-exporter does, so scrapes never touch NVML.
 */
public final class DcgmMetrics implements MultiCollector {
    private static final double MIB = 1 << 20;
    /** Processes exported per scrape when nothing else is said; see {@link #processMetrics(int)}. */
    public static final int DEFAULT_PROCESS_SERIES = 256;

    /**
     * One dcgm-exporter field: its name, help text, how to read it from a reading (NaN: not available), and
     * whether dcgm-exporter types it a counter (it keeps the name without Prometheus's _total suffix).
     */
    private record Field(String name, String help, ToDoubleFunction<GpuReading> value, boolean counter) {
        Field(String name, String help, ToDoubleFunction<GpuReading> value) {
            this(name, help, value, false);
        }
    }

    private static final List<Field> FIELDS = List.of(
            new Field("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", r -> get(r, Metric.UTILIZATION_GPU)),
            new Field("DCGM_FI_DEV_MEM_COPY_UTIL", "Memory utilization (in %).", r -> get(r, Metric.UTILIZATION_MEMORY)),
            new Field("DCGM_FI_DEV_ENC_UTIL", "Encoder utilization (in %).", r -> get(r, Metric.ENCODER)),
            new Field("DCGM_FI_DEV_DEC_UTIL", "Decoder utilization (in %).", r -> get(r, Metric.DECODER)),
            new Field("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).", r -> get(r, Metric.MEMORY_USED) / MIB),
            new Field("DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).", DcgmMetrics::freeMib),
            new Field("DCGM_FI_DEV_FB_RESERVED", "Framebuffer memory reserved (in MiB).",
                    r -> get(r, Metric.MEMORY_RESERVED) / MIB),
            new Field("DCGM_FI_DEV_MEMORY_TEMP", "Memory temperature (in C).", r -> get(r, Metric.MEMORY_TEMPERATURE)),
            new Field("DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", r -> get(r, Metric.TEMPERATURE)),
            new Field("DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", r -> get(r, Metric.POWER)),
            new Field("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "Total energy consumption since boot (in mJ).",
                    r -> get(r, Metric.ENERGY) * 1000, true),
            new Field("DCGM_FI_DEV_PCIE_REPLAY_COUNTER", "Total number of PCIe retries.",
                    r -> get(r, Metric.PCIE_REPLAYS), true),
            new Field("DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS", "Number of remapped rows for uncorrectable errors",
                    r -> get(r, Metric.REMAPPED_ROWS_UNCORRECTABLE), true),
            new Field("DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS", "Number of remapped rows for correctable errors",
                    r -> get(r, Metric.REMAPPED_ROWS_CORRECTABLE), true),
            new Field("DCGM_FI_DEV_ROW_REMAP_FAILURE", "Whether remapping of rows has failed",
                    r -> get(r, Metric.ROW_REMAP_FAILURE)),
            new Field("DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz).", r -> get(r, Metric.CLOCK_SM)),
            new Field("DCGM_FI_DEV_MEM_CLOCK", "Memory clock frequency (in MHz).", r -> get(r, Metric.CLOCK_MEMORY)),
            new Field("DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", "Current clock event reasons (bitmask of NVML's"
                    + " nvmlClocksEventReason values).", r -> r.state() == dev.headroom.telemetry.MetricStatus.OK
                    ? r.throttleMask() : Double.NaN),
            new Field("DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", "Total number of single-bit volatile ECC errors.",
                    r -> get(r, Metric.ECC_CORRECTED), true),
            new Field("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "Total number of double-bit volatile ECC errors.",
                    r -> get(r, Metric.ECC_UNCORRECTED), true),
            new Field("DCGM_FI_DEV_XID_ERRORS", "Value of the last XID error encountered.",
                    r -> get(r, Metric.XID)),
            new Field("DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", "Total number of NVLink bandwidth counters for all"
                    + " lanes (here: bytes of NVLink data sent and received since the driver loaded).",
                    r -> get(r, Metric.NVLINK_BYTES), true),
            new Field("DCGM_FI_DEV_FAN_SPEED", "Fan speed (in 0-100%).", r -> get(r, Metric.FAN)),
            new Field("DCGM_FI_PROF_GR_ENGINE_ACTIVE", "Ratio of time the graphics engine is active.",
                    r -> get(r, Metric.GR_ENGINE_ACTIVE)),
            new Field("DCGM_FI_PROF_SM_ACTIVE", "The ratio of cycles an SM has at least 1 warp assigned.",
                    r -> get(r, Metric.SM_ACTIVE)),
            new Field("DCGM_FI_PROF_SM_OCCUPANCY", "The ratio of number of warps resident on an SM.",
                    r -> get(r, Metric.SM_OCCUPANCY)),
            new Field("DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", "Ratio of cycles the tensor (HMMA) pipe is active.",
                    r -> get(r, Metric.TENSOR_ACTIVE)),
            new Field("DCGM_FI_PROF_DRAM_ACTIVE", "Ratio of cycles the device memory interface is active sending or"
                    + " receiving data.", r -> get(r, Metric.DRAM_ACTIVE)),
            new Field("headroom_gpu_temperature_margin_celsius", "Degrees left before the GPU's slowdown threshold"
                    + " (NVML's margin temperature; negative past it).", r -> get(r, Metric.TEMPERATURE_MARGIN)),
            new Field("DCGM_FI_PROF_PCIE_TX_BYTES", "The rate of data transmitted over the PCIe bus, including both"
                    + " protocol headers and data payloads, in bytes per second.", r -> get(r, Metric.PCIE_TX)),
            new Field("DCGM_FI_PROF_PCIE_RX_BYTES", "The rate of data received over the PCIe bus, including both"
                    + " protocol headers and data payloads, in bytes per second.", r -> get(r, Metric.PCIE_RX)));

    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();

    /** The text format of one sample for one list of GPUs. */
    private record Rendered(Snapshot snapshot, List<GpuInfo> gpus, byte[] text) {
    }

    /** dcgm-exporter 4.x writes the host as {@code hostname}; releases before it as {@code Hostname}. */
    public static final String HOSTNAME_LABEL = "hostname";
    public static final String OLDER_HOSTNAME_LABEL = "Hostname";

    private volatile List<GpuInfo> gpus;
    private final String hostname;
    private final String hostnameLabel;
    private volatile String driverVersion;
    private volatile int processSeries;
    private final AtomicReference<Snapshot> latest = new AtomicReference<>();
    private final AtomicReference<Rendered> rendered = new AtomicReference<>();

    public DcgmMetrics(List<GpuInfo> gpus, String hostname) {
        this(gpus, hostname, HOSTNAME_LABEL, null);
    }

    /**
     * @param hostname      the host label's value, or null for none (dcgm-exporter --no-hostname)
     * @param hostnameLabel {@link #HOSTNAME_LABEL} or {@link #OLDER_HOSTNAME_LABEL}
     * @param driverVersion the {@code DCGM_FI_DRIVER_VERSION} label's value, or null where no driver is read
     */
    public DcgmMetrics(List<GpuInfo> gpus, String hostname, String hostnameLabel, String driverVersion) {
        this.gpus = List.copyOf(gpus);
        this.hostname = hostname;
        this.hostnameLabel = hostnameLabel;
        this.driverVersion = driverVersion;
    }

    /**
     * Turns the per-process series on, at most {@code limit} of them (0: off, the default). Cardinality rule: one
     * series per metric for each process on each GPU while it runs (labels gpu, UUID, pid, process, user and,
     * where its cgroup shows them, container and pod); beyond the limit the processes holding the most memory are
     * kept and headroom_process_series_dropped counts the rest, so a fork storm cannot flood Prometheus.
     */
    public DcgmMetrics processMetrics(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("process series limit = " + limit + ": must be 0 or more");
        }
        processSeries = limit;
        rendered.set(null);
        return this;
    }

    /** The driver of a new source (the app's exporter follows the Monitor's source); null where there is none. */
    public void setDriverVersion(String value) {
        driverVersion = value;
        rendered.set(null);
    }

    /** A new source's GPUs (the app's exporter follows the Monitor's source); readings wait for the next update. */
    public void setGpus(List<GpuInfo> next) {
        latest.set(null);
        gpus = List.copyOf(next);
    }

    /** The sampler's thread hands each new snapshot over; a scrape reads the last one. */
    public void update(Snapshot snapshot) {
        latest.set(snapshot);
    }

    /**
     * The latest readings in Prometheus's text format (version 0.0.4, what dcgm-exporter serves), rendered once per
     * sample however often it is scraped: scrapes then allocate next to nothing, so the heap, and with it the
     * resident memory, stays flat under sustained scraping. Callers must not modify the array.
     */
    public byte[] text() {
        Snapshot snapshot = latest.get();
        List<GpuInfo> now = gpus;
        Rendered last = rendered.get();
        if (last != null && last.snapshot() == snapshot && last.gpus() == now) {
            return last.text();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(last == null ? 16 << 10 : last.text().length + 1024);
        try {
            TEXT.write(out, collect(snapshot, now));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        byte[] text = counterTypes(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        rendered.set(new Rendered(snapshot, now, text));
        return text;
    }

    /** The text format's content type. */
    public static String contentType() {
        return TEXT.getContentType();
    }

    /**
     * dcgm-exporter's counters keep their names (DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION, no _total), which the
     * client library's counter type would rename; they are built as gauges and their # TYPE line says counter.
     */
    private static String counterTypes(String text) {
        for (Field field : FIELDS) {
            if (field.counter()) {
                text = text.replace("# TYPE " + field.name() + " gauge\n", "# TYPE " + field.name() + " counter\n");
            }
        }
        return text;
    }

    @Override
    public MetricSnapshots collect() {
        return collect(latest.get(), gpus);
    }

    private MetricSnapshots collect(Snapshot snapshot, List<GpuInfo> gpus) {
        Families families = new Families();
        if (snapshot == null) {
            return families.build();
        }
        for (Field field : FIELDS) {
            for (GpuReading reading : snapshot.gpus()) {
                double value = field.value().applyAsDouble(reading);
                GpuInfo info = info(gpus, reading.index());
                if (Double.isNaN(value) || info == null) {
                    continue; // dcgm-exporter leaves out a field a GPU does not report
                }
                Labels labels = labels(info);
                if (field.name().equals("DCGM_FI_DEV_XID_ERRORS")) {
                    labels = labels.add("err_code", Long.toString((long) value))
                            .add("err_msg", XidCatalog.message((int) value));
                }
                families.add(field.name(), field.help(), value, labels);
            }
        }
        for (GpuReading reading : snapshot.gpus()) {
            GpuInfo info = info(gpus, reading.index());
            if (info != null) {
                migMemory(families, reading, info);
                fans(families, reading, info);
            }
        }
        if (processSeries > 0) {
            processes(families, snapshot, gpus, processSeries);
        }
        return families.build();
    }

    /** Metric families in the order their first point arrives; a family without points is left out. */
    private static final class Families {
        private final java.util.Map<String, GaugeSnapshot.Builder> byName = new java.util.LinkedHashMap<>();

        void add(String name, String help, double value, Labels labels) {
            byName.computeIfAbsent(name, n -> GaugeSnapshot.builder().name(n).help(help))
                    .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).labels(labels).build());
        }

        MetricSnapshots build() {
            MetricSnapshots.Builder result = MetricSnapshots.builder();
            byName.values().forEach(family -> result.metricSnapshot(family.build()));
            return result.build();
        }
    }

    /**
     * A MIG-enabled GPU's framebuffer per GPU instance, labelled GPU_I_ID and GPU_I_PROFILE as dcgm-exporter
     * labels them, next to the whole GPU's series.
     */
    private void migMemory(Families families, GpuReading reading, GpuInfo info) {
        if (reading.migInstances() == null) {
            return;
        }
        for (dev.headroom.telemetry.MigInstance mig : reading.migInstances()) {
            Labels labels = labels(info).add("GPU_I_ID", Integer.toString(mig.gpuInstanceId()))
                    .add("GPU_I_PROFILE", mig.profile());
            families.add("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).", mig.memoryUsedBytes() / MIB,
                    labels);
            families.add("DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).",
                    (mig.memoryTotalBytes() - mig.memoryUsedBytes()) / MIB, labels);
        }
    }

    /** Each fan of a board with more than one (dcgm-exporter serves one fan speed per GPU). */
    private void fans(Families families, GpuReading reading, GpuInfo info) {
        double[] speeds = reading.fanSpeeds();
        if (speeds == null) {
            return;
        }
        for (int fan = 0; fan < speeds.length; fan++) {
            if (!Double.isNaN(speeds[fan])) {
                families.add("headroom_fan_speed_percent", "Each fan's intended speed (in %).", speeds[fan],
                        labels(info).add("fan", Integer.toString(fan)));
            }
        }
    }

    private static dev.headroom.telemetry.GpuProcess merged(dev.headroom.telemetry.GpuProcess a,
                                                            dev.headroom.telemetry.GpuProcess b) {
        Long used = a.usedBytes() == null ? b.usedBytes() : b.usedBytes() == null ? a.usedBytes()
                : Long.valueOf(a.usedBytes() + b.usedBytes());
        Double sm = a.smUtilization() == null ? b.smUtilization() : b.smUtilization() == null ? a.smUtilization()
                : Double.valueOf(Math.max(a.smUtilization(), b.smUtilization()));
        return new dev.headroom.telemetry.GpuProcess(a.pid(), a.kind(), used, a.name(), a.user(), sm, a.container(),
                a.pod());
    }

    /** Per-process series under the cardinality rule of {@link #processMetrics(int)}. */
    private void processes(Families families, Snapshot snapshot, List<GpuInfo> gpus, int limit) {
        record Row(GpuInfo info, dev.headroom.telemetry.GpuProcess process) {
        }
        List<Row> rows = new ArrayList<>();
        for (GpuReading reading : snapshot.gpus()) {
            GpuInfo info = info(gpus, reading.index());
            if (info == null || reading.processes() == null) {
                continue;
            }
            // A process NVML lists twice on one GPU (compute and graphics, or in two MIG instances) is one series:
            // its memory summed, its SM share the larger; two points with the same labels would fail the scrape.
            java.util.Map<Integer, dev.headroom.telemetry.GpuProcess> byPid = new java.util.LinkedHashMap<>();
            for (dev.headroom.telemetry.GpuProcess p : reading.processes()) {
                byPid.merge(p.pid(), p, DcgmMetrics::merged);
            }
            byPid.values().forEach(p -> rows.add(new Row(info, p)));
        }
        rows.sort(java.util.Comparator.comparingLong((Row r) -> r.process().usedBytes() == null ? -1
                : r.process().usedBytes()).reversed());
        for (Row row : rows.subList(0, Math.min(limit, rows.size()))) {
            dev.headroom.telemetry.GpuProcess p = row.process();
            List<String> names = new ArrayList<>(List.of("gpu", "UUID", "pid", "process", "user"));
            List<String> values = new ArrayList<>(List.of(Integer.toString(row.info().index()),
                    nonNull(row.info().uuid()), Integer.toString(p.pid()), nonNull(p.name()), nonNull(p.user())));
            if (p.container() != null) {
                names.add("container");
                values.add(p.container());
            }
            if (p.pod() != null) {
                names.add("pod");
                values.add(p.pod());
            }
            if (hostname != null) {
                names.add(hostnameLabel.toLowerCase(java.util.Locale.ROOT)); // headroom_* names stay snake_case
                values.add(hostname);
            }
            Labels labels = Labels.of(names, values);
            if (p.usedBytes() != null) {
                families.add("headroom_process_gpu_memory_bytes", "GPU memory a process holds (in bytes).",
                        p.usedBytes(), labels);
            }
            if (p.smUtilization() != null) {
                families.add("headroom_process_sm_utilization", "A process's share of the SMs over the driver's last"
                        + " sample window (0-1).", p.smUtilization() / 100, labels);
            }
        }
        families.add("headroom_process_series_dropped", "Processes left out by the series limit"
                + " (--process-metrics-limit).", Math.max(0, rows.size() - limit), hostname == null ? Labels.EMPTY
                : Labels.of(hostnameLabel.toLowerCase(java.util.Locale.ROOT), hostname));
    }

    private Labels labels(GpuInfo info) {
        List<String> names = new ArrayList<>(List.of("gpu", "UUID", "pci_bus_id", "device", "modelName"));
        List<String> values = new ArrayList<>(List.of(Integer.toString(info.index()), nonNull(info.uuid()),
                nonNull(info.pciBusId()), "nvidia" + info.index(), nonNull(info.name())));
        if (hostname != null) {
            names.add(hostnameLabel);
            values.add(hostname);
        }
        String driver = driverVersion;
        if (driver != null) {
            names.add("DCGM_FI_DRIVER_VERSION");
            values.add(driver);
        }
        return Labels.of(names, values);
    }

    private static GpuInfo info(List<GpuInfo> gpus, int index) {
        for (GpuInfo info : gpus) {
            if (info.index() == index) {
                return info;
            }
        }
        return null;
    }

    private static double get(GpuReading r, Metric metric) {
        return r.has(metric) ? r.value(metric) : Double.NaN;
    }

    /** dcgm-exporter: free = total - used - reserved. */
    private static double freeMib(GpuReading r) {
        double total = get(r, Metric.MEMORY_TOTAL);
        double used = get(r, Metric.MEMORY_USED);
        double reserved = r.has(Metric.MEMORY_RESERVED) ? r.value(Metric.MEMORY_RESERVED) : 0;
        return (total - used - reserved) / MIB;
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }
}
