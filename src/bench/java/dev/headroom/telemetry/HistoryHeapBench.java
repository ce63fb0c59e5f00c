package dev.headroom.telemetry;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Heap held by the history of 8 GPUs over 24 h at 1 s (86,400 snapshots), measured after full GCs. Target: under
 * 150 MB. Prints one line; run by {@code mvn -B -Pbench verify}.
 */
public final class HistoryHeapBench {
    private HistoryHeapBench() {
    }

    public static void main(String[] args) {
        long before = usedAfterGc();
        History history = new History(8, 24 * 3_600_000L, 1000);
        SimulatedSource source = new SimulatedSource(SimulatedSource.Preset.H100, SimulatedSource.Workload.TRAINING, 8, 3);
        source.open();
        long start = System.currentTimeMillis() - 86_400_000L;
        for (int i = 0; i < 86_400; i++) {
            Snapshot s = source.sample(false);
            history.add(new Snapshot(start + i * 1000L, s.source(), true, s.gpus()));
        }
        long after = usedAfterGc();
        System.out.printf(Locale.ROOT, "History heap, 8 GPUs x 24 h at 1 s (%,d snapshots kept): %.1f MB%n",
                history.size(), (after - before) / 1e6);
        if (history.latest(7, Metric.POWER) < 0) {
            System.out.println("unreachable; keeps the history alive until here");
        }
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
