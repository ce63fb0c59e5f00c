package dev.headroom.ui;

import dev.headroom.catalog.Catalog;
import dev.headroom.settings.Settings;
import dev.headroom.settings.Settings.Theme;
import dev.headroom.settings.Settings.WindowBounds;
import dev.headroom.settings.Settings.Workspace;
import dev.headroom.settings.SettingsStore;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/**
 * The main window: menu bar, workspace navigation on the left, the current workspace in the centre, a status bar
 * below. It binds to a {@link ShellViewModel} and holds no state of its own.
 */
public final class Shell {
    static final double DEFAULT_WIDTH = 1280;
    static final double DEFAULT_HEIGHT = 800;

    /** File reading and writing, imports and exports: never on the FX thread. */
    static final java.util.concurrent.ExecutorService BACKGROUND = java.util.concurrent.Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "headroom-background");
        thread.setDaemon(true);
        return thread;
    });

    private final ShellViewModel model;
    private final Workspaces workspaces;
    private final BorderPane root = new BorderPane();
    private final Scene scene;

    private Shell(ShellViewModel model) {
        this.model = model;
        this.workspaces = new Workspaces(model, BACKGROUND);
        root.setTop(menuBar());
        root.setLeft(navigation());
        root.setBottom(statusBar());
        root.centerProperty().bind(javafx.beans.binding.Bindings.createObjectBinding(
                () -> workspaces.view(model.getWorkspace()), model.workspaceProperty()));
        scene = new Scene(root, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        Themes.apply(scene, model.getTheme());
        model.themeProperty().addListener((obs, old, theme) -> Themes.apply(scene, theme));
    }

    /** Builds the shell into the stage, restores the saved window, and shows it. */
    public static Shell open(Stage stage, Catalog catalog, SettingsStore store) {
        Settings settings = store.load();
        ShellViewModel model = new ShellViewModel(catalog, store, settings);
        Shell shell = new Shell(model);
        stage.setTitle("Headroom");
        stage.getIcons().add(new javafx.scene.image.Image(
                Shell.class.getResourceAsStream("/dev/headroom/assets/headroom-256.png")));
        stage.setScene(shell.scene);
        restoreBounds(stage, settings.window());
        stage.setOnCloseRequest(event -> {
            if (!model.mayClose()) {
                event.consume(); // the user chose Cancel on an unsaved plan
            }
        });
        stage.show();
        trackBounds(stage, model);
        return shell;
    }

    public Scene scene() {
        return scene;
    }

    public ShellViewModel model() {
        return model;
    }

    private MenuBar menuBar() {
        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN));
        quit.setOnAction(e -> {
            if (model.mayClose()) {
                Platform.exit();
            }
        });
        MenuItem report = new MenuItem("Export plan report (PDF)…");
        report.setId("menu-export-report");
        report.setOnAction(e -> {
            model.setWorkspace(Workspace.PLAN); // builds the Plan workspace, which provides the action
            if (model.exportReportProperty().get() != null) {
                model.exportReportProperty().get().run();
            }
        });
        Menu file = new Menu("File", null, report, new javafx.scene.control.SeparatorMenuItem(), quit);

        Menu go = new Menu("Go");
        int key = 1;
        for (Workspace workspace : Workspace.values()) {
            MenuItem item = new MenuItem(Workspaces.title(workspace));
            item.setAccelerator(new KeyCodeCombination(KeyCode.getKeyCode(Integer.toString(key++)),
                    KeyCombination.SHORTCUT_DOWN));
            item.setOnAction(e -> model.setWorkspace(workspace));
            go.getItems().add(item);
        }

        ToggleGroup themes = new ToggleGroup();
        RadioMenuItem light = new RadioMenuItem("Light theme");
        RadioMenuItem dark = new RadioMenuItem("Dark theme");
        light.setToggleGroup(themes);
        dark.setToggleGroup(themes);
        light.setOnAction(e -> model.setTheme(Theme.LIGHT));
        dark.setOnAction(e -> model.setTheme(Theme.DARK));
        Runnable syncThemeItems = () -> themes.selectToggle(model.getTheme() == Theme.DARK ? dark : light);
        syncThemeItems.run();
        model.themeProperty().addListener((obs, old, value) -> syncThemeItems.run());
        Menu view = new Menu("View", null, light, dark);

        MenuItem about = new MenuItem("About Headroom");
        about.setId("menu-about");
        about.setOnAction(e -> AboutDialog.show(root.getScene().getWindow(), model.catalog()));
        Menu help = new Menu("Help", null, about);
        return new MenuBar(file, go, view, help);
    }

    private VBox navigation() {
        ToggleGroup group = new ToggleGroup();
        VBox nav = new VBox(4);
        nav.getStyleClass().add("workspace-nav");
        for (Workspace workspace : Workspace.values()) {
            ToggleButton button = new ToggleButton(Workspaces.title(workspace), new FontIcon(Workspaces.icon(workspace)));
            button.setId("nav-" + workspace.name().toLowerCase(java.util.Locale.ROOT));
            button.setUserData(workspace);
            button.setToggleGroup(group);
            button.setMaxWidth(Double.MAX_VALUE);
            button.getStyleClass().add("workspace-nav-button");
            nav.getChildren().add(button);
        }
        // A click on the selected button would deselect it; keep exactly one workspace selected.
        group.selectedToggleProperty().addListener((obs, old, selected) -> {
            if (selected == null) {
                group.selectToggle(old);
            } else {
                model.setWorkspace((Workspace) selected.getUserData());
            }
        });
        Runnable sync = () -> group.getToggles().stream()
                .filter(t -> t.getUserData() == model.getWorkspace()).findFirst().ifPresent(group::selectToggle);
        sync.run();
        model.workspaceProperty().addListener((obs, old, value) -> sync.run());
        return nav;
    }

    private HBox statusBar() {
        Label status = new Label();
        status.setId("status-text");
        status.textProperty().bind(model.statusProperty());
        Tooltip whole = new Tooltip(); // a long status (a settings problem) is cut at the window's edge
        whole.textProperty().bind(model.statusProperty());
        status.setTooltip(whole);
        status.setMinWidth(0);
        Label where = new Label();
        where.setId("status-workspace");
        where.setMinWidth(Region.USE_PREF_SIZE); // the workspace name never gives way to the status text
        where.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> Workspaces.title(model.getWorkspace()), model.workspaceProperty()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button themeToggle = new Button();
        themeToggle.setId("theme-toggle");
        themeToggle.getStyleClass().addAll("flat", "button-icon");
        themeToggle.setTooltip(new Tooltip("Switch light / dark theme"));
        Runnable syncTheme = () -> {
            boolean dark = model.getTheme() == Theme.DARK;
            themeToggle.setGraphic(new FontIcon(dark ? Material2OutlinedMZ.WB_SUNNY : Material2OutlinedAL.BRIGHTNESS_2));
        };
        syncTheme.run();
        model.themeProperty().addListener((obs, old, value) -> syncTheme.run());
        themeToggle.setOnAction(e -> model.toggleTheme());
        HBox bar = new HBox(12, where, new Label("|"), status, spacer, themeToggle);
        bar.getStyleClass().add("status-bar");
        bar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return bar;
    }

    /** Applies saved bounds when they still fall on a screen (a monitor may have been unplugged). */
    private static void restoreBounds(Stage stage, WindowBounds bounds) {
        if (bounds == null || bounds.width() < 200 || bounds.height() < 150) {
            stage.setWidth(DEFAULT_WIDTH);
            stage.setHeight(DEFAULT_HEIGHT);
            return;
        }
        boolean visible = !Screen.getScreensForRectangle(
                new Rectangle2D(bounds.x(), bounds.y(), bounds.width(), bounds.height())).isEmpty();
        stage.setWidth(bounds.width());
        stage.setHeight(bounds.height());
        if (visible) {
            stage.setX(bounds.x());
            stage.setY(bounds.y());
        }
        stage.setMaximized(bounds.maximized());
    }

    private static void trackBounds(Stage stage, ShellViewModel model) {
        Runnable record = () -> {
            if (!stage.isMaximized() && !stage.isIconified()) {
                model.windowMoved(new WindowBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(),
                        false));
            } else if (stage.isMaximized() && model.settings().window() != null) {
                WindowBounds last = model.settings().window();
                model.windowMoved(new WindowBounds(last.x(), last.y(), last.width(), last.height(), true));
            }
        };
        stage.xProperty().addListener((obs, old, value) -> record.run());
        stage.yProperty().addListener((obs, old, value) -> record.run());
        stage.widthProperty().addListener((obs, old, value) -> record.run());
        stage.heightProperty().addListener((obs, old, value) -> record.run());
        stage.maximizedProperty().addListener((obs, old, value) -> record.run());
    }
}
