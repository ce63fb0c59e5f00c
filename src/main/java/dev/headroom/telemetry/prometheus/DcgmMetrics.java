package dev.headroom.telemetry.prometheus;

import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.GpuReading;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.Snapshot;
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
 * The latest readings under dcgm-exporter's metric names, units and labels (monitoring-and-nvml.md §4), so the
 * standard dcgm-exporter Grafana dashboard reads Headroom unchanged. A scrape only formats the last sample: the
 * exporter samples on its own interval, as dcgm-exporter does, so scrapes never touch NVML.
 */
public final class DcgmMetrics implements MultiCollector {
    private static final double MIB = 1 << 20;

    /** One dcgm-exporter field: its name, help text and how to read it from a reading (NaN: not available). */
    private record Field(String name, String help, ToDoubleFunction<GpuReading> value) {
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
                    r -> get(r, Metric.ENERGY) * 1000),
            new Field("DCGM_FI_DEV_PCIE_REPLAY_COUNTER", "Total number of PCIe retries.",
                    r -> get(r, Metric.PCIE_REPLAYS)),
            new Field("DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS", "Number of remapped rows for uncorrectable errors",
                    r -> get(r, Metric.REMAPPED_ROWS_UNCORRECTABLE)),
            new Field("DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS", "Number of remapped rows for correctable errors",
                    r -> get(r, Metric.REMAPPED_ROWS_CORRECTABLE)),
            new Field("DCGM_FI_DEV_ROW_REMAP_FAILURE", "Whether remapping of rows has failed",
                    r -> get(r, Metric.ROW_REMAP_FAILURE)),
            new Field("DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz).", r -> get(r, Metric.CLOCK_SM)),
            new Field("DCGM_FI_DEV_MEM_CLOCK", "Memory clock frequency (in MHz).", r -> get(r, Metric.CLOCK_MEMORY)),
            new Field("DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", "Current clock event reasons (bitmask of NVML's"
                    + " nvmlClocksEventReason values).", r -> r.state() == dev.headroom.telemetry.MetricStatus.OK
                    ? r.throttleMask() : Double.NaN),
            new Field("DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", "Total number of single-bit volatile ECC errors.",
                    r -> get(r, Metric.ECC_CORRECTED)),
            new Field("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "Total number of double-bit volatile ECC errors.",
                    r -> get(r, Metric.ECC_UNCORRECTED)),
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
        byte[] text = out.toByteArray();
        rendered.set(new Rendered(snapshot, now, text));
        return text;
    }

    /** The text format's content type. */
    public static String contentType() {
        return TEXT.getContentType();
    }

    @Override
    public MetricSnapshots collect() {
        return collect(latest.get(), gpus);
    }

    private MetricSnapshots collect(Snapshot snapshot, List<GpuInfo> gpus) {
        MetricSnapshots.Builder result = MetricSnapshots.builder();
        if (snapshot == null) {
            return result.build();
        }
        for (Field field : FIELDS) {
            GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(field.name()).help(field.help());
            boolean any = false;
            for (GpuReading reading : snapshot.gpus()) {
                double value = field.value().applyAsDouble(reading);
                GpuInfo info = info(gpus, reading.index());
                if (Double.isNaN(value) || info == null) {
                    continue; // dcgm-exporter leaves out a field a GPU does not report
                }
                gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).labels(labels(info)).build());
                any = true;
            }
            if (any) {
                result.metricSnapshot(gauge.build());
            }
        }
        return result.build();
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
