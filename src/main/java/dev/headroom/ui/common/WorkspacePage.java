package dev.headroom.ui.common;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** The frame every workspace page shares: a heading, a one-line purpose, then the page's content. */
public final class WorkspacePage {
    private WorkspacePage() {
    }

    public static VBox of(String title, String purpose, Node... content) {
        Label heading = new Label(title);
        heading.getStyleClass().addAll("title-2", "workspace-title");
        heading.setId("workspace-title");
        Label line = new Label(purpose);
        line.getStyleClass().add("workspace-purpose");
        line.setWrapText(true);
        VBox page = new VBox(8, heading, line);
        page.getChildren().addAll(content);
        page.setPadding(new Insets(24));
        return page;
    }
}
