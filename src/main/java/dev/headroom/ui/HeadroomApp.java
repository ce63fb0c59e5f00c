package dev.headroom.ui;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogException;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.settings.SettingsStore;
import java.util.List;
import java.util.Map;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.stage.Stage;

/**
 * The desktop app. Everything that touches the disk (catalogs, settings) happens in {@link #init()}, which runs on
 * the launcher thread, so the FX thread never waits on I/O.
 */
public final class HeadroomApp extends Application {
    /** System property: write a PNG of the first frame to this path, then exit (README screenshots, CI checks). */
    public static final String SNAPSHOT_PROPERTY = "headroom.snapshot";

    private Catalog catalog;
    private CatalogException catalogProblem;
    private SettingsStore settingsStore;

    public static void launchApp() {
        Application.launch(HeadroomApp.class);
    }

    /** Opens the app with a plan file loaded: what a double-click on a {@code .headroom-plan} file does. */
    public static void launchApp(java.nio.file.Path plan) {
        Application.launch(HeadroomApp.class, plan.toAbsolutePath().toString());
    }

    @Override
    public void init() {
        settingsStore = new SettingsStore(SettingsStore.defaultPath());
        try {
            catalog = CatalogLoader.standard().load();
        } catch (CatalogException e) {
            // A broken built-in catalog is a defect of the build: say so, and run with empty catalogs.
            catalogProblem = e;
            catalog = new Catalog(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), List.of(), List.of(e.getMessage()));
        }
    }

    @Override
    public void start(Stage stage) {
        Shell shell = Shell.open(stage, catalog, settingsStore);
        if (catalogProblem != null) {
            Alert alert = new Alert(Alert.AlertType.ERROR, catalogProblem.getMessage());
            alert.setHeaderText("The built-in catalogs could not be loaded");
            alert.initOwner(stage);
            alert.show();
        }
        List<String> files = getParameters().getUnnamed();
        if (!files.isEmpty()) {
            shell.model().setWorkspace(dev.headroom.settings.Settings.Workspace.PLAN);
            if (shell.model().openPlanProperty().get() != null) {
                shell.model().openPlanProperty().get().accept(java.nio.file.Path.of(files.get(0)));
            }
        }
        String snapshot = System.getProperty(SNAPSHOT_PROPERTY);
        if (snapshot != null && !snapshot.isBlank()) {
            SceneSnapshot.writeThenExit(shell.scene(), java.nio.file.Path.of(snapshot));
        }
        if (Boolean.getBoolean(COLD_START_PROPERTY)) {
            reportFirstFrame(shell.scene());
        }
    }

    /** With this property the app prints how long it took from process start to its first frame, then exits. */
    public static final String COLD_START_PROPERTY = "headroom.coldStart";

    /**
     * The first pulse that lays the shown window out is the one that paints it (JavaFX renders right after the
     * layout pass of a pulse); its time from the process's start is the cold start src/bench/lean.py reports.
     */
    private static void reportFirstFrame(javafx.scene.Scene scene) {
        java.time.Instant started = ProcessHandle.current().info().startInstant().orElse(null);
        Runnable[] listener = new Runnable[1];
        listener[0] = () -> {
            scene.removePostLayoutPulseListener(listener[0]);
            long millis = started == null ? -1 : java.time.Duration.between(started, java.time.Instant.now()).toMillis();
            System.out.println("first frame " + millis + " ms after process start");
            Platform.runLater(Platform::exit);
        };
        scene.addPostLayoutPulseListener(listener[0]);
    }

    @Override
    public void stop() {
        settingsStore.close();
        Platform.exit();
    }
}
