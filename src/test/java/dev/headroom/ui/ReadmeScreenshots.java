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
 * Writes every image README shows, from the real shell with real data, with ReadmeDarkScreenshot: {@code mvn -B test
 * -Dtest='Readme*Screenshot*' -Dheadroom.screenshots=assets/screenshots}. Skipped otherwise, so test runs never touch
 * the tree. {@link #IMAGES} names what the two write; ReadmeImagesTest, which always runs, fails when README shows an
 * image not in it.
 */
@ExtendWith(ApplicationExtension.class)
@EnabledIfSystemProperty(named = "headroom.screenshots", matches = ".+")
class ReadmeScreenshots {
    private static final Catalog CATALOG = new CatalogLoader(null).load();

    /** Every image this command writes, in the order it writes them. */
    static final java.util.List<String> IMAGES = java.util.List.of(
            "plan-1-model", "plan-2-workload", "plan-3-precision", "plan-invalid-input", "plan-4-batch",
            "plan-5-hardware", "shell-light", "shell-dark", "report-plan-page-1", "plan-6-load",
            "plan-tab-charts", "plan-tab-serving", "plan-tab-serving-charts", "plan-tab-recommend", "plan-tab-gpus",
            "plan-tab-assumptions", "costs-owned-vs-cloud", "costs-per-million-tokens", "costs-sensitivity",
            "costs-consumer-vs-data-center", "plan-tab-charts-kv-per-token", "plan-5-hardware-offload",
            "monitor-no-driver", "monitor-simulated");
    private final java.util.List<String> written = new java.util.ArrayList<>();

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

    static Path folderOfImages() throws java.io.IOException {
        return Files.createDirectories(Path.of(System.getProperty("headroom.screenshots")));
    }

    private void shoot(FxRobot robot, String name) throws Exception {
        written(name);
        snapshot(robot, stage, name);
    }

    /** The window as it is now, written as NAME.png into the screenshot folder (1280 px wide, Monocle's screen). */
    static void snapshot(FxRobot robot, Stage stage, String name) throws Exception {
        org.assertj.core.api.Assertions.assertThat(IMAGES).as("ReadmeScreenshots.IMAGES").contains(name);
        WaitForAsyncUtils.waitForFxEvents();
        final javafx.scene.image.WritableImage[] shot = new javafx.scene.image.WritableImage[1];
        robot.interact(() -> shot[0] = stage.getScene().snapshot(null));
        Path file = folderOfImages().resolve(name + ".png");
        ImageIO.write(SwingFXUtils.fromFXImage(shot[0], null), "png", file.toFile());
        org.assertj.core.api.Assertions.assertThat(ImageIO.read(file.toFile()).getWidth()).isEqualTo(1280);
    }

    /** Only names IMAGES lists, each once: the list cannot drift from what the command writes. */
    private void written(String name) {
        org.assertj.core.api.Assertions.assertThat(IMAGES).as("ReadmeScreenshots.IMAGES").contains(name);
        org.assertj.core.api.Assertions.assertThat(written).as("written twice").doesNotContain(name);
        written.add(name);
    }

    /**
     * The first page of the plan's PDF report, as README shows it: the report written by 'headroom report' from
     * the plan saved by 'headroom size', rendered at 1.5 x.
     */
    private void reportPage(String... plan) throws Exception {
        written("report-plan-page-1");
        Path saved = folder.resolve("readme.headroom-plan");
        Path pdf = folder.resolve("readme-report.pdf");
        String[] size = java.util.Arrays.copyOf(plan, plan.length + 2);
        size[plan.length] = "--save";
        size[plan.length + 1] = saved.toString();
        java.io.PrintWriter nowhere = new java.io.PrintWriter(java.io.Writer.nullWriter());
        org.assertj.core.api.Assertions.assertThat(dev.headroom.cli.Cli.run(size, nowhere, nowhere)).isZero();
        org.assertj.core.api.Assertions.assertThat(dev.headroom.cli.Cli.run(new String[] {"report", saved.toString(),
            "--format", "pdf", "-o", pdf.toString()}, nowhere, nowhere)).isZero();
        try (org.apache.pdfbox.pdmodel.PDDocument document = org.apache.pdfbox.Loader.loadPDF(pdf.toFile())) {
            java.awt.image.BufferedImage page = new org.apache.pdfbox.rendering.PDFRenderer(document)
                    .renderImageWithDPI(0, 108);
            ImageIO.write(page, "png", folderOfImages().resolve("report-plan-page-1.png").toFile());
        }
    }

    /** A step's screenshot, for the plan walk both screenshot classes share. */
    interface Shot {
        void take(String name) throws Exception;
    }

    /**
     * The README's plan, step by step: Llama 3.1 70B in FP8, 40 sequences of 32k in and 1k out, on 8 x H100 with
     * tp 8; {@code shot} gets each step's image name (the dark-theme class takes none of them).
     */
    @SuppressWarnings("unchecked")
    static void planSeventyBOnEightH100(FxRobot robot, Shot shot) throws Exception {
        robot.clickOn("#plan-model-search").write("70b");
        robot.clickOn(robot.lookup(".list-cell").nth(2).queryAs(javafx.scene.Node.class));
        shot.take("plan-1-model");
        robot.clickOn("#step-1");
        shot.take("plan-2-workload");
        robot.clickOn("#step-2");
        ComboBox<WeightFormat> weights = robot.lookup("#plan-weights").queryAs(ComboBox.class);
        robot.interact(() -> weights.getSelectionModel().select(WeightFormat.FP8));
        shot.take("plan-3-precision");
        robot.clickOn("#step-3");
        robot.doubleClickOn("#plan-batch").eraseText(3).write("0");
        shot.take("plan-invalid-input");
        robot.doubleClickOn("#plan-batch").eraseText(3).write("40");
        robot.doubleClickOn("#plan-seq").eraseText(6).write("32768");
        robot.doubleClickOn("#plan-output-tokens").eraseText(6).write("1024");
        shot.take("plan-4-batch");
        robot.clickOn("#step-4");
        robot.doubleClickOn("#plan-gpus").eraseText(3).write("8");
        robot.doubleClickOn("#plan-tp").eraseText(3).write("8");
    }

    @Test
    @SuppressWarnings("unchecked")
    void writeScreenshots(FxRobot robot) throws Exception {
        planSeventyBOnEightH100(robot, name -> shoot(robot, name));
        shoot(robot, "plan-5-hardware");
        // The first image of README: this plan's results beside its memory chart (ReadmeDarkScreenshot: dark).
        robot.interact(() -> stage.getScene().getRoot().requestFocus());
        shoot(robot, "shell-light");
        reportPage("size", "--model", "llama-3.1-70b", "--weights", "fp8", "--seq", "32768", "--output-tokens", "1024",
                "--batch", "40", "--gpu", "h100-sxm", "--tp", "8", "--gpus", "8");
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
        ComboBox<WeightFormat> weights = robot.lookup("#plan-weights").queryAs(ComboBox.class);
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
        java.util.List<String> others = new java.util.ArrayList<>(IMAGES);
        others.removeAll(ReadmeDarkScreenshot.IMAGES);
        org.assertj.core.api.Assertions.assertThat(written).as("every image IMAGES names but the dark theme's")
                .containsExactlyInAnyOrderElementsOf(others);
    }
}
