package dev.headroom.ui.costs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.cost.BuyerComparison;
import dev.headroom.cost.CostOption;
import dev.headroom.settings.SettingsStore;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.WeightFormat;
import dev.headroom.sizing.Workload;
import dev.headroom.ui.ShellViewModel;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.jfree.chart.annotations.XYAnnotation;
import org.jfree.chart.annotations.XYPointerAnnotation;
import org.jfree.chart.fx.ChartViewer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Drives the real Costs view: assumptions, the owned-vs-cloud chart and table, bad input, and the plan link. */
@ExtendWith(ApplicationExtension.class)
class CostsViewTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();

    @TempDir
    static Path folder;

    private ShellViewModel shell;
    private CostsViewModel vm;

    @Start
    void start(Stage stage) {
        SettingsStore store = new SettingsStore(folder.resolve("settings-" + System.nanoTime() + ".json"));
        shell = new ShellViewModel(CATALOG, store, store.load());
        CostsWorkspace workspace = new CostsWorkspace(shell, Runnable::run);
        vm = workspace.model();
        stage.setScene(new Scene((javafx.scene.Parent) workspace.view(), 1280, 800));
        stage.show();
    }

    /** Issue 21: every control of every Costs tab has a name a screen reader says. */
    @Test
    void everyControlOfEveryTabHasAName(FxRobot robot) {
        javafx.scene.control.TabPane tabs = robot.lookup("#costs-tabs").queryAs(javafx.scene.control.TabPane.class);
        java.util.List<String> unnamed = new java.util.ArrayList<>();
        for (javafx.scene.control.Tab tab : tabs.getTabs()) {
            robot.interact(() -> tabs.getSelectionModel().select(tab));
            WaitForAsyncUtils.waitForFxEvents();
            robot.interact(() -> dev.headroom.ui.ScreenReaderNames.unnamed((javafx.scene.Parent) tabs.getScene().getRoot())
                    .forEach(u -> unnamed.add(u + " (tab " + tab.getText() + ")")));
        }
        assertThat(unnamed.stream().distinct().toList()).as("controls without a name").isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void electricityPriceMovesTheBreakEvenAndTheChartMarksTheCrossover(FxRobot robot) {
        robot.interact(() -> robot.lookup("#costs-count").queryAs(TextField.class).setText("8"));
        TableView<CostOption.Versus> offers = robot.lookup("#costs-offers").queryAs(TableView.class);
        CostOption.Versus before = offers.getItems().stream().filter(v -> v.breakEvenMonth() != null).findFirst()
                .orElseThrow();
        assertThat(crossoverLabels(robot)).contains("break-even vs " + before.provider() + " " + before.pricing()
                + ": month " + before.breakEvenMonth());

        robot.doubleClickOn("#costs-electricity").eraseText(10).write("0.30");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.valueProperty("electricity").get()).isEqualTo("0.30");
        CostOption.Versus after = offers.getItems().stream().filter(v -> v.offer().equals(before.offer()))
                .findFirst().orElseThrow();
        // Dearer power raises owned opex only, so owning catches up later (or not within the horizon).
        assertThat(after.breakEvenMonth() == null || after.breakEvenMonth() > before.breakEvenMonth()).isTrue();
        assertThat(crossoverLabels(robot)).doesNotContain("break-even vs " + before.provider() + " "
                + before.pricing() + ": month " + before.breakEvenMonth());
        if (after.breakEvenMonth() != null) {
            assertThat(crossoverLabels(robot)).contains("break-even vs " + after.provider() + " " + after.pricing()
                    + ": month " + after.breakEvenMonth());
        }
    }

    @Test
    void badInputNamesTheFieldValueAndRangeAndResetRestoresTheSourcedDefaults(FxRobot robot) {
        robot.doubleClickOn("#costs-electricity").eraseText(10).write("9");
        WaitForAsyncUtils.waitForFxEvents();
        Label problems = robot.lookup("#costs-problems").queryAs(Label.class);
        assertThat(problems.getText()).isEqualTo("electricity = 9: must be between 0 and 5");
        assertThat(vm.getOption()).isNull();
        assertThat(robot.lookup("#costs-summary").queryAs(Label.class).getText()).contains("Fix the marked fields");

        robot.interact(() -> robot.lookup("#costs-pue").queryAs(TextField.class).setText("x"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(problems.getText()).contains("pue = x: not a number");

        robot.clickOn("#costs-reset");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(problems.getText()).isEmpty();
        assertThat(vm.valueProperty("electricity").get()).isEqualTo("0.0826");
        assertThat(vm.valueProperty("pue").get()).isEqualTo("1.25");
        assertThat(vm.getOption()).isNotNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void followsThePlanAndComparesConsumerWithDataCenterGpus(FxRobot robot) {
        Scenario plan = new Scenario(Scenario.ModelSpec.catalog("llama-3.1-8b"), Workload.INFERENCE, null,
                new Scenario.Precision(WeightFormat.BF16, null, null, null), new Scenario.Shape(8, 2048, 512), null,
                null, new Scenario.Hardware("l40s", 1), null, null, null);
        robot.interact(() -> shell.currentPlanProperty().set(plan));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.gpuProperty().get().id()).isEqualTo("l40s");
        assertThat(vm.countProperty().get()).isEqualTo("1");
        assertThat(Double.parseDouble(vm.tokensPerSecondProperty().get())).isPositive();
        assertThat(vm.getOption().costPerMillionTokensUsd()).isPositive();

        TableView<BuyerComparison.Row> buyers = robot.lookup("#costs-buyers").queryAs(TableView.class);
        List<String> classes = buyers.getItems().stream().map(BuyerComparison.Row::gpuClass).distinct().toList();
        assertThat(classes).contains("consumer", "data-center");
        BuyerComparison.Row geforce = buyers.getItems().stream().filter(r -> r.gpu().equals("rtx-4090")).findFirst()
                .orElseThrow();
        assertThat(String.join(";", geforce.caveats())).contains("GeForce driver licence");
        ChartViewer perMillion = robot.lookup("#costs-chart-per-million").queryAs(ChartViewer.class);
        assertThat(perMillion.getChart().getCategoryPlot().getDataset().getColumnCount())
                .isGreaterThanOrEqualTo(buyers.getItems().size());
        assertThat(robot.lookup("#costs-chart-tornado").queryAs(ChartViewer.class).getChart()).isNotNull();
    }

    private static List<String> crossoverLabels(FxRobot robot) {
        ChartViewer chart = robot.lookup("#costs-chart-cumulative").queryAs(ChartViewer.class);
        List<XYAnnotation> annotations = chart.getChart().getXYPlot().getAnnotations();
        return annotations.stream().filter(a -> a instanceof XYPointerAnnotation)
                .map(a -> ((XYPointerAnnotation) a).getText()).toList();
    }

    /** A Mac Studio is priced whole: picking it puts the server multiple at 1, and a typed value is kept. */
    @Test
    void aUnifiedMachineTakesNoServerMultiple(FxRobot robot) {
        robot.interact(() -> {
            vm.countProperty().set("1");
            vm.gpuProperty().set(CATALOG.requireGpu("apple-m3-ultra-512gb"));
        });
        assertThat(vm.valueProperty("server-overhead").get()).isEqualTo("1");
        assertThat(vm.getOption().capexUsd()).isEqualTo(9_499.0);
        robot.interact(() -> vm.gpuProperty().set(CATALOG.requireGpu("h100-sxm")));
        assertThat(vm.valueProperty("server-overhead").get()).isEqualTo("1.64");
        robot.interact(() -> {
            vm.valueProperty("server-overhead").set("2");
            vm.gpuProperty().set(CATALOG.requireGpu("dgx-spark"));
        });
        assertThat(vm.valueProperty("server-overhead").get()).isEqualTo("2");
    }
}
