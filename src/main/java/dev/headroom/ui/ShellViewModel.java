package dev.headroom.ui;

import dev.headroom.catalog.Catalog;
import dev.headroom.settings.Settings;
import dev.headroom.settings.Settings.Theme;
import dev.headroom.settings.Settings.WindowBounds;
import dev.headroom.settings.Settings.Workspace;
import dev.headroom.settings.SettingsStore;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

/**
 * State of the main window: which workspace shows, which theme is on, what the status bar says. Every change is
 * handed to the settings store, which saves it debounced and off the FX thread.
 */
public final class ShellViewModel {
    private final SettingsStore store;
    private final Catalog catalog;
    private final ObjectProperty<Workspace> workspace = new SimpleObjectProperty<>(this, "workspace");
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(this, "theme");
    private final ObjectProperty<dev.headroom.sizing.Scenario> currentPlan = new SimpleObjectProperty<>(this, "currentPlan");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status");
    private Settings settings;
    private final javafx.collections.ObservableList<String> recentPlans = javafx.collections.FXCollections.observableArrayList();
    private final javafx.collections.ObservableList<String> recentPlansView =
            javafx.collections.FXCollections.unmodifiableObservableList(recentPlans); // one view: it listens weakly
    private final java.util.List<java.util.function.BooleanSupplier> closeGuards = new java.util.ArrayList<>();

    public ShellViewModel(Catalog catalog, SettingsStore store, Settings initial) {
        this.catalog = catalog;
        this.store = store;
        this.settings = initial;
        workspace.set(initial.workspace());
        theme.set(initial.theme());
        workspace.addListener((obs, old, value) -> update(settings.withWorkspace(value)));
        theme.addListener((obs, old, value) -> update(settings.withTheme(value)));
        String settingsProblem = store.lastProblem(); // e.g. a folder where settings.json belongs
        status.set(settingsProblem == null ? catalogSummary(catalog)
                : catalogSummary(catalog) + " \u2014 " + settingsProblem);
        recentPlans.setAll(initial.recentPlans());
    }

    /** Plan files opened or saved lately, newest first (File > Open Recent). */
    public javafx.collections.ObservableList<String> recentPlans() {
        return recentPlansView;
    }

    public void planUsed(java.nio.file.Path file) {
        update(settings.withRecentPlan(file.toAbsolutePath().toString()));
        recentPlans.setAll(settings.recentPlans());
    }

    /** A workspace with unsaved work registers a guard; closing asks each one (e.g. "save the plan?"). */
    public void addCloseGuard(java.util.function.BooleanSupplier mayClose) {
        closeGuards.add(mayClose);
    }

    public boolean mayClose() {
        return closeGuards.stream().allMatch(java.util.function.BooleanSupplier::getAsBoolean);
    }

    private final ObjectProperty<java.util.function.Consumer<java.nio.file.Path>> openPlan =
            new SimpleObjectProperty<>(this, "openPlan");

    /** Opens a plan file in the Plan workspace (set by it once built): file associations and the command line. */
    public ObjectProperty<java.util.function.Consumer<java.nio.file.Path>> openPlanProperty() {
        return openPlan;
    }

    private final ObjectProperty<Runnable> exportReport = new SimpleObjectProperty<>(this, "exportReport");

    /** File > Export report: set by the Plan workspace once it is built. */
    public ObjectProperty<Runnable> exportReportProperty() {
        return exportReport;
    }

    /** The plan the Plan workspace holds while it is valid; Costs follows it. Null before any plan. */
    public ObjectProperty<dev.headroom.sizing.Scenario> currentPlanProperty() {
        return currentPlan;
    }

    public void setStatus(String text) {
        status.set(text);
    }

    public Catalog catalog() {
        return catalog;
    }

    /** Where settings live; other per-user files (alert rules) go beside it. */
    public java.nio.file.Path settingsFile() {
        return store.file();
    }

    public Settings settings() {
        return settings;
    }

    public ObjectProperty<Workspace> workspaceProperty() {
        return workspace;
    }

    public Workspace getWorkspace() {
        return workspace.get();
    }

    public void setWorkspace(Workspace value) {
        workspace.set(value);
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    public Theme getTheme() {
        return theme.get();
    }

    public void setTheme(Theme value) {
        theme.set(value);
    }

    public void toggleTheme() {
        setTheme(getTheme() == Theme.DARK ? Theme.LIGHT : Theme.DARK);
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public void windowMoved(WindowBounds bounds) {
        update(settings.withWindow(bounds));
    }

    private void update(Settings next) {
        settings = next;
        store.save(next);
    }

    static String catalogSummary(Catalog catalog) {
        String summary = String.format("Catalogs: %d GPUs, %d models, %d cloud offers", catalog.gpus().size(),
                catalog.models().size(), catalog.offers().size());
        int warnings = catalog.warnings().size();
        return warnings == 0 ? summary
                : summary + String.format(" \u2014 %d user catalog problem%s (Help \u25b8 About)", warnings,
                        warnings == 1 ? "" : "s");
    }
}
