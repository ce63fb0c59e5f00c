package dev.headroom.ui;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;

/** Which controls a screen reader would announce without a name (issue 21's keyboard checks). FX thread only. */
public final class ScreenReaderNames {
    private ScreenReaderNames() {
    }

    /** Every visible, focusable control under the root with no name: "TextField id in Parent". */
    public static List<String> unnamed(Parent root) {
        List<Control> controls = new ArrayList<>();
        collect(root, controls);
        List<String> unnamed = new ArrayList<>();
        for (Control control : controls) {
            if (spokenName(control, root) == null) {
                unnamed.add(control.getClass().getSimpleName() + " " + control.getId() + " in "
                        + control.getParent().getClass().getSimpleName());
            }
        }
        return unnamed;
    }

    /** What a screen reader says for the control: its accessible text, its own text, or its label's. */
    static String spokenName(Control control, Parent root) {
        if (control.getAccessibleText() != null && !control.getAccessibleText().isBlank()) {
            return control.getAccessibleText();
        }
        if (control instanceof Labeled labeled && labeled.getText() != null && !labeled.getText().isBlank()) {
            return labeled.getText();
        }
        for (Node node : root.lookupAll(".label")) {
            if (node instanceof Label label && label.getLabelFor() == control) {
                return label.getText();
            }
        }
        return null;
    }

    private static void collect(Node node, List<Control> controls) {
        if (!node.isVisible()) {
            return;
        }
        if (node instanceof Control control && control.isFocusTraversable() && !(node instanceof Label)) {
            controls.add(control);
        }
        if (node instanceof Parent parent) {
            for (Node child : parent.getChildrenUnmodifiable()) {
                collect(child, controls);
            }
        }
    }
}
