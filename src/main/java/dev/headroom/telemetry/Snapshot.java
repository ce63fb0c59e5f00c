package dev.headroom.telemetry;

import java.util.List;

/**
 * Everything one tick read: when, from which source, and one reading per GPU.
 *
 * @param simulated true for the simulation: every view of it must say "simulated"
 */
public record Snapshot(long epochMillis, String source, boolean simulated, List<GpuReading> gpus) {
    public Snapshot {
        gpus = List.copyOf(gpus);
    }
}
