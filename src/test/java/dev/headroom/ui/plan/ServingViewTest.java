package dev.headroom.ui.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.report.Report;
import dev.headroom.settings.SettingsStore;
import dev.headroom.ui.ShellViewModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.jfree.chart.fx.ChartViewer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Plan's "Load & targets" step and "Serving" tab on a real background thread: the run fills the tab while the FX
 * thread stays free, Cancel stops it, bad input is marked, and the report gains the serving section.
 */
@ExtendWith(ApplicationExtension.class)
class ServingViewTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();

    @TempDir
    static Path folder;

    private SettingsStore store;
    private ExecutorService background;
    private PlanWorkspace workspace;
    private PlanView view;

    @Start
    void start(Stage stage) {
        store = new SettingsStore(folder.resolve("settings-" + System.nanoTime() + ".json"));
        background = Executors.newSingleThreadExecutor();
        workspace = new PlanWorkspace(new ShellViewModel(CATALOG, store, store.load()), background);
        view = (PlanView) workspace.view();
        stage.setScene(new Scene(view, 1280, 800));
        stage.show();
    }

    @AfterEach
    void stop() {
        background.shutdownNow();
        store.close();
    }

    private void set(FxRobot robot, String id, String text) {
        javafx.scene.control.TextField field = robot.lookup(id).queryAs(javafx.scene.control.TextField.class);
        robot.interact(() -> field.setText(text));
    }

    /** The step's button sits below the fold at 800 px; firing it is what a click after scrolling does. */
    private void fire(FxRobot robot, String id) {
        javafx.scene.control.Button button = robot.lookup(id).queryAs(javafx.scene.control.Button.class);
        robot.interact(button::fire);
    }

    private void waitUntilIdle(FxRobot robot) throws Exception {
        ServingViewModel serving = workspace.serving();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !serving.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void aRunFillsTheServingTabWithTheVerdictTheTableAndTheCharts(FxRobot robot) throws Exception {
        robot.clickOn("#step-5");
        set(robot, "#serving-rate", "4");
        set(robot, "#serving-requests", "400");
        set(robot, "#serving-ttft-slo", "3s");
        fire(robot, "#serving-simulate-step");
        waitUntilIdle(robot);

        TabPane tabs = robot.lookup("#plan-results-tabs").queryAs(TabPane.class);
        assertThat(tabs.getSelectionModel().getSelectedItem().getText()).isEqualTo("Serving");
        Label verdict = robot.lookup("#serving-verdict").queryAs(Label.class);
        assertThat(verdict.getText()).containsAnyOf("Meets the SLOs", "Misses the SLOs", "Unstable");
        assertThat(robot.lookup("#serving-status").queryAs(Label.class).getText()).contains("requests simulated");
        assertThat(robot.lookup("#serving-latency-table").queryAs(javafx.scene.layout.GridPane.class)
                .getChildren()).hasSizeGreaterThan(12);
        for (String chart : new String[] {"#serving-chart-cdf", "#serving-chart-latency-time", "#serving-chart-queue"}) {
            assertThat(robot.lookup(chart).queryAs(ChartViewer.class).getChart()).as(chart).isNotNull();
        }
        assertThat(workspace.serving().resultProperty().get().requests()).isEqualTo(400);

        // The plan report now has the serving section, with its charts.
        Path report = folder.resolve("serving-report.md");
        robot.interact(() -> view.exportReport(Report.Format.MD, report));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> Files.exists(report));
        String text = Files.readString(report);
        assertThat(text).contains("## Serving under load", "Time to first token", "serving-latency-cdf");
    }

    @Test
    void badLoadIsMarkedWithTheFieldTheValueAndTheRangeAndNothingRuns(FxRobot robot) throws Exception {
        robot.clickOn("#step-5");
        set(robot, "#serving-rate", "0");
        set(robot, "#serving-tpot-slo", "0");
        fire(robot, "#serving-simulate-step");
        waitUntilIdle(robot);

        Label problems = robot.lookup("#serving-problems").queryAs(Label.class);
        assertThat(problems.getText()).contains("rate = 0: must be above 0", "tpot-slo = 0: must be between 1ms and 1h");
        assertThat(workspace.serving().fieldProblems()).containsKeys("rate", "tpot-slo");
        assertThat(workspace.serving().resultProperty().get()).isNull();
    }

    @Test
    void cancelStopsALongRunAndKeepsThePartialFigures(FxRobot robot) throws Exception {
        robot.clickOn("#step-5");
        set(robot, "#serving-rate", "5");
        set(robot, "#serving-requests", "50000000");
        fire(robot, "#serving-simulate-step");
        ServingViewModel serving = workspace.serving();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> serving.resultProperty().get() != null);
        fire(robot, "#serving-cancel");
        waitUntilIdle(robot);

        assertThat(serving.statusProperty().get()).startsWith("Cancelled");
        assertThat(serving.progressProperty().get()).isLessThan(1.0);
        assertThat(serving.resultProperty().get().requests()).isPositive().isLessThan(50_000_000);
    }
}
