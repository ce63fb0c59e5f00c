package dev.headroom.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {

    static Snapshot tick(long millis, double... utilization) {
        List<GpuReading> gpus = new java.util.ArrayList<>();
        for (int g = 0; g < utilization.length; g++) {
            double[] values = new double[Metric.all().length];
            MetricStatus[] status = new MetricStatus[Metric.all().length];
            Arrays.fill(values, Double.NaN);
            Arrays.fill(status, MetricStatus.NOT_SUPPORTED);
            values[Metric.UTILIZATION_GPU.ordinal()] = utilization[g];
            status[Metric.UTILIZATION_GPU.ordinal()] = MetricStatus.OK;
            gpus.add(new GpuReading(g, MetricStatus.OK, values, status, 0, null));
        }
        return new Snapshot(millis, "test", false, gpus);
    }

    @Test
    void keepsOnlyTheRetentionWindow() {
        History history = new History(1, 10_000, 1_000); // 10 slots
        for (int i = 0; i < 25; i++) {
            history.add(tick(i * 1000L, i));
        }
        assertThat(history.size()).isEqualTo(10);
        assertThat(history.oldestMillis()).isEqualTo(15_000);
        assertThat(history.newestMillis()).isEqualTo(24_000);
        assertThat(history.latest(0, Metric.UTILIZATION_GPU)).isEqualTo(24);
    }

    @Test
    void downsamplesToMinMaxAndMeanPerBucket() {
        History history = new History(2, 3_600_000, 1_000);
        for (int i = 0; i < 100; i++) {
            history.add(tick(i * 1000L, i, 100 - i));
        }
        History.Series series = history.query(0, Metric.UTILIZATION_GPU, 0, 99_999, 10);
        assertThat(series.length()).isEqualTo(10);
        assertThat(series.min()[0]).isEqualTo(0);
        assertThat(series.max()[0]).isEqualTo(9);
        assertThat(series.mean()[0]).isEqualTo(4.5);
        assertThat(series.min()[9]).isEqualTo(90);
        assertThat(history.query(1, Metric.UTILIZATION_GPU, 0, 99_999, 10).max()[0]).isEqualTo(100);
    }

    @Test
    void aMetricWithoutValuesAndAnEmptyRangeAreGapsNotZeros() {
        History history = new History(1, 60_000, 1_000);
        history.add(tick(1000, 50));
        assertThat(history.query(0, Metric.TEMPERATURE, 0, 2000, 2).mean()).containsOnly(Double.NaN);
        assertThat(history.query(0, Metric.UTILIZATION_GPU, 5000, 9000, 4).mean()).containsOnly(Double.NaN);
    }

    @Test
    void aWidenedHistoryKeepsThePastAndTheNewGpuStartsEmpty() {
        History history = new History(1, 10_000, 1_000);
        history.add(tick(1_000, 40));
        history.add(tick(2_000, 50));
        History wider = history.widened(2); // a fleet's host joined
        assertThat(wider.gpus()).isEqualTo(2);
        assertThat(wider.size()).isEqualTo(2);
        assertThat(wider.latest(0, Metric.UTILIZATION_GPU)).isEqualTo(50);
        assertThat(wider.latest(1, Metric.UTILIZATION_GPU)).isNaN();
        wider.add(tick(3_000, 60, 70));
        assertThat(wider.latest(1, Metric.UTILIZATION_GPU)).isEqualTo(70);
        assertThat(wider.newestMillis()).isEqualTo(3_000);
        assertThat(wider.oldestMillis()).isEqualTo(1_000);
    }
}
