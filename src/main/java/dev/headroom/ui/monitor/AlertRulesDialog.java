package dev.headroom.ui.monitor;

import dev.headroom.telemetry.AlertRule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;

/** Edits the alert rules: on or off, threshold and duration; saved beside the settings. */
final class AlertRulesDialog extends Dialog<Void> {

    AlertRulesDialog(MonitorViewModel vm) {
        setTitle("Alert rules");
        setHeaderText("When should Headroom raise an alert?");
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(6);
        grid.addRow(0, new Label("On"), new Label("Rule"), new Label("Threshold"), new Label("For (s)"));
        List<AlertRule> rules = vm.rules();
        List<SimpleBooleanProperty> enabled = new ArrayList<>();
        List<SimpleStringProperty> thresholds = new ArrayList<>();
        List<SimpleStringProperty> durations = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            AlertRule rule = rules.get(i);
            CheckBox on = new CheckBox();
            on.setSelected(rule.enabled());
            TextField threshold = new TextField(Double.toString(rule.threshold()));
            threshold.setPrefColumnCount(6);
            TextField duration = new TextField(Integer.toString(rule.durationSeconds()));
            duration.setPrefColumnCount(4);
            grid.addRow(i + 1, on, new Label(rule.name()), threshold, duration);
            SimpleBooleanProperty e = new SimpleBooleanProperty();
            e.bind(on.selectedProperty());
            enabled.add(e);
            SimpleStringProperty t = new SimpleStringProperty();
            t.bind(threshold.textProperty());
            thresholds.add(t);
            SimpleStringProperty d = new SimpleStringProperty();
            d.bind(duration.textProperty());
            durations.add(d);
        }
        Label problem = new Label();
        problem.getStyleClass().add("text-danger");
        grid.add(problem, 0, rules.size() + 1, 4, 1);
        getDialogPane().setContent(grid);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        getDialogPane().lookupButton(ButtonType.OK).addEventFilter(javafx.event.ActionEvent.ACTION, event -> {
            List<AlertRule> updated = new ArrayList<>();
            try {
                for (int i = 0; i < rules.size(); i++) {
                    AlertRule r = rules.get(i);
                    double threshold = Double.parseDouble(thresholds.get(i).get().trim());
                    int duration = Integer.parseInt(durations.get(i).get().trim());
                    if (duration < 0) {
                        throw new NumberFormatException("duration = " + duration + ": must be 0 or more seconds");
                    }
                    updated.add(new AlertRule(r.id(), r.name(), r.condition(), r.metric(), r.comparison(), threshold,
                            duration, r.severity(), enabled.get(i).get()));
                }
                vm.setRules(updated);
            } catch (NumberFormatException | IOException e) {
                problem.setText("Not saved: " + e.getMessage());
                event.consume();
            }
        });
    }
}
