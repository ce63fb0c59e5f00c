package dev.headroom.ui.monitor;

import dev.headroom.telemetry.AlertRulesStore;
import dev.headroom.telemetry.nvml.NvmlSource;
import dev.headroom.ui.ShellViewModel;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import javafx.scene.Node;

/** Monitor: the live GPU dashboard. Starts on the local GPUs; without a driver it offers the alternatives. */
public final class MonitorWorkspace {
    /** History kept on screen: 24 h at one snapshot a second. */
    static final long RETENTION_MILLIS = 24 * 3_600_000L;

    private final MonitorViewModel model;
    private final MonitorView view;

    public MonitorWorkspace(ShellViewModel shell, Executor background, Path settingsFile) {
        model = new MonitorViewModel(shell.catalog(), background, AlertRulesStore.besideSettings(settingsFile),
                RETENTION_MILLIS);
        view = new MonitorView(model);
        view.exportStatus(shell::setStatus);
        model.start(NvmlSource::new, 1000);
    }

    public Node view() {
        return view;
    }

    public MonitorViewModel model() {
        return model;
    }
}
