package dev.headroom.ui.monitor;

import dev.headroom.ui.common.WorkspacePage;
import javafx.scene.Node;

/** Monitor: the live GPU dashboard. Until GPU telemetry lands it states what it will do. */
public final class MonitorWorkspace {

    public Node view() {
        return WorkspacePage.of("Monitor",
                "Watch local GPUs through NVML: utilization, memory, temperature, power, clocks, throttling, processes.");
    }
}
