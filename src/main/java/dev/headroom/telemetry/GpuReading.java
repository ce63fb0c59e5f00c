package dev.headroom.telemetry;

import java.util.Arrays;
import java.util.List;

/**
 * One GPU at one tick. Values are kept in an array indexed by {@link Metric#ordinal()}, each with a status: a
 * metric the GPU did not report has NaN and a status that says why.
 */
public final class GpuReading {
    private final int index;
    private final MetricStatus state;
    private final double[] values;
    private final MetricStatus[] status;
    private final long throttleMask;
    private final List<GpuProcess> processes;
    private final double[] fanSpeeds;
    private final List<MigInstance> migInstances;

    public GpuReading(int index, MetricStatus state, double[] values, MetricStatus[] status, long throttleMask,
                      List<GpuProcess> processes) {
        this(index, state, values, status, throttleMask, processes, null, null);
    }

    /**
     * @param fanSpeeds    every fan's intended speed in %, where the GPU has more than the one {@link Metric#FAN}
     *                     averages; null where there are none or they were not read
     * @param migInstances the GPU instances of a MIG-enabled GPU, else null
     */
    public GpuReading(int index, MetricStatus state, double[] values, MetricStatus[] status, long throttleMask,
                      List<GpuProcess> processes, double[] fanSpeeds, List<MigInstance> migInstances) {
        if (values.length != Metric.all().length || status.length != Metric.all().length) {
            throw new IllegalArgumentException("one value and one status per metric");
        }
        this.index = index;
        this.state = state;
        this.values = values.clone();
        this.status = status.clone();
        this.throttleMask = throttleMask;
        this.processes = processes == null ? null : List.copyOf(processes);
        this.fanSpeeds = fanSpeeds == null ? null : fanSpeeds.clone();
        this.migInstances = migInstances == null ? null : List.copyOf(migInstances);
    }

    /** A GPU that can no longer be read: every metric carries the same status. */
    public static GpuReading unavailable(int index, MetricStatus why) {
        double[] values = new double[Metric.all().length];
        Arrays.fill(values, Double.NaN);
        MetricStatus[] status = new MetricStatus[Metric.all().length];
        Arrays.fill(status, why);
        return new GpuReading(index, why, values, status, 0, List.of());
    }

    public int index() {
        return index;
    }

    /** OK, or GPU_LOST / ERROR for the GPU as a whole. */
    public MetricStatus state() {
        return state;
    }

    public boolean has(Metric metric) {
        return status[metric.ordinal()] == MetricStatus.OK;
    }

    /** The value, or NaN when {@link #status(Metric)} is not OK. */
    public double value(Metric metric) {
        return values[metric.ordinal()];
    }

    public MetricStatus status(Metric metric) {
        return status[metric.ordinal()];
    }

    public long throttleMask() {
        return throttleMask;
    }

    public List<ThrottleReason> throttleReasons() {
        return ThrottleReason.decode(throttleMask);
    }

    /** Processes, or null when this tick did not read them (they refresh at a slower interval). */
    public List<GpuProcess> processes() {
        return processes;
    }

    /** Each fan's speed (%), or null; see the constructor. */
    public double[] fanSpeeds() {
        return fanSpeeds == null ? null : fanSpeeds.clone();
    }

    /** The MIG GPU instances, or null where MIG is off or not read. */
    public List<MigInstance> migInstances() {
        return migInstances;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("GPU ").append(index).append(' ').append(state);
        for (Metric metric : Metric.all()) {
            text.append(' ').append(metric.key()).append('=')
                    .append(has(metric) ? values[metric.ordinal()] : status(metric).name());
        }
        return text.toString();
    }
}
