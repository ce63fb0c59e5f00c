package dev.headroom.ui;

import dev.headroom.catalog.CatalogLoader;
import dev.headroom.settings.SettingsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * README's dark-theme image: the hero's plan in a shell that starts dark, as someone who chose the dark theme meets
 * it (settings keep the choice). Part of the screenshot command (ReadmeScreenshots says how to run it).
 */
@ExtendWith(ApplicationExtension.class)
@EnabledIfSystemProperty(named = "headroom.screenshots", matches = ".+")
class ReadmeDarkScreenshot {
    static final List<String> IMAGES = List.of("shell-dark");

    @TempDir
    static Path folder;

    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        Path settings = folder.resolve("settings.json");
        Files.writeString(settings, "{\"theme\":\"DARK\",\"workspace\":\"PLAN\"}");
        Shell.open(stage, new CatalogLoader(null).load(), new SettingsStore(settings));
        stage.setX(0);
        stage.setY(0);
        stage.setWidth(1280);
        stage.setHeight(800);
    }

    @Test
    void writeTheDarkHero(FxRobot robot) throws Exception {
        ReadmeScreenshots.planSeventyBOnEightH100(robot, name -> { });
        robot.interact(() -> stage.getScene().getRoot().requestFocus());
        ReadmeScreenshots.snapshot(robot, stage, "shell-dark");
        org.assertj.core.api.Assertions.assertThat(javafx.application.Application.getUserAgentStylesheet())
                .as("the shell started in the dark theme").isEqualTo(new atlantafx.base.theme.PrimerDark().getUserAgentStylesheet());
        org.assertj.core.api.Assertions.assertThat(javax.imageio.ImageIO.read(ReadmeScreenshots.folderOfImages()
                .resolve("shell-dark.png").toFile()).getHeight()).isEqualTo(800);
    }
}
