package dev.headroom.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertRulesStoreTest {
    @TempDir
    Path folder;

    @Test
    void rulesSurviveASaveAndALoad() throws Exception {
        AlertRulesStore store = AlertRulesStore.besideSettings(folder.resolve("settings.json"));
        assertThat(store.load()).isEqualTo(AlertRule.defaults());
        List<AlertRule> rules = new ArrayList<>(AlertRule.defaults());
        rules.add(new AlertRule("util-low", "Utilization below 20 % for 5 minutes", AlertRule.Condition.METRIC,
                Metric.UTILIZATION_GPU, AlertRule.Comparison.BELOW, 20, 300, AlertRule.Severity.INFO, true));
        store.save(rules);
        assertThat(folder.resolve("alert-rules.json")).exists();
        assertThat(new AlertRulesStore(folder.resolve("alert-rules.json")).load()).isEqualTo(rules);
    }

    @Test
    void aBrokenFileGivesTheDefaultsAndSaysWhy() throws Exception {
        Path file = folder.resolve("alert-rules.json");
        Files.writeString(file, "[{\"id\": ");
        AlertRulesStore store = new AlertRulesStore(file);
        assertThat(store.load()).isEqualTo(AlertRule.defaults());
        assertThat(store.lastProblem()).contains(file.toString());
    }
}
