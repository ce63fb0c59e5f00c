package dev.headroom.telemetry;

import dev.headroom.common.Format;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A clearly labelled simulation for machines without a GPU: an H100 or an RTX 4090 running a training loop (near
 * full utilization with a dip every step and a longer one at checkpoints, power at the cap, temperature climbing
 * to a plateau) or bursty inference (idle between request bursts, memory held by the KV cache). Deterministic
 * for a seed, so tests can rely on it. Every snapshot says {@code simulated}.
 */
public final class SimulatedSource implements GpuSource {
    /** A GPU model to imitate, with its limits (datasheet and nvidia-smi captures, gpus-and-costs.md §4). */
    public enum Preset {
        H100("NVIDIA H100 80GB HBM3 (simulated)", 80L << 30, 700, 200, 87, 92, 85, 1980, 2619, 0, 5),
        RTX_4090("NVIDIA GeForce RTX 4090 (simulated)", 24L << 30, 450, 150, 90, 98, 88, 2520, 10501, 1, 4);

        final String name;
        final long memoryBytes;
        final double powerLimit;
        final double powerMin;
        final int slowdown;
        final int shutdown;
        final int maxOperating;
        final int smClock;
        final int memClock;
        final int fans;
        final int pcieGeneration;

        Preset(String name, long memoryBytes, double powerLimit, double powerMin, int slowdown, int shutdown,
               int maxOperating, int smClock, int memClock, int fans, int pcieGeneration) {
            this.name = name;
            this.memoryBytes = memoryBytes;
            this.powerLimit = powerLimit;
            this.powerMin = powerMin;
            this.slowdown = slowdown;
            this.shutdown = shutdown;
            this.maxOperating = maxOperating;
            this.smClock = smClock;
            this.memClock = memClock;
            this.fans = fans;
            this.pcieGeneration = pcieGeneration;
        }
    }

    /** The workload whose shape the readings follow. */
    public enum Workload { TRAINING, INFERENCE }

    private final Preset preset;
    private final Workload workload;
    private final int gpus;
    private final Random random;
    private final double[] temperature;
    private final double[] energy;
    private final double[] nvlink;
    private long tick;

    public SimulatedSource(Preset preset, Workload workload, int gpus, long seed) {
        this.preset = preset;
        this.workload = workload;
        this.gpus = gpus;
        this.random = new Random(seed);
        this.temperature = new double[gpus];
        this.energy = new double[gpus];
        this.nvlink = new double[gpus];
        Arrays.fill(temperature, 34);
    }

    /** The presets a spec may name, as "simulated:PRESET". */
    public static final List<String> PRESETS = List.of("h100-training", "h100-inference", "rtx-4090-training",
            "rtx-4090-inference");
    /** Enough for a few simulated nodes; the monitor's table and the exporter stay readable. */
    public static final int MAX_GPUS = 64;

