package dev.headroom.ui.common;

import java.util.function.Function;
import javafx.beans.property.Property;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableMap;
import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.util.Duration;
import javafx.util.StringConverter;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;

/**
 * Form building blocks shared by the workspaces: labelled rows with a tooltip that explains the term, text fields
 * bound to view-model strings, and ControlsFX validation decorations fed by the view model's field problems (the
 * same words the engine and the command line use).
 */
public final class Forms {
    private Forms() {
    }

    /** A two-column grid: labels on the left, controls stretching on the right. */
    public static GridPane grid() {
        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(8);
        grid.setPadding(new Insets(8, 0, 8, 0));
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(150);
        labels.setHalignment(HPos.LEFT);
        ColumnConstraints controls = new ColumnConstraints();
        controls.setHgrow(Priority.ALWAYS);
        controls.setFillWidth(true);
        grid.getColumnConstraints().setAll(labels, controls);
        return grid;
    }

    /** Adds "label: control" as the next row; the tooltip explains the term in one sentence. */
    public static void row(GridPane grid, String label, Node control, String explanation) {
        Label text = new Label(label);
        text.setLabelFor(control);
        text.setMnemonicParsing(true);
        if (control instanceof Control c && c.getAccessibleText() == null) {
            c.setAccessibleText(label.replace("_", ""));
        }
        if (explanation != null) {
            Tooltip tip = tooltip(explanation);
            text.setTooltip(tip);
            if (control instanceof Control c) {
                c.setTooltip(tip);
            }
        }
        int row = grid.getRowCount();
        grid.add(text, 0, row);
        grid.add(control, 1, row);
        if (control instanceof Control c) {
            c.setMaxWidth(Double.MAX_VALUE);
        }
    }

    public static Tooltip tooltip(String text) {
        Tooltip tip = new Tooltip(text);
        tip.setWrapText(true);
        tip.setMaxWidth(420);
        tip.setShowDelay(Duration.millis(300));
        return tip;
    }

    /** A text field bound both ways to a view-model string. */
    public static TextField textField(StringProperty value, String id) {
        TextField field = new TextField();
        field.textProperty().bindBidirectional(value);
        field.setId(id);
        field.setPrefColumnCount(8);
        return field;
    }

    /** A combo box over fixed items, shown through {@code text}, bound both ways to a view-model property. */
    public static <T> ComboBox<T> choice(Property<T> value, java.util.Collection<T> items, Function<T, String> text,
                                         String id) {
        ComboBox<T> box = new ComboBox<>();
        box.getItems().setAll(items);
        box.valueProperty().bindBidirectional(value);
        box.setId(id);
        StringConverter<T> converter = new StringConverter<>() {
            @Override
            public String toString(T item) {
                return item == null ? "" : text.apply(item);
            }

            @Override
            public T fromString(String string) {
                return box.getItems().stream().filter(i -> text.apply(i).equals(string)).findFirst().orElse(null);
            }
        };
        box.setConverter(converter);
        box.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : text.apply(item));
            }
        });
        return box;
    }

    /**
     * Marks {@code control} with the view model's problem for {@code field}, if any. The caller revalidates after
     * each recompute, so the decoration always matches the estimate beside it.
     */
    public static void validate(ValidationSupport support, Control control, ObservableMap<String, String> problems,
                                String... fields) {
        support.registerValidator(control, false, (Control c, Object value) -> {
            for (String field : fields) {
                String message = problems.get(field);
                if (message != null) {
                    return ValidationResult.fromMessages(
                            org.controlsfx.validation.ValidationMessage.error(c, message));
                }
            }
            return new ValidationResult();
        });
    }

    /** Adds "name  value" as the next row of a results grid: the name muted, the value wrapping. */
    public static void figure(GridPane grid, String name, String text) {
        Label label = new Label(name);
        label.getStyleClass().add("text-muted");
        label.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Label value = new Label(text);
        value.setWrapText(true);
        grid.addRow(grid.getRowCount(), label, value);
    }
}
