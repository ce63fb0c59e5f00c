package dev.headroom.ui;

import dev.headroom.settings.Settings.Workspace;
import dev.headroom.ui.costs.CostsWorkspace;
import dev.headroom.ui.monitor.MonitorWorkspace;
import dev.headroom.ui.plan.PlanWorkspace;
import java.util.EnumMap;
import java.util.Map;
import javafx.scene.Node;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/** The three workspaces: their titles, icons, and views built once on first visit. */
final class Workspaces {
    private final ShellViewModel shell;
    private final Map<Workspace, Node> views = new EnumMap<>(Workspace.class);

    private final java.util.concurrent.Executor background;

    Workspaces(ShellViewModel shell, java.util.concurrent.Executor background) {
        this.shell = shell;
        this.background = background;
    }

    static String title(Workspace workspace) {
        return switch (workspace) {
            case PLAN -> "Plan";
            case COSTS -> "Costs";
            case MONITOR -> "Monitor";
        };
    }

    static Ikon icon(Workspace workspace) {
        return switch (workspace) {
            case PLAN -> Material2OutlinedAL.ARCHITECTURE;
            case COSTS -> Material2OutlinedAL.ATTACH_MONEY;
            case MONITOR -> Material2OutlinedMZ.SHOW_CHART;
        };
    }

    Node view(Workspace workspace) {
        return views.computeIfAbsent(workspace, this::create);
    }

    private Node create(Workspace workspace) {
        return switch (workspace) {
            case PLAN -> new PlanWorkspace(shell, background).view();
            case COSTS -> new CostsWorkspace(shell, background).view();
            case MONITOR -> new MonitorWorkspace(shell, background, shell.settingsFile()).view();
        };
    }
}
