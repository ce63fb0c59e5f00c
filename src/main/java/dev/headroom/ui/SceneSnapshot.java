package dev.headroom.ui;

import dev.headroom.common.AtomicFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.util.Duration;
import javax.imageio.ImageIO;

/** Writes a scene to PNG: the snapshot on the FX thread, the encoding and the file off it. */
public final class SceneSnapshot {
    private SceneSnapshot() {
    }

    /** Waits for layout and CSS to settle, snapshots, writes the PNG, and exits the app. */
    static void writeThenExit(Scene scene, Path target) {
        PauseTransition settle = new PauseTransition(Duration.millis(800));
        settle.setOnFinished(event -> {
            WritableImage image = scene.snapshot(null);
            BufferedImage buffered = SwingFXUtils.fromFXImage(image, null);
            Thread writer = new Thread(() -> {
                try {
                    AtomicFiles.write(target, out -> ImageIO.write(buffered, "png", out));
                    System.out.println("snapshot written to " + target.toAbsolutePath());
                } catch (Exception e) {
                    System.err.println("snapshot failed: " + e.getMessage());
                }
                Platform.runLater(Platform::exit);
            }, "headroom-snapshot-writer");
            writer.start();
        });
        settle.play();
    }
}
