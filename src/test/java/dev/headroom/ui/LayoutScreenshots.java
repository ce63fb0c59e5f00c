package dev.headroom.ui;

import dev.headroom.catalog.CatalogLoader;
import dev.headroom.settings.SettingsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.embed.swing.SwingFXUtils;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The three workspaces at 1280 x 800 and 1920 x 1080, light and dark, to look at (issue 21 asks each checked so):
 * {@code mvn -B test -Dtest=LayoutScreenshots -Dheadroom.layouts=DIR}. Not README images; skipped otherwise.
 */
@ExtendWith(ApplicationExtension.class)
@EnabledIfSystemProperty(named = "headroom.layouts", matches = ".+")
class LayoutScreenshots {
    @TempDir
    static Path folder;

    @ParameterizedTest
    @CsvSource({"1280,800,LIGHT", "1280,800,DARK", "1920,1080,LIGHT", "1920,1080,DARK"})
    void eachWorkspace(int width, int height, String theme, FxRobot robot) throws Exception {
        Stage[] stage = new Stage[1];
        Path settings = folder.resolve(theme + width + ".json");
        Files.writeString(settings, "{\"theme\":\"" + theme + "\",\"workspace\":\"PLAN\"}");
        robot.interact(() -> {
            stage[0] = new Stage();
            Shell.open(stage[0], new CatalogLoader(null).load(), new SettingsStore(settings));
            stage[0].setX(0);
            stage[0].setY(0);
            stage[0].setWidth(width);
            stage[0].setHeight(height);
        });
        ReadmeScreenshots.planSeventyBOnEightH100(robot, name -> { });
        String size = width + "x" + height + "-" + theme.toLowerCase(java.util.Locale.ROOT);
        write(robot, stage[0], "plan-" + size);
        robot.clickOn("#nav-costs");
        write(robot, stage[0], "costs-" + size);
        robot.clickOn("#nav-monitor");
        robot.clickOn("#monitor-start-simulation");
        Thread.sleep(4_000);
        write(robot, stage[0], "monitor-" + size);
        robot.interact(stage[0]::close);
    }

    private static void write(FxRobot robot, Stage stage, String name) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.image.WritableImage[] shot = new javafx.scene.image.WritableImage[1];
        robot.interact(() -> shot[0] = stage.getScene().snapshot(null));
        Path dir = Files.createDirectories(Path.of(System.getProperty("headroom.layouts")));
        ImageIO.write(SwingFXUtils.fromFXImage(shot[0], null), "png", dir.resolve(name + ".png").toFile());
    }
}
