package dev.headroom.ui.costs;

import dev.headroom.ui.ShellViewModel;
import javafx.scene.Node;

/** Costs: owned vs rented, consumer vs data-center. Follows the plan the Plan workspace holds, when there is one. */
public final class CostsWorkspace {
    private final CostsViewModel model;
    private final CostsView view;

    public CostsWorkspace(ShellViewModel shell, java.util.concurrent.Executor background) {
        model = new CostsViewModel(shell.catalog());
        model.planProperty().bind(shell.currentPlanProperty());
        view = new CostsView(model, viewer -> dev.headroom.ui.common.ChartExportMenu.install(viewer,
                model::footnote, background, shell::setStatus));
    }

    public Node view() {
        return view;
    }

    public CostsViewModel model() {
        return model;
    }
}