    /** Parses "simulated", "simulated:h100-training", "simulated:rtx-4090-inference[:N]"; anything else is an error. */
    public static SimulatedSource parse(String spec) {
        String[] parts = spec.toLowerCase(Locale.ROOT).split(":", -1);
        if (!parts[0].equals("simulated") || parts.length > 3) {
            throw new IllegalArgumentException("source = " + Format.echo(spec)
                    + ": must be simulated[:PRESET[:GPUS]], PRESET one of " + String.join(", ", PRESETS));
        }
        Preset preset = Preset.H100;
        Workload workload = Workload.TRAINING;
        int count = 2;
        if (parts.length > 1) {
            String kind = parts[1];
            if (!PRESETS.contains(kind)) {
                throw new IllegalArgumentException("source = " + Format.echo(spec) + ": preset '" + Format.echo(kind)
                        + "' is not one of " + String.join(", ", PRESETS));
            }
            preset = kind.startsWith("rtx-4090") ? Preset.RTX_4090 : Preset.H100;
            workload = kind.endsWith("inference") ? Workload.INFERENCE : Workload.TRAINING;
        }
        if (parts.length > 2) {
            String gpus = "source = " + Format.echo(spec) + ": the GPU count must be a whole number between 1 and "
                    + MAX_GPUS;
            try {
                count = Integer.parseInt(parts[2]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(gpus);
            }
            if (count < 1 || count > MAX_GPUS) {
                throw new IllegalArgumentException(gpus);
            }
        }
        return new SimulatedSource(preset, workload, count, 42);
    }

    @Override
    public String name() {
        return "simulated: " + preset.name().toLowerCase(Locale.ROOT).replace('_', '-') + " "
                + workload.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean simulated() {
        return true;
    }

    @Override
    public String versions() {
        return "simulated (no driver)";
    }

    @Override
    public List<GpuInfo> open() {
        List<GpuInfo> infos = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            infos.add(new GpuInfo(i, preset.name, String.format(Locale.ROOT, "GPU-SIMULATED-%04d", i),
                    String.format(Locale.ROOT, "00000000:%02X:00.0", 0x17 + i), preset.memoryBytes, preset.powerMin,
                    preset.powerLimit, preset.slowdown, preset.shutdown, preset.maxOperating, preset.smClock,
                    preset.memClock, preset.fans, preset.pcieGeneration, 16, preset == Preset.H100, false));
        }
        return infos;
    }

    @Override
    public Snapshot sample(boolean withProcesses) {
        List<GpuReading> readings = new ArrayList<>(gpus);
        for (int i = 0; i < gpus; i++) {
            readings.add(read(i, withProcesses));
        }
        tick++;
        return new Snapshot(System.currentTimeMillis(), name(), true, readings);
    }

    private GpuReading read(int gpu, boolean withProcesses) {
        double load = load(gpu);
        double[] values = new double[Metric.all().length];
        MetricStatus[] status = new MetricStatus[Metric.all().length];
        Arrays.fill(status, MetricStatus.OK);
        double memoryShare = workload == Workload.TRAINING ? 0.92 : 0.62;
        double power = preset.powerMin * 0.35 + (preset.powerLimit - preset.powerMin * 0.35) * load
                + random.nextGaussian() * 6;
        power = Math.max(preset.powerMin * 0.3, Math.min(preset.powerLimit, power));
        // First-order thermal response toward a load-dependent plateau.
        double target = 33 + (preset.slowdown - 12 - 33) * load;
        temperature[gpu] += (target - temperature[gpu]) * 0.05 + random.nextGaussian() * 0.3;
        energy[gpu] += power;
        put(values, Metric.UTILIZATION_GPU, Math.round(load * 100));
        put(values, Metric.UTILIZATION_MEMORY, Math.round(load * 55));
        put(values, Metric.MEMORY_TOTAL, preset.memoryBytes);
        put(values, Metric.MEMORY_USED, Math.round(preset.memoryBytes * memoryShare));
        put(values, Metric.MEMORY_RESERVED, 512L << 20);
        put(values, Metric.TEMPERATURE, Math.round(temperature[gpu]));
        put(values, Metric.POWER, Math.round(power * 10) / 10.0);
        put(values, Metric.POWER_LIMIT, preset.powerLimit);
        put(values, Metric.ENERGY, Math.round(energy[gpu]));
        put(values, Metric.CLOCK_SM, load > 0.05 ? preset.smClock - (power >= preset.powerLimit * 0.98 ? 180 : 0) : 345);
        put(values, Metric.CLOCK_MEMORY, preset.memClock);
        put(values, Metric.CLOCK_GRAPHICS, load > 0.05 ? preset.smClock - (power >= preset.powerLimit * 0.98 ? 180 : 0) : 345);
        put(values, Metric.PSTATE, load > 0.05 || preset == Preset.H100 ? 0 : 8);
        put(values, Metric.ECC_CORRECTED, 0);
        put(values, Metric.ECC_UNCORRECTED, 0);
        put(values, Metric.PCIE_TX, Math.round(load * 2.1e9));
        put(values, Metric.PCIE_RX, Math.round(load * 3.4e9));
        put(values, Metric.ENCODER, 0);
        put(values, Metric.DECODER, 0);
        put(values, Metric.MEMORY_TEMPERATURE, Math.round(temperature[gpu] + 6));
        put(values, Metric.PCIE_REPLAYS, 0);
        put(values, Metric.REMAPPED_ROWS_CORRECTABLE, 0);
        put(values, Metric.REMAPPED_ROWS_UNCORRECTABLE, 0);
        put(values, Metric.ROW_REMAP_FAILURE, 0);
        put(values, Metric.XID, 0);
        put(values, Metric.XID_EVENTS, 0);
        put(values, Metric.TEMPERATURE_MARGIN, preset.slowdown - Math.round(temperature[gpu]));
        // GPM-style activity: a transformer's SMs are busy most of a kernel-busy second, its tensor pipes about
        // half of it; the memory interface tracks the memory-controller utilization.
        put(values, Metric.GR_ENGINE_ACTIVE, Math.round(load * 100) / 100.0);
        put(values, Metric.SM_ACTIVE, Math.round(load * 92) / 100.0);
        put(values, Metric.SM_OCCUPANCY, Math.round(load * 41) / 100.0);
        put(values, Metric.TENSOR_ACTIVE, Math.round(load * 48) / 100.0);
        put(values, Metric.DRAM_ACTIVE, Math.round(load * 55) / 100.0);
        nvlink[gpu] += load * 180e9; // bytes per 1 s tick at a tensor-parallel all-reduce's share of 900 GB/s
        put(values, Metric.NVLINK_BYTES, Math.round(nvlink[gpu]));
        if (preset.fans > 0) {
            put(values, Metric.FAN, Math.round(30 + 50 * Math.max(0, (temperature[gpu] - 40) / 40)));
        } else {
            values[Metric.FAN.ordinal()] = Double.NaN;
            status[Metric.FAN.ordinal()] = MetricStatus.NOT_SUPPORTED; // passively cooled
        }
        if (preset != Preset.H100) {
            values[Metric.ECC_CORRECTED.ordinal()] = Double.NaN;
            values[Metric.ECC_UNCORRECTED.ordinal()] = Double.NaN;
            status[Metric.ECC_CORRECTED.ordinal()] = MetricStatus.NOT_SUPPORTED;
            status[Metric.ECC_UNCORRECTED.ordinal()] = MetricStatus.NOT_SUPPORTED;
            // GDDR boards: no HBM temperature sensor and no row remapping (both data-center HBM features).
            // Before Hopper (and on GeForce): no GPM profiling; consumer boards have no NVLink and no XID events.
            for (Metric m : new Metric[]{Metric.MEMORY_TEMPERATURE, Metric.REMAPPED_ROWS_CORRECTABLE,
                    Metric.REMAPPED_ROWS_UNCORRECTABLE, Metric.ROW_REMAP_FAILURE, Metric.GR_ENGINE_ACTIVE,
                    Metric.SM_ACTIVE, Metric.SM_OCCUPANCY, Metric.TENSOR_ACTIVE, Metric.DRAM_ACTIVE,
                    Metric.NVLINK_BYTES, Metric.XID, Metric.XID_EVENTS}) {
                values[m.ordinal()] = Double.NaN;
                status[m.ordinal()] = MetricStatus.NOT_SUPPORTED;
            }
        }
        long throttle = load < 0.05 ? ThrottleReason.GPU_IDLE.bit()
                : power >= preset.powerLimit * 0.98 ? ThrottleReason.SW_POWER_CAP.bit() : 0;
        List<GpuProcess> processes = withProcesses ? List.of(new GpuProcess(4242 + gpu,
                "compute", Math.round(preset.memoryBytes * memoryShare) - (600L << 20),
                workload == Workload.TRAINING ? "python3 train.py" : "vllm serve", "simulated")) : null;
        return new GpuReading(gpu, MetricStatus.OK, values, status, throttle, processes);
    }

    /** Utilization share 0..1 at this tick for this GPU. */
    private double load(int gpu) {
        long t = tick + gpu * 3L;
        if (workload == Workload.TRAINING) {
            if (t % 600 >= 590) {
                return 0.02; // checkpoint: GPUs wait on storage
            }
            double step = t % 7 == 6 ? 0.55 : 0.97; // the optimizer step and data loading dip
            return Math.min(1, Math.max(0, step + random.nextGaussian() * 0.015));
        }
        double wave = 0.5 + 0.5 * Math.sin(t / 45.0);
        boolean burst = random.nextDouble() < 0.15 + 0.6 * wave;
        return burst ? Math.min(1, 0.6 + random.nextDouble() * 0.38) : 0.0;
    }

    private static void put(double[] values, Metric metric, double value) {
        values[metric.ordinal()] = value;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
