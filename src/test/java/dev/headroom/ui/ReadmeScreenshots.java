package dev.headroom.ui;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.settings.SettingsStore;
import dev.headroom.sizing.WeightFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Writes the README's screenshots from the real shell: {@code mvn -B test -Dtest=ReadmeScreenshots
 * -Dheadroom.screenshots=assets/screenshots}. Skipped otherwise, so test runs never touch the tree.
 */
@ExtendWith(ApplicationExtension.class)
@EnabledIfSystemProperty(named = "headroom.screenshots", matches = ".+")
class ReadmeScreenshots {
    private static final Catalog CATALOG = new CatalogLoader(null).load();

    @TempDir
    static Path folder;

    private Shell shell;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        shell = Shell.open(stage, CATALOG, new SettingsStore(folder.resolve("settings.json")));
        stage.setX(0);
        stage.setY(0);
        stage.setWidth(1280); // Monocle's headless screen is 1280 x 800
        stage.setHeight(800);
    }

    private void shoot(FxRobot robot, String name) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Path dir = Path.of(System.getProperty("headroom.screenshots"));
        Files.createDirectories(dir);
        final javafx.scene.image.WritableImage[] shot = new javafx.scene.image.WritableImage[1];
        robot.interact(() -> shot[0] = stage.getScene().snapshot(null));
        Path file = dir.resolve(name + ".png");
        ImageIO.write(SwingFXUtils.fromFXImage(shot[0], null), "png", file.toFile());
        org.assertj.core.api.Assertions.assertThat(ImageIO.read(file.toFile()).getWidth()).isEqualTo(1280);
    }

    @Test
    @SuppressWarnings("unchecked")
    void writeScreenshots(FxRobot robot) throws Exception {
        robot.clickOn("#plan-model-search").write("70b");
        robot.clickOn(robot.lookup(".list-cell").nth(2).queryAs(javafx.scene.Node.class));
        shoot(robot, "plan-1-model");
        robot.clickOn("#step-1");
        shoot(robot, "plan-2-workload");
        robot.clickOn("#step-2");
        ComboBox<WeightFormat> weights = robot.lookup("#plan-weights").queryAs(ComboBox.class);
        robot.interact(() -> weights.getSelectionModel().select(WeightFormat.FP8));
        shoot(robot, "plan-3-precision");
        robot.clickOn("#step-3");
        robot.doubleClickOn("#plan-batch").eraseText(3).write("0");
        shoot(robot, "plan-invalid-input");
        robot.doubleClickOn("#plan-batch").eraseText(3).write("40");
        robot.doubleClickOn("#plan-seq").eraseText(6).write("32768");
        robot.doubleClickOn("#plan-output-tokens").eraseText(6).write("1024");
        shoot(robot, "plan-4-batch");
        robot.clickOn("#step-4");
        robot.doubleClickOn("#plan-gpus").eraseText(3).write("8");
        robot.doubleClickOn("#plan-tp").eraseText(3).write("8");
        shoot(robot, "plan-5-hardware");
        // The same plan under load: 5 requests/s of 1-8k prompts, p99 targets of 2 s and 100 ms.
        robot.clickOn("#step-5");
        javafx.scene.control.TextField rate = robot.lookup("#serving-rate").queryAs(javafx.scene.control.TextField.class);
        robot.interact(() -> rate.setText("5"));
        javafx.scene.control.Button simulate = robot.lookup("#serving-simulate-step").queryAs(javafx.scene.control.Button.class);
        robot.interact(simulate::fire);
        javafx.scene.control.Label status = robot.lookup("#serving-status").queryAs(javafx.scene.control.Label.class);
        WaitForAsyncUtils.waitFor(120, java.util.concurrent.TimeUnit.SECONDS,
                () -> status.getText().contains("requests simulated"));
        robot.interact(() -> robot.lookup("#plan-step-pane").queryAs(javafx.scene.control.ScrollPane.class).setVvalue(0));
        shoot(robot, "plan-6-load");
        // The recommender for the same model and load, over every catalog GPU.
        javafx.scene.control.Button recommend = robot.lookup("#recommend-run").queryAs(javafx.scene.control.Button.class);
        robot.interact(recommend::fire);
        javafx.scene.control.Label searched = robot.lookup("#recommend-status").queryAs(javafx.scene.control.Label.class);
        WaitForAsyncUtils.waitFor(180, java.util.concurrent.TimeUnit.SECONDS,
                () -> searched.getText().contains("configurations screened"));
        TabPane tabs = robot.lookup("#plan-results-tabs").queryAs(TabPane.class);
        for (Tab tab : tabs.getTabs().subList(1, tabs.getTabs().size())) {
            robot.interact(() -> tabs.getSelectionModel().select(tab));
            shoot(robot, "plan-tab-" + tab.getText().toLowerCase(java.util.Locale.ROOT));
            if (tab.getText().equals("Serving")) {
                robot.interact(() -> robot.lookup("#serving-scroll").queryAs(javafx.scene.control.ScrollPane.class)
                        .setVvalue(0.55));
                shoot(robot, "plan-tab-serving-charts");
            }
        }

        // Costs follows the plan just made: owned vs cloud, $ per million tokens, sensitivity, consumer vs data-center.
        robot.clickOn("#nav-costs");
        TabPane costTabs = robot.lookup("#costs-tabs").queryAs(TabPane.class);
        for (Tab tab : costTabs.getTabs()) {
            robot.interact(() -> costTabs.getSelectionModel().select(tab));
            shoot(robot, "costs-" + tab.getText().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", ""));
        }

        // The model step's layer pattern beside the KV-per-token chart, on Gemma 3 (5 sliding layers to 1 full)
        // (after Costs, which follows the 70B plan above).
        robot.clickOn("#nav-plan");
        robot.clickOn("#step-3");
        robot.doubleClickOn("#plan-batch").eraseText(3).write("8");
        robot.doubleClickOn("#plan-seq").eraseText(6).write("32000");
        robot.doubleClickOn("#plan-output-tokens").eraseText(6).write("768");
        robot.clickOn("#step-0");
        javafx.scene.control.ListView<dev.headroom.catalog.Model> models =
                robot.lookup("#plan-model-list").queryAs(javafx.scene.control.ListView.class);
        javafx.scene.control.TextField search = robot.lookup("#plan-model-search").queryAs(javafx.scene.control.TextField.class);
        robot.interact(() -> {
            search.clear();
            dev.headroom.catalog.Model gemma = CATALOG.model("gemma-3-27b").orElseThrow();
            models.getSelectionModel().select(gemma);
            models.scrollTo(gemma);
        });
        robot.interact(() -> tabs.getSelectionModel().select(1));
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> {
            javafx.scene.Node kv = robot.lookup("#plan-chart-kv-per-token").query();
            javafx.scene.control.ScrollPane charts = (javafx.scene.control.ScrollPane) tabs.getSelectionModel()
                    .getSelectedItem().getContent();
            double top = kv.getParent().getBoundsInParent().getMinY();
            double scrollable = charts.getContent().getBoundsInLocal().getHeight() - charts.getViewportBounds().getHeight();
            charts.setVvalue(Math.min(1, top / scrollable));
        });
        shoot(robot, "plan-tab-charts-kv-per-token");

        // A 70B that does not fit one RTX 4090, split with llama.cpp's -ngl 40: the hardware step's node and
        // offload rows, and the results' host-memory line.
        robot.interact(() -> tabs.getSelectionModel().select(0));
        robot.interact(() -> {
            search.clear();
            dev.headroom.catalog.Model llama = CATALOG.model("llama-3.1-70b").orElseThrow();
            models.getSelectionModel().select(llama);
            models.scrollTo(llama);
        });
        robot.clickOn("#step-2");
        robot.interact(() -> weights.getSelectionModel().select(WeightFormat.Q4_K_M));
        robot.clickOn("#step-3");
        robot.doubleClickOn("#plan-batch").eraseText(3).write("1");
        robot.doubleClickOn("#plan-seq").eraseText(6).write("4096");
        robot.doubleClickOn("#plan-output-tokens").eraseText(6).write("512");
        robot.clickOn("#step-4");
        robot.doubleClickOn("#plan-gpus").eraseText(3).write("1");
        robot.doubleClickOn("#plan-tp").eraseText(3).write("1");
        ComboBox<dev.headroom.catalog.Gpu> gpuBox = robot.lookup("#plan-gpu").queryAs(ComboBox.class);
        ComboBox<dev.headroom.sizing.RuntimeProfile> runtimeBox = robot.lookup("#plan-runtime").queryAs(ComboBox.class);
        ComboBox<Object> offloadBox = robot.lookup("#plan-cpu-offload").queryAs(ComboBox.class);
        robot.interact(() -> {
            gpuBox.setValue(CATALOG.gpu("rtx-4090").orElseThrow());
            runtimeBox.setValue(dev.headroom.sizing.RuntimeProfile.LLAMA_CPP);
            offloadBox.getSelectionModel().select(1); // llama.cpp layers
        });
        javafx.scene.control.TextField gpuLayers = robot.lookup("#plan-gpu-layers").queryAs(javafx.scene.control.TextField.class);
        robot.interact(() -> gpuLayers.setText("40")); // below the fold of the step: typed through the control
        robot.interact(() -> {
            javafx.scene.Node layers = robot.lookup("#plan-gpu-layers").query();
            javafx.scene.control.ScrollPane step = (javafx.scene.control.ScrollPane) robot.lookup("#plan-step-pane").query();
            double top = layers.localToScene(0, 0).getY() - step.getContent().localToScene(0, 0).getY();
            double scrollable = step.getContent().getBoundsInLocal().getHeight() - step.getViewportBounds().getHeight();
            step.setVvalue(Math.min(1, Math.max(0, (top - 260) / scrollable)));
            ((javafx.scene.control.ScrollPane) robot.lookup("#plan-results-scroll").query()).setVvalue(1);
        });
        shoot(robot, "plan-5-hardware-offload");

        // Monitor: no driver on this machine, then the labelled simulation after some ticks.
        robot.clickOn("#nav-monitor");
        WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS,
                () -> robot.lookup("#monitor-no-source").query().isVisible());
        shoot(robot, "monitor-no-driver");
        robot.clickOn("#monitor-start-simulation");
        Thread.sleep(12_000);
        robot.clickOn("#monitor-window");
        robot.clickOn("1 min");
        Thread.sleep(1_500);
        shoot(robot, "monitor-simulated");
    }
}
