package dev.headroom.ui.common;

import dev.headroom.report.ChartExport;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.concurrent.Task;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;

/**
 * Export for a chart on screen: the same items in its context menu and in an Export button above it. PNG at
 * 1x/2x (1280 x 720) or 300 dpi (7.5 x 4.2 inches), SVG and PDF (800 x 450 pt), copy as image. Files are written by
 * a background task; the status line says where, and a failure says why and leaves no partial file.
 */
public final class ChartExportMenu {
    /** One way out: a format at a size and scale. */
    public enum Target {
        PNG_1X("PNG (1280 \u00d7 720)\u2026", ChartExport.Format.PNG, 1280, 720, 1),
        PNG_2X("PNG 2\u00d7 (2560 \u00d7 1440)\u2026", ChartExport.Format.PNG, 1280, 720, 2),
        PNG_PRINT("PNG for print, 300 dpi\u2026", ChartExport.Format.PNG, 540, 304, ChartExport.PRINT_SCALE),
        SVG("SVG\u2026", ChartExport.Format.SVG, 800, 450, 1),
        PDF("PDF\u2026", ChartExport.Format.PDF, 800, 450, 1);

        final String label;
        final ChartExport.Format format;
        final int width;
        final int height;
        final double scale;

        Target(String label, ChartExport.Format format, int width, int height, double scale) {
            this.label = label;
            this.format = format;
            this.width = width;
            this.height = height;
            this.scale = scale;
        }
    }

    private final Supplier<JFreeChart> chart;
    private final Executor chartOwner;
    private final javafx.scene.Node anchor;
    private final Supplier<String> footnote;
    private final Executor background;
    private final Consumer<String> status;

    /**
     * @param chart      the chart on screen
     * @param chartOwner the thread that may read it: the FX thread for a ChartViewer (run in place), the renderer
     *                   for a live chart; the export copy is taken there, then written on {@code background}
     */
    private ChartExportMenu(Supplier<JFreeChart> chart, Executor chartOwner, javafx.scene.Node anchor,
                            Supplier<String> footnote, Executor background, Consumer<String> status) {
        this.chart = chart;
        this.chartOwner = chartOwner;
        this.anchor = anchor;
        this.footnote = footnote;
        this.background = background;
        this.status = status;
    }

    /**
     * Gives {@code viewer} the export context menu and returns it under a small toolbar with an Export button.
     *
     * @param footnote the assumptions and sources printed under the exported chart, read at export time
     */
    public static VBox install(ChartViewer viewer, Supplier<String> footnote, Executor background,
                               Consumer<String> status) {
        ChartExportMenu menu = of(viewer, footnote, background, status);
        ContextMenu context = viewer.getContextMenu(); // ChartViewer's own; its Export As items are replaced by ours
        context.getItems().removeIf(item -> item.getText() != null && item.getText().startsWith("Export"));
        context.getItems().addAll(menu.items());
        return menu.withButton(viewer);
    }

    /**
     * The same for a chart drawn off the FX thread (Monitor's live charts): the copy is taken on {@code chartOwner},
     * and the region gets a context menu of its own.
     */
    public static ChartExportMenu of(javafx.scene.layout.Region region, Supplier<JFreeChart> chart,
                                     Executor chartOwner, Supplier<String> footnote, Executor background,
                                     Consumer<String> status) {
        return new ChartExportMenu(chart, chartOwner, region, footnote, background, status);
    }

    /** For a menu made by {@link #of(javafx.scene.layout.Region, Supplier, Executor, Supplier, Executor, Consumer)}. */
    public VBox installOnRegion() {
        javafx.scene.layout.Region region = (javafx.scene.layout.Region) anchor;
        ContextMenu context = new ContextMenu();
        context.getItems().setAll(items());
        region.setOnContextMenuRequested(e -> context.show(region, e.getScreenX(), e.getScreenY()));
        return withButton(region);
    }

    private VBox withButton(javafx.scene.layout.Region chartNode) {
        MenuButton button = new MenuButton("Export");
        button.setId(chartNode.getId() + "-export");
        button.getItems().setAll(items());
        button.getStyleClass().addAll("small", "flat");
        HBox bar = new HBox(button);
        bar.setAlignment(Pos.CENTER_RIGHT);
        VBox box = new VBox(2, bar, chartNode);
        javafx.scene.layout.VBox.setVgrow(chartNode, javafx.scene.layout.Priority.ALWAYS);
        box.visibleProperty().bind(chartNode.visibleProperty());
        box.managedProperty().bind(chartNode.managedProperty());
        return box;
    }

    private java.util.List<MenuItem> items() {
        java.util.List<MenuItem> items = new java.util.ArrayList<>();
        for (Target target : Target.values()) {
            MenuItem item = new MenuItem("Export " + target.label);
            item.setOnAction(e -> choose(target));
            items.add(item);
        }
        MenuItem sized = new MenuItem("Export PNG at a size\u2026");
        sized.setOnAction(e -> chooseSize());
        items.add(2, sized);
        MenuItem copy = new MenuItem("Copy as image");
        copy.setOnAction(e -> copy());
        items.add(copy);
        return items;
    }

