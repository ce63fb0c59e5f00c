package dev.headroom.telemetry;

import java.util.Arrays;

/**
 * The last hours of every metric of every GPU, in ring buffers of primitives bounded by time: 8 GPUs x 20
 * metrics x 24 h at 1 s is 8 x 20 x 86,400 floats, 55 MB. Charts ask for a time range downsampled to the
 * pixels they have (min, max and mean per bucket), never for the raw points.
 */
public final class History {
    private final int capacity;
    private final long[] times;
    private final float[][][] values; // [gpu][metric][slot], NaN where the metric had no value
    private int head; // next slot to write
    private int size;

    /** @param retentionMillis how far back to keep, at one snapshot per {@code intervalMillis} */
    public History(int gpus, long retentionMillis, long intervalMillis) {
        this.capacity = (int) Math.max(2, retentionMillis / Math.max(1, intervalMillis));
        this.times = new long[capacity];
        this.values = new float[gpus][Metric.all().length][capacity];
    }

    private History(int capacity, float[][][] values) {
        this.capacity = capacity;
        this.times = new long[capacity];
        this.values = values;
    }

    public int gpus() {
        return values.length;
    }

    /**
     * The same history with room for {@code gpus} GPUs (a fleet's new host), the known GPUs' past kept and the
     * new ones empty before now.
     */
    public synchronized History widened(int gpus) {
        // The known GPUs' rows are shared, not copied (24 h of them is tens of MB): the caller drops this instance
        // for the copy at once, and a float is written whole, so a chart still reading the old one sees old or new.
        float[][][] wider = java.util.Arrays.copyOf(values, Math.max(gpus, values.length));
        for (int g = values.length; g < wider.length; g++) {
            wider[g] = new float[Metric.all().length][capacity];
            for (float[] row : wider[g]) {
                java.util.Arrays.fill(row, Float.NaN);
            }
        }
        History copy = new History(capacity, wider);
        System.arraycopy(times, 0, copy.times, 0, capacity);
        copy.head = head;
        copy.size = size;
        return copy;
    }

    public int capacity() {
        return capacity;
    }

    public synchronized int size() {
        return size;
    }

    public synchronized void add(Snapshot snapshot) {
        times[head] = snapshot.epochMillis();
        for (int g = 0; g < values.length; g++) {
            GpuReading reading = g < snapshot.gpus().size() ? snapshot.gpus().get(g) : null;
            for (Metric metric : Metric.all()) {
                values[g][metric.ordinal()][head] = reading != null && reading.has(metric)
                        ? (float) reading.value(metric) : Float.NaN;
            }
        }
        head = (head + 1) % capacity;
        size = Math.min(size + 1, capacity);
    }

    public synchronized long oldestMillis() {
        return size == 0 ? 0 : times[slot(0)];
    }

    public synchronized long newestMillis() {
        return size == 0 ? 0 : times[slot(size - 1)];
    }

    /** The i-th oldest stored slot. */
    private int slot(int i) {
        return (head - size + i + capacity) % capacity;
    }

    /** One downsampled series: per bucket its start time and the min, max and mean of the values in it. */
    public record Series(long[] bucketStartMillis, double[] min, double[] max, double[] mean) {
        public int length() {
            return bucketStartMillis.length;
        }
    }

    /**
     * Values of one metric of one GPU in [from, to], in at most {@code buckets} equal time buckets. Empty buckets
     * and buckets with no value are NaN, so a gap shows as a gap.
     */
    public synchronized Series query(int gpu, Metric metric, long fromMillis, long toMillis, int buckets) {
        buckets = Math.max(1, buckets);
        double width = Math.max(1.0, (toMillis - fromMillis) / (double) buckets);
        long[] starts = new long[buckets];
        double[] min = new double[buckets];
        double[] max = new double[buckets];
        double[] sum = new double[buckets];
        int[] count = new int[buckets];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int b = 0; b < buckets; b++) {
            starts[b] = fromMillis + (long) (b * width);
        }
        float[] series = values[gpu][metric.ordinal()];
        int first = firstAtOrAfter(fromMillis);
        for (int i = first; i < size; i++) {
            int s = slot(i);
            long t = times[s];
            if (t > toMillis) {
                break;
            }
            float v = series[s];
            if (Float.isNaN(v)) {
                continue;
            }
            int b = (int) Math.min(buckets - 1, (t - fromMillis) / width);
            min[b] = Math.min(min[b], v);
            max[b] = Math.max(max[b], v);
            sum[b] += v;
            count[b]++;
        }
        double[] mean = new double[buckets];
        for (int b = 0; b < buckets; b++) {
            if (count[b] == 0) {
                min[b] = max[b] = mean[b] = Double.NaN;
            } else {
                mean[b] = sum[b] / count[b];
            }
        }
        return new Series(starts, min, max, mean);
    }

    /** Binary search over the ring, which is sorted by time from oldest to newest. */
    private int firstAtOrAfter(long millis) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (times[slot(mid)] < millis) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The newest value of a metric, or NaN. */
    public synchronized double latest(int gpu, Metric metric) {
        return size == 0 ? Double.NaN : values[gpu][metric.ordinal()][slot(size - 1)];
    }
}
