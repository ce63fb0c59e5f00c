package dev.headroom.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.settings.Settings;
import dev.headroom.settings.Settings.Theme;
import dev.headroom.settings.Settings.Workspace;
import dev.headroom.settings.SettingsStore;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Application;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class ShellTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();

    @TempDir
    static Path folder;

    private Path settingsFile;
    private SettingsStore store;
    private Shell shell;

    @Start
    void start(Stage stage) {
        settingsFile = folder.resolve("settings-" + System.nanoTime() + ".json");
        store = new SettingsStore(settingsFile);
        shell = Shell.open(stage, CATALOG, store);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void opensOnPlanWithTheCatalogInTheStatusBar(FxRobot robot) {
        assertThat(robot.lookup("#plan-title").queryAs(Label.class).getText()).isEqualTo("Untitled plan");
        assertThat(robot.lookup("#nav-plan").queryAs(ToggleButton.class).isSelected()).isTrue();
        assertThat(robot.lookup("#status-text").queryAs(Label.class).getText())
                .contains(CATALOG.gpus().size() + " GPUs").contains(CATALOG.models().size() + " models");
    }

    @Test
    void navigationSwitchesWorkspacesAndShowsWhereYouAre(FxRobot robot) {
        robot.clickOn("#nav-monitor");
        assertThat(robot.lookup("#monitor-source").tryQuery()).isPresent();
        assertThat(robot.lookup("#status-workspace").queryAs(Label.class).getText()).isEqualTo("Monitor");

        robot.clickOn("#nav-costs");
        assertThat(robot.lookup("#costs-view").tryQuery()).isPresent();
        assertThat(robot.lookup("#status-workspace").queryAs(Label.class).getText()).isEqualTo("Costs");
        assertThat(robot.lookup("#nav-costs").queryAs(ToggleButton.class).isSelected()).isTrue();
        assertThat(robot.lookup("#nav-monitor").queryAs(ToggleButton.class).isSelected()).isFalse();

        robot.clickOn("#nav-costs"); // clicking the current one keeps it selected
        assertThat(robot.lookup("#nav-costs").queryAs(ToggleButton.class).isSelected()).isTrue();
    }

    @Test
    void theThemeSwitchesAtRunTime(FxRobot robot) {
        assertThat(Application.getUserAgentStylesheet()).contains("primer-light");

        robot.clickOn("#theme-toggle");

        assertThat(shell.model().getTheme()).isEqualTo(Theme.DARK);
        assertThat(Application.getUserAgentStylesheet()).contains("primer-dark");
        assertThat(shell.scene().getRoot().getStyleClass()).contains("theme-dark").doesNotContain("theme-light");

        robot.clickOn("#theme-toggle");
        assertThat(Application.getUserAgentStylesheet()).contains("primer-light");
    }

    @Test
    void workspaceThemeAndWindowSurviveARestart(FxRobot robot) {
        robot.clickOn("#nav-monitor");
        robot.clickOn("#theme-toggle");
        robot.interact(() -> {
            Stage stage = (Stage) shell.scene().getWindow();
            stage.setX(40);
            stage.setY(30);
            stage.setWidth(1000);
            stage.setHeight(700);
        });
        store.flush();

        AtomicReference<Shell> restarted = new AtomicReference<>();
        SettingsStore secondStore = new SettingsStore(settingsFile);
        robot.interact(() -> restarted.set(Shell.open(new Stage(), CATALOG, secondStore)));
        WaitForAsyncUtils.waitForFxEvents();

        Shell second = restarted.get();
        Stage secondStage = (Stage) second.scene().getWindow();
        assertThat(second.model().getWorkspace()).isEqualTo(Workspace.MONITOR);
        assertThat(second.model().getTheme()).isEqualTo(Theme.DARK);
        assertThat(second.scene().lookup("#monitor-source")).as("opens on the Monitor workspace").isNotNull();
        assertThat(secondStage.getWidth()).isEqualTo(1000);
        assertThat(secondStage.getHeight()).isEqualTo(700);
        assertThat(secondStage.getX()).isEqualTo(40);
        robot.interact(secondStage::close);
        secondStore.close();

        Settings onDisk = new SettingsStore(settingsFile).load();
        assertThat(onDisk.workspace()).isEqualTo(Workspace.MONITOR);
        assertThat(onDisk.theme()).isEqualTo(Theme.DARK);
    }

    @Test
    void aboutShowsTheVersionAndTheDateOfEachCatalog(FxRobot robot) {
        robot.clickOn("Help").clickOn("About Headroom");
        WaitForAsyncUtils.waitForFxEvents();

        String text = robot.lookup("#about-dialog .label").queryAllAs(Label.class).stream()
                .map(Label::getText).reduce("", (a, b) -> a + "\n" + b);
        assertThat(text).contains("gpus.json").contains("models.json").contains("cloud-offers.json")
                .contains("updated " + CATALOG.files().get(0).updated());
        robot.press(javafx.scene.input.KeyCode.ESCAPE).release(javafx.scene.input.KeyCode.ESCAPE);
    }
}
