package dev.headroom.ui.plan;

import dev.headroom.catalog.Catalog;
import dev.headroom.ui.common.WorkspacePage;
import javafx.scene.Node;

/** Plan: the sizing wizard. Until the sizing engine lands it states what it will do. */
public final class PlanWorkspace {
    private final Catalog catalog;

    public PlanWorkspace(Catalog catalog) {
        this.catalog = catalog;
    }

    public Node view() {
        return WorkspacePage.of("Plan", String.format(
                "Size a model's memory, GPU count and speed for inference or training, across %d models and %d GPUs.",
                catalog.models().size(), catalog.gpus().size()));
    }
}