    /** Asks for a pixel size; a bad one is named with the allowed range and asked again. */
    private void chooseSize() {
        String answer = "1920 x 1080";
        String problem = null;
        while (true) {
            javafx.scene.control.TextInputDialog dialog = new javafx.scene.control.TextInputDialog(answer);
            dialog.setTitle("Export PNG");
            dialog.setHeaderText(problem == null ? "Width x height in pixels" : problem);
            java.util.Optional<String> typed = dialog.showAndWait();
            if (typed.isEmpty()) {
                return;
            }
            answer = typed.get();
            int[] size = parseSize(answer);
            problem = size == null ? "size = " + answer + ": write it as WIDTH x HEIGHT, each between "
                    + MIN_PIXELS + " and " + MAX_PIXELS + " pixels" : null;
            if (size != null) {
                choose(ChartExport.Format.PNG, size[0], size[1], 1);
                return;
            }
        }
    }

    static final int MIN_PIXELS = 100;
    static final int MAX_PIXELS = 10_000;

    /** "1920 x 1080" (or 1920x1080, 1920\u00d71080) as {width, height}; null when malformed or out of range. */
    static int[] parseSize(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\\d{1,6})\\s*[xX\u00d7*]\\s*(\\d{1,6})\\s*")
                .matcher(text == null ? "" : text);
        if (!m.matches()) {
            return null;
        }
        int width = Integer.parseInt(m.group(1));
        int height = Integer.parseInt(m.group(2));
        boolean inRange = width >= MIN_PIXELS && width <= MAX_PIXELS && height >= MIN_PIXELS && height <= MAX_PIXELS;
        return inRange ? new int[] {width, height} : null;
    }

    private void choose(Target target) {
        choose(target.format, target.width, target.height, target.scale);
    }

    private void choose(ChartExport.Format format, int width, int height, double scale) {
        JFreeChart shown = chart.get();
        if (shown == null) {
            return;
        }
        FileChooser chooser = new FileChooser();
        String extension = format.name().toLowerCase(Locale.ROOT);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(format.name(), "*." + extension));
        chooser.setInitialFileName(fileName(shown) + "." + extension);
        File file = chooser.showSaveDialog(anchor.getScene() == null ? null : anchor.getScene().getWindow());
        if (file != null) {
            export(format, width, height, scale, file.toPath());
        }
    }

    /** Writes the chart on the background executor; returns the task so callers (and tests) can follow it. */
    public Task<Path> export(Target target, Path file) {
        return export(target.format, target.width, target.height, target.scale, file);
    }

    public Task<Path> export(ChartExport.Format format, int width, int height, double scale, Path file) {
        String note = footnote.get();
        java.util.concurrent.CompletableFuture<JFreeChart> copy = new java.util.concurrent.CompletableFuture<>();
        chartOwner.execute(() -> copy.complete(ChartExport.forExport(chart.get(), note)));
        Task<Path> task = new Task<>() {
            @Override
            protected Path call() throws Exception {
                updateMessage("Exporting " + file.getFileName() + "\u2026");
                ChartExport.writeThemed(copy.get(), format, file, width, height, scale);
                return file;
            }
        };
        status.accept("Exporting " + file.getFileName() + "\u2026");
        task.setOnSucceeded(e -> status.accept("Exported " + file.toAbsolutePath()));
        task.setOnFailed(e -> {
            status.accept("Export failed: " + file);
            Alert alert = new Alert(Alert.AlertType.ERROR, "Could not write " + file + ":\n"
                    + task.getException().getMessage() + "\nNothing was written.");
            alert.setHeaderText("Export failed");
            alert.show();
        });
        background.execute(task);
        return task;
    }

    private void copy() {
        String note = footnote.get();
        chartOwner.execute(() -> {
            JFreeChart themed = ChartExport.forExport(chart.get(), note);
            background.execute(() -> copyImage(themed));
        });
    }

    private void copyImage(JFreeChart themed) {
        BufferedImage image = ChartExport.image(themed, 1280, 720, 1);
        Platform.runLater(() -> {
            ClipboardContent content = new ClipboardContent();
            content.putImage(SwingFXUtils.toFXImage(image, null));
            Clipboard.getSystemClipboard().setContent(content);
            status.accept("Chart copied to the clipboard (1280 \u00d7 720)");
        });
    }

    public static ChartExportMenu of(ChartViewer viewer, Supplier<String> footnote, Executor background,
                                     Consumer<String> status) {
        return new ChartExportMenu(viewer::getChart, Runnable::run, viewer, footnote, background, status);
    }

    private static String fileName(JFreeChart chart) {
        String title = chart.getTitle() == null ? "chart" : chart.getTitle().getText();
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }
}
