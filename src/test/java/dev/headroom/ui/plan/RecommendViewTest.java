package dev.headroom.ui.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.planner.Candidate;
import dev.headroom.settings.SettingsStore;
import dev.headroom.ui.ShellViewModel;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
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

/** Plan's "Recommend" tab on a real background thread: the search, the table, making a candidate the plan. */
@ExtendWith(ApplicationExtension.class)
class RecommendViewTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();

    @TempDir
    static Path folder;

    private SettingsStore store;
    private ExecutorService background;
    private PlanWorkspace workspace;

    @Start
    void start(Stage stage) {
        store = new SettingsStore(folder.resolve("settings-" + System.nanoTime() + ".json"));
        background = Executors.newSingleThreadExecutor();
        workspace = new PlanWorkspace(new ShellViewModel(CATALOG, store, store.load()), background);
        stage.setScene(new Scene((PlanView) workspace.view(), 1280, 800));
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

    @Test
    @SuppressWarnings("unchecked")
    void aSearchFillsTheTableAndARowBecomesThePlan(FxRobot robot) throws Exception {
        robot.interact(() -> {
            workspace.serving().rateProperty().set("4");
            workspace.serving().requestsProperty().set("300");
        });
        set(robot, "#recommend-gpus", "h100-sxm,l40s");
        set(robot, "#recommend-max-gpus", "8");
        javafx.scene.control.Button run = robot.lookup("#recommend-run").queryAs(javafx.scene.control.Button.class);
        robot.interact(run::fire);
        RecommendViewModel vm = workspace.recommend();
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();

        TableView<Candidate> table = robot.lookup("#recommend-table").queryAs(TableView.class);
        assertThat(table.getItems()).isNotEmpty();
        assertThat(robot.lookup("#recommend-status").queryAs(Label.class).getText()).contains("configurations screened");
        assertThat(robot.lookup("#recommend-chart").queryAs(ChartViewer.class).getChart()).isNotNull();
        Candidate pick = table.getItems().get(table.getItems().size() - 1);
        robot.interact(() -> table.getSelectionModel().select(pick));
        WaitForAsyncUtils.waitForFxEvents();

        PlanViewModel plan = workspace.model();
        assertThat(plan.gpuIdProperty().get()).isEqualTo(pick.gpu());
        assertThat(plan.tensorParallelProperty().get()).isEqualTo(String.valueOf(pick.tp()));
        assertThat(plan.weightsProperty().get().label()).isEqualTo(pick.weights());
        assertThat(workspace.serving().replicasProperty().get()).isEqualTo(String.valueOf(pick.replicas()));
        assertThat(robot.lookup("#recommend-launch").queryAs(Label.class).getText()).startsWith("vllm serve ")
                .contains("--tensor-parallel-size " + pick.tp());
    }

    @Test
    void badSearchInputIsSaidAndNothingRuns(FxRobot robot) throws Exception {
        set(robot, "#recommend-budget", "lots");
        javafx.scene.control.Button run = robot.lookup("#recommend-run").queryAs(javafx.scene.control.Button.class);
        robot.interact(run::fire);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(robot.lookup("#recommend-problems").queryAs(Label.class).getText())
                .contains("budget-usd-month = lots: must be a number");
        assertThat(workspace.recommend().resultProperty().get()).isNull();
    }
}
