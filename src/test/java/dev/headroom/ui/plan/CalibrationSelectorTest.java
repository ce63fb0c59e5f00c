package dev.headroom.ui.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.calibration.CalibrationStore;
import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.settings.SettingsStore;
import dev.headroom.ui.ShellViewModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Plan's calibration selector: a saved profile applies to the plan on its GPU, and says when it does not. */
@ExtendWith(ApplicationExtension.class)
class CalibrationSelectorTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();

    @TempDir
    static Path folder;

    private SettingsStore store;
    private ExecutorService background;
    private PlanWorkspace workspace;

    @BeforeAll
    static void profiles() {
        System.setProperty(CalibrationStore.DIR_PROPERTY, folder.resolve("profiles").toString());
    }

    @AfterAll
    static void clear() {
        System.clearProperty(CalibrationStore.DIR_PROPERTY);
    }

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

    @Test
    @SuppressWarnings("unchecked")
    void aProfileAppliesOnItsGpuAndSaysWhenItDoesNot(FxRobot robot) throws Exception {
        PlanViewModel plan = workspace.model();
        String gpu = plan.gpuIdProperty().get();
        String runtime = plan.currentScenario().runtime().label();
        Files.createDirectories(folder.resolve("profiles"));
        Files.writeString(folder.resolve("profiles/slow.json"), "{\"name\": \"slow\", \"gpu\": \"" + gpu
                + "\", \"runtime\": \"" + runtime + "\", \"fitted\": {\"bandwidthEfficiency\": {\"value\": 0.25,"
                + " \"fitted\": true}, \"prefillEfficiency\": {\"value\": 0.55, \"fitted\": false}}}");
        double before = plan.getEstimate().performance().timePerOutputTokenSeconds();

        ComboBox<String> profiles = robot.lookup("#plan-calibration").queryAs(ComboBox.class);
        robot.interact(profiles::show);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> profiles.getItems().contains("slow"));
        robot.interact(() -> {
            profiles.hide();
            profiles.setValue("slow");
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> plan.calibrationProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();

        double after = plan.getEstimate().performance().timePerOutputTokenSeconds();
        assertThat(after).isGreaterThan(before * 1.5); // 0.25 of the bandwidth instead of 0.75: decode is slower
        Label status = robot.lookup("#plan-calibration-status").queryAs(Label.class);
        assertThat(status.getText()).startsWith("Calibration 'slow' (" + gpu).contains("bandwidth efficiency 0.250");

        String other = gpu.equals("l40s") ? "a100-80gb-sxm" : "l40s";
        robot.interact(() -> plan.gpuIdProperty().set(other));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(status.getText()).contains("'slow' was fitted on " + gpu).contains("not applied");

        robot.interact(() -> profiles.setValue(profiles.getItems().get(0)));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(plan.calibrationProperty().get()).isNull();
    }
}
