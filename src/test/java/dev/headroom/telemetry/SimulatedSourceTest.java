package dev.headroom.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SimulatedSourceTest {

    @Test
    void everyReadingSaysSimulated() {
        SimulatedSource source = SimulatedSource.parse("simulated:rtx-4090-inference:3");
        assertThat(source.name()).contains("simulated");
        assertThat(source.open()).hasSize(3).allSatisfy(g -> assertThat(g.name()).contains("(simulated)"));
        assertThat(source.sample(true).simulated()).isTrue();
    }

    @Test
    void aTrainingLoopKeepsTheGpuBusyWithPeriodicDipsAndPowerNearTheCap() {
        SimulatedSource source = new SimulatedSource(SimulatedSource.Preset.H100, SimulatedSource.Workload.TRAINING, 1, 1);
        source.open();
        double busy = 0;
        double minimum = 100;
        double power = 0;
        for (int i = 0; i < 70; i++) {
            GpuReading r = source.sample(false).gpus().get(0);
            busy += r.value(Metric.UTILIZATION_GPU);
            minimum = Math.min(minimum, r.value(Metric.UTILIZATION_GPU));
            power = Math.max(power, r.value(Metric.POWER));
            assertThat(r.value(Metric.POWER)).isLessThanOrEqualTo(r.value(Metric.POWER_LIMIT));
        }
        assertThat(busy / 70).isGreaterThan(85);
        assertThat(minimum).isLessThan(70);
        assertThat(power).isGreaterThan(650);
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        SimulatedSource a = new SimulatedSource(SimulatedSource.Preset.H100, SimulatedSource.Workload.INFERENCE, 1, 9);
        SimulatedSource b = new SimulatedSource(SimulatedSource.Preset.H100, SimulatedSource.Workload.INFERENCE, 1, 9);
        a.open();
        b.open();
        for (int i = 0; i < 20; i++) {
            assertThat(a.sample(false).gpus().get(0).value(Metric.UTILIZATION_GPU))
                    .isEqualTo(b.sample(false).gpus().get(0).value(Metric.UTILIZATION_GPU));
        }
    }
}
