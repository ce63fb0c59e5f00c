package dev.headroom.ui.costs;

import dev.headroom.catalog.Catalog;
import dev.headroom.ui.common.WorkspacePage;
import javafx.scene.Node;

/** Costs: owned vs rented, consumer vs data-center. Until the cost engine lands it states what it will do. */
public final class CostsWorkspace {
    private final Catalog catalog;

    public CostsWorkspace(Catalog catalog) {
        this.catalog = catalog;
    }

    public Node view() {
        return WorkspacePage.of("Costs", String.format(
                "Compare owning and renting GPUs (%d dated cloud offers): cost per GPU-hour, per million tokens, break-even.",
                catalog.offers().size()));
    }
}
