package dev.headroom.ui;

import dev.headroom.catalog.Catalog;
import dev.headroom.common.Version;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** Version, runtime and the date of each catalog file, plus any user-catalog problems that were skipped. */
final class AboutDialog {
    private AboutDialog() {
    }

    static void show(Window owner, Catalog catalog) {
        Alert alert = new Alert(Alert.AlertType.INFORMATION, "", ButtonType.CLOSE);
        alert.initOwner(owner);
        alert.setTitle("About Headroom");
        alert.setHeaderText("Headroom " + Version.current());
        VBox content = new VBox(8, new Label(text(catalog)));
        if (!catalog.warnings().isEmpty()) {
            TextArea warnings = new TextArea(String.join("\n", catalog.warnings()));
            warnings.setEditable(false);
            warnings.setWrapText(true);
            warnings.setPrefRowCount(6);
            content.getChildren().addAll(new Label("User catalog problems (those entries were skipped):"), warnings);
        }
        alert.getDialogPane().setContent(content);
        alert.getDialogPane().setId("about-dialog");
        alert.show();
    }

    static String text(Catalog catalog) {
        StringBuilder text = new StringBuilder("Size LLM hardware, compare its cost, watch its GPUs.\n\n");
        text.append("Java ").append(System.getProperty("java.version")).append(", JavaFX ")
                .append(System.getProperty("javafx.runtime.version", "?")).append("\n\nCatalogs:\n");
        for (Catalog.FileInfo file : catalog.files()) {
            text.append(String.format("  %-18s updated %s, %d entries (%s)%n", file.kind().fileName(), file.updated(),
                    file.entries(), file.origin()));
        }
        return text.toString();
    }
}
