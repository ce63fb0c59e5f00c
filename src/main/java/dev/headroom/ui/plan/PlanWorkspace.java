package dev.headroom.ui.plan;

import dev.headroom.sizing.SizingEngine;
import dev.headroom.ui.ShellViewModel;
import java.util.concurrent.Executor;
import javafx.scene.Node;

/** Plan: the sizing wizard. Builds the view model and the view, and registers the unsaved-plan guard. */
public final class PlanWorkspace {
    private final PlanViewModel model;
    private final ServingViewModel serving;
    private final RecommendViewModel recommend;
    private final PlanView view;

    public PlanWorkspace(ShellViewModel shell, Executor background) {
        model = new PlanViewModel(shell.catalog(), new SizingEngine(shell.catalog()));
        serving = new ServingViewModel(new dev.headroom.serving.Simulation(shell.catalog()));
        recommend = new RecommendViewModel(shell.catalog());
        view = new PlanView(model, serving, recommend, shell, background);
        shell.addCloseGuard(view::confirmDiscardChanges);
        model.estimateProperty().addListener((obs, old, estimate) -> {
            if (estimate != null) {
                shell.currentPlanProperty().set(model.currentScenario()); // Costs follows the plan while it is valid
            }
        });
        if (model.getEstimate() != null) {
            shell.currentPlanProperty().set(model.currentScenario());
        }
    }

    public Node view() {
        return view;
    }

    public PlanViewModel model() {
        return model;
    }

    public ServingViewModel serving() {
        return serving;
    }

    public RecommendViewModel recommend() {
        return recommend;
    }
}
