package dev.headroom.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertEngineTest {
    private static final GpuInfo H100 = new GpuInfo(0, "H100", null, null, 80L << 30, 200.0, 700.0, 87, 92, 85, 1980,
            2619, 0, 5, 16, true, false);

    private static Snapshot reading(long millis, double temperature, double memoryShare, double power, long throttle,
                                    double uncorrected) {
        double[] values = new double[Metric.all().length];
        MetricStatus[] status = new MetricStatus[Metric.all().length];
        Arrays.fill(values, Double.NaN);
        Arrays.fill(status, MetricStatus.NOT_SUPPORTED);
        put(values, status, Metric.TEMPERATURE, temperature);
        put(values, status, Metric.MEMORY_TOTAL, 80L << 30);
        put(values, status, Metric.MEMORY_USED, memoryShare * (80L << 30));
        put(values, status, Metric.POWER, power);
        put(values, status, Metric.POWER_LIMIT, 700);
        put(values, status, Metric.ECC_UNCORRECTED, uncorrected);
        return new Snapshot(millis, "test", false, List.of(new GpuReading(0, MetricStatus.OK, values, status, throttle, null)));
    }

    private static void put(double[] values, MetricStatus[] status, Metric metric, double value) {
        values[metric.ordinal()] = value;
        status[metric.ordinal()] = MetricStatus.OK;
    }

    @Test
    void temperatureNearSlowdownFiresAfterItsDurationAndClears() {
        AlertEngine engine = new AlertEngine(AlertRule.defaults(), List.of(H100));
        assertThat(engine.evaluate(reading(0, 83, 0.5, 300, 0, 0))).isEmpty(); // within 5 °C of 87, just started
        assertThat(engine.evaluate(reading(5_000, 84, 0.5, 300, 0, 0))).isEmpty();
        List<AlertEvent> fired = engine.evaluate(reading(10_000, 84, 0.5, 300, 0, 0));
        assertThat(fired).singleElement().satisfies(e -> {
            assertThat(e.ruleId()).isEqualTo("temperature-near-slowdown");
            assertThat(e.raised()).isTrue();
            assertThat(e.detail()).contains("84 °C").contains("87");
        });
        assertThat(engine.evaluate(reading(11_000, 85, 0.5, 300, 0, 0))).isEmpty(); // no repeat while it holds
        assertThat(engine.evaluate(reading(12_000, 70, 0.5, 300, 0, 0))).singleElement()
                .satisfies(e -> assertThat(e.raised()).isFalse());
    }

    @Test
    void powerAtTheLimitCountsOnlyWhenAPowerReasonThrottles() {
        AlertEngine engine = new AlertEngine(AlertRule.defaults(), List.of(H100));
        for (long t = 0; t <= 20_000; t += 1000) {
            assertThat(engine.evaluate(reading(t, 60, 0.5, 695, 0, 0))).isEmpty();
        }
        AlertEngine capped = new AlertEngine(AlertRule.defaults(), List.of(H100));
        List<AlertEvent> events = new java.util.ArrayList<>();
        for (long t = 0; t <= 10_000; t += 1000) {
            events.addAll(capped.evaluate(reading(t, 60, 0.5, 695, ThrottleReason.SW_POWER_CAP.bit(), 0)));
        }
        assertThat(events).extracting(AlertEvent::ruleId).containsExactly("power-at-limit");
    }

    @Test
    void hardwareSlowdownEccRiseAndALostGpuAreCriticalAtOnce() {
        AlertEngine engine = new AlertEngine(AlertRule.defaults(), List.of(H100));
        engine.evaluate(reading(0, 60, 0.5, 300, 0, 0));
        List<AlertEvent> events = engine.evaluate(reading(1000, 60, 0.5, 300, ThrottleReason.HW_THERMAL.bit(), 2));
        assertThat(events).extracting(AlertEvent::ruleId).containsExactlyInAnyOrder("hardware-slowdown", "ecc-uncorrected");
        assertThat(events).allSatisfy(e -> assertThat(e.severity()).isEqualTo(AlertRule.Severity.CRITICAL));
        List<AlertEvent> lost = engine.evaluate(new Snapshot(2000, "test", false,
                List.of(GpuReading.unavailable(0, MetricStatus.GPU_LOST))));
        assertThat(lost).extracting(AlertEvent::ruleId).contains("gpu-lost");
    }

    @Test
    void memoryAbove95PercentForThirtySeconds() {
        AlertEngine engine = new AlertEngine(AlertRule.defaults(), List.of(H100));
        List<AlertEvent> events = new java.util.ArrayList<>();
        for (long t = 0; t <= 30_000; t += 1000) {
            events.addAll(engine.evaluate(reading(t, 50, 0.97, 300, 0, 0)));
        }
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.ruleId()).isEqualTo("memory-95");
            assertThat(e.epochMillis()).isEqualTo(30_000);
        });
    }
}
