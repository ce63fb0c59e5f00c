package dev.headroom.ui.monitor;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Pane;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;

/**
 * A JFreeChart drawn off the FX thread. Drawing four charts of eight GPUs costs about 10 ms, which would stall a
 * 60 Hz UI on every tick; here a renderer thread draws into an image and the FX thread only swaps the pixels in.
 * The chart object belongs to the renderer thread from construction on.
 */
final class LiveChart extends Pane {
    private final JFreeChart chart;
    private final ImageView view = new ImageView();
    private WritableImage image;
    private BufferedImage buffer;
    private volatile Rectangle2D dataArea;
    private volatile long fromMillis;
    private volatile long toMillis;

    LiveChart(JFreeChart chart, String id) {
        this.chart = chart;
        setId(id);
        getChildren().add(view);
        setMinSize(200, 140);
        setPrefSize(420, 220);
    }

    JFreeChart chart() {
        return chart;
    }

    /** Renderer thread: draws the chart at this size; returns the pixels to hand to the FX thread. */
    BufferedImage render(int width, int height, long from, long to) {
        if (width < 10 || height < 10) {
            return null;
        }
        if (buffer == null || buffer.getWidth() != width || buffer.getHeight() != height) {
            buffer = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB_PRE);
        }
        Graphics2D g = buffer.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            ChartRenderingInfo info = new ChartRenderingInfo();
            chart.draw(g, new Rectangle2D.Double(0, 0, width, height), info);
            dataArea = info.getPlotInfo().getDataArea();
            fromMillis = from;
            toMillis = to;
        } finally {
            g.dispose();
        }
        return buffer;
    }

    /** FX thread: shows the pixels the renderer drew (copied, so the renderer may draw the next frame). */
    void show(BufferedImage pixels) {
        if (pixels == null) {
            return;
        }
        if (image == null || image.getWidth() != pixels.getWidth() || image.getHeight() != pixels.getHeight()) {
            image = new WritableImage(pixels.getWidth(), pixels.getHeight());
        }
        SwingFXUtils.toFXImage(pixels, image);
        view.setImage(image);
    }

    /** The time under an x position of the mouse, or null outside the plot. */
    Long timeAt(double x) {
        Rectangle2D area = dataArea;
        if (area == null || x < area.getMinX() || x > area.getMaxX()) {
            return null;
        }
        return fromMillis + Math.round((x - area.getMinX()) / area.getWidth() * (toMillis - fromMillis));
    }

    ImageView view() {
        return view;
    }
}
