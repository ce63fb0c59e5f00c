package dev.headroom.ui.plan;

import dev.headroom.catalog.CatalogException;
import dev.headroom.catalog.HuggingFaceImporter;
import dev.headroom.catalog.Model;
import dev.headroom.sizing.PlanFile;
import dev.headroom.sizing.Scenario;
import dev.headroom.ui.ShellViewModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.controlsfx.validation.ValidationSupport;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/**
 * The Plan workspace: a plan toolbar, the wizard's steps on the left (free movement between them), and the
 * results on the right, recomputed on every edit. File reading and writing run on the background executor; the
 * FX thread only receives their results.
 */
final class PlanView extends BorderPane {
    static final String[] STEPS = {"1  Model", "2  Workload", "3  Precision", "4  Batch & sequence",
        "5  Hardware & parallelism", "6  Load & targets"};

    private final PlanViewModel vm;
    private final ServingViewModel serving;
    private final ShellViewModel shell;
    private final Executor background;
    private final ValidationSupport validation = new ValidationSupport();
    private final ToggleGroup stepGroup = new ToggleGroup();
    private final ScrollPane stepPane = new ScrollPane();
    private final Node[] steps;
    private final Label title = new Label();

    /** A chart with the export menu and button; the footnote names the plan it was drawn from. */
    private javafx.scene.Node exportable(org.jfree.chart.fx.ChartViewer viewer) {
        return dev.headroom.ui.common.ChartExportMenu.install(viewer, () -> vm.getEstimate() == null ? ""
                : dev.headroom.report.PlanReport.footnote(vm.currentScenario(), vm.getEstimate()), background,
                shell::setStatus);
    }

    PlanView(PlanViewModel vm, ServingViewModel serving, RecommendViewModel recommend, ShellViewModel shell,
             Executor background) {
        this.vm = vm;
        this.serving = serving;
        this.shell = shell;
        this.background = background;
        getStyleClass().add("plan-view");
        WizardSteps wizard = new WizardSteps(vm, validation, this::importConfig, this::chooseConfig);
        TabPane results = new TabPane();
        Tab servingTab = new Tab("Serving");
        Runnable simulate = () -> {
            serving.run(vm.currentScenario(), background);
            results.getSelectionModel().select(servingTab);
        };
        steps = new Node[] {wizard.model(), wizard.workload(), wizard.precision(), wizard.shape(), wizard.hardware(),
            new LoadStep(serving, validation, simulate).page()};

        setTop(toolbar());
        javafx.scene.layout.FlowPane stepButtons = new javafx.scene.layout.FlowPane(4, 4);
        stepButtons.setPadding(new Insets(6, 8, 6, 8));
        for (int i = 0; i < STEPS.length; i++) {
            // Alt+1 to Alt+6 go to a step: the mnemonic is the step's number
            ToggleButton button = new ToggleButton("_" + STEPS[i]);
            button.setMnemonicParsing(true);
            button.setId("step-" + i);
            button.setUserData(i);
            button.setToggleGroup(stepGroup);
            button.getStyleClass().add("wizard-step");
            stepButtons.getChildren().add(button);
        }
        stepGroup.selectedToggleProperty().addListener((obs, old, toggle) -> {
            if (toggle == null) {
                stepGroup.selectToggle(old);
            } else {
                stepPane.setContent(steps[(Integer) toggle.getUserData()]);
            }
        });
        stepPane.setId("plan-step-pane");
        stepPane.setFitToWidth(true);
        stepPane.setPadding(new Insets(4, 12, 4, 12));
        Button back = new Button("Back");
        back.setId("step-back");
        back.setOnAction(e -> move(-1));
        Button next = new Button("Next");
        next.setId("step-next");
        next.setDefaultButton(false);
        next.setOnAction(e -> move(1));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox navigation = new HBox(8, spacer, back, next);
        navigation.setPadding(new Insets(6, 12, 8, 12));
        VBox wizardSide = new VBox(stepButtons, stepPane, navigation);
        VBox.setVgrow(stepPane, Priority.ALWAYS);
        stepGroup.selectToggle(stepGroup.getToggles().get(0));

        results.setId("plan-results-tabs");
        results.setAccessibleText("The plan's results: estimate, charts, serving, recommendations, GPUs, assumptions");
        results.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        ScrollPane summary = new ScrollPane(new ResultsPane(vm, this::exportable));
        summary.setId("plan-results-scroll");
        summary.setFitToWidth(true);
        Tab chartsTab = new Tab("Charts");
        Tab gpusTab = new Tab("GPUs");
        Tab recommendTab = new Tab("Recommend");
        results.getTabs().addAll(new Tab("Results", summary), chartsTab, servingTab, recommendTab, gpusTab,
                new Tab("Assumptions", new AssumptionsPane(vm, validation)));
        ScrollPane recommendScroll = new ScrollPane(new RecommendPane(recommend, vm, serving,
                () -> recommend.run(vm.currentScenario(), serving, background), this::exportable));
        recommendScroll.setId("recommend-scroll");
        recommendScroll.setFitToWidth(true);
        recommendTab.setContent(recommendScroll);
        ScrollPane servingScroll = new ScrollPane(new ServingPane(serving, simulate, servingTab.selectedProperty(),
                this::exportable));
        servingScroll.setId("serving-scroll");
        servingScroll.setFitToWidth(true);
        servingTab.setContent(servingScroll);
        chartsTab.setContent(new ChartsPane(vm, chartsTab.selectedProperty(), this::exportable));
        gpusTab.setContent(new GpuComparisonPane(vm, gpusTab.selectedProperty()));

        SplitPane split = new SplitPane(wizardSide, results);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.44);
        setCenter(split);

        vm.estimateProperty().addListener((obs, old, e) -> {
            validation.revalidate();
            serving.planChanged(vm.currentScenario());
        });
        serving.fieldProblems().addListener((javafx.collections.MapChangeListener<String, String>) change -> validation.revalidate());
        vm.fieldProblems().addListener((javafx.collections.MapChangeListener<String, String>) change -> validation.revalidate());
        vm.dirtyProperty().addListener((obs, old, d) -> updateTitle());
        vm.fileProperty().addListener((obs, old, f) -> updateTitle());
        updateTitle();
    }

    private void move(int delta) {
        int current = (Integer) stepGroup.getSelectedToggle().getUserData();
        int target = Math.max(0, Math.min(STEPS.length - 1, current + delta));
        stepGroup.selectToggle(stepGroup.getToggles().get(target));
    }

    private ToolBar toolbar() {
        Button newPlan = button("New", Material2OutlinedAL.INSERT_DRIVE_FILE, "plan-new", this::newPlan);
        Button open = button("Open…", Material2OutlinedAL.FOLDER_OPEN, "plan-open", this::open);
        Button save = button("Save", Material2OutlinedMZ.SAVE, "plan-save", this::save);
        Button saveAs = button("Save as…", null, "plan-save-as", this::saveAs);
        MenuButton recent = new MenuButton("Recent");
        recent.setId("plan-recent");
        Runnable fillRecent = () -> {
            recent.getItems().clear();
            for (String path : shell.recentPlans()) {
                MenuItem item = new MenuItem(path);
                item.setOnAction(e -> {
                    if (confirmDiscardChanges()) {
                        openFile(Path.of(path));
                    }
                });
                recent.getItems().add(item);
            }
            recent.setDisable(recent.getItems().isEmpty());
        };
        shell.recentPlans().addListener((javafx.collections.ListChangeListener<String>) c -> fillRecent.run());
        fillRecent.run();
        Button compare = button("Compare plans…", Material2OutlinedAL.COMPARE_ARROWS, "plan-compare", this::compare);
        MenuButton report = new MenuButton("Export report");
        report.setId("plan-report");
        for (dev.headroom.report.Report.Format format : dev.headroom.report.Report.Format.values()) {
            MenuItem item = new MenuItem(switch (format) {
                case PDF -> "PDF (A4, numbered pages)…";
                case HTML -> "HTML (one file)…";
                case MD -> "Markdown (charts as PNG beside it)…";
            });
            item.setOnAction(e -> chooseReport(format));
            report.getItems().add(item);
        }
        shell.exportReportProperty().set(() -> chooseReport(dev.headroom.report.Report.Format.PDF));
        shell.openPlanProperty().set(file -> {
            if (confirmDiscardChanges()) {
                openFile(file);
            }
        });
        title.setId("plan-title");
        title.getStyleClass().add("text-bold");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        return new ToolBar(newPlan, open, save, saveAs, recent, compare, report, spacer, title);
    }

    private static Button button(String text, org.kordamp.ikonli.Ikon icon, String id, Runnable action) {
        Button button = icon == null ? new Button(text) : new Button(text, new FontIcon(icon));
        button.setId(id);
        button.setOnAction(e -> action.run());
        return button;
    }

    private void updateTitle() {
        Path file = vm.getFile();
        title.setText((file == null ? "Untitled plan" : file.getFileName().toString()) + (vm.isDirty() ? " *" : ""));
    }

    // --- files ------------------------------------------------------------------------------------------------

    private void newPlan() {
        if (confirmDiscardChanges()) {
            vm.reset();
            stepGroup.selectToggle(stepGroup.getToggles().get(0));
        }
    }

    private void open() {
        if (!confirmDiscardChanges()) {
            return;
        }
        FileChooser chooser = planChooser("Open plan");
        java.io.File chosen = chooser.showOpenDialog(window());
        if (chosen != null) {
            openFile(chosen.toPath());
        }
    }

    void openFile(Path file) {
        runInBackground(() -> {
            try {
                return PlanFile.read(file);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, scenario -> {
            vm.load(scenario);
            vm.setFile(file);
            vm.markSaved();
            shell.planUsed(file);
            shell.setStatus("Opened " + file);
        }, "Could not open the plan");
    }

    private void save() {
        if (vm.getFile() == null) {
            saveAs();
        } else {
            saveTo(vm.getFile());
        }
    }

    private void saveAs() {
        FileChooser chooser = planChooser("Save plan");
        chooser.setInitialFileName(vm.getFile() == null ? "plan" + PlanFile.EXTENSION : vm.getFile().getFileName().toString());
        java.io.File chosen = chooser.showSaveDialog(window());
        if (chosen != null) {
            Path path = chosen.toPath();
            if (!path.getFileName().toString().endsWith(PlanFile.EXTENSION)) {
                path = path.resolveSibling(path.getFileName() + PlanFile.EXTENSION);
            }
            saveTo(path);
        }
    }

    /** Saves atomically off the FX thread; the plan is marked saved only once the file is on disk. */
    void saveTo(Path file) {
        Scenario scenario = vm.currentScenario();
        if (scenario == null) {
            alert("The plan cannot be saved", "Fix the marked inputs first:\n" + String.join("\n", vm.problems()));
            return;
        }
        runInBackground(() -> {
            try {
                PlanFile.write(file, scenario);
                return file;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, saved -> {
            vm.setFile(saved);
            vm.markSaved();
            shell.planUsed(saved);
            shell.setStatus("Saved " + saved);
        }, "Could not save the plan");
    }

    private void chooseConfig() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Import a Hugging Face config.json");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("config.json", "*.json"));
        java.io.File chosen = chooser.showOpenDialog(window());
        if (chosen != null) {
            importConfig(chosen.toPath());
        }
    }

    void importConfig(Path config) {
        runInBackground(() -> HuggingFaceImporter.importFile(config), (Model model) -> {
            vm.importedNameProperty().set(model.name());
            vm.importedArchitectureProperty().set(model.architecture());
            vm.modelSourceProperty().set(PlanViewModel.ModelSource.IMPORTED);
            shell.setStatus("Imported " + config);
        }, "Could not import the config.json");
    }

    private void compare() {
        FileChooser chooser = planChooser("Choose two or more plans to compare");
        List<java.io.File> chosen = chooser.showOpenMultipleDialog(window());
        if (chosen != null && !chosen.isEmpty()) {
            compareFiles(chosen.stream().map(java.io.File::toPath).toList());
        }
    }

    private void chooseReport(dev.headroom.report.Report.Format format) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export plan report");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(format.name(), "*." + format.extension()));
        String name = vm.getFile() == null ? "plan" : vm.getFile().getFileName().toString().replaceFirst("\\.[^.]+$", "");
        chooser.setInitialFileName(name + "." + format.extension());
        java.io.File file = chooser.showSaveDialog(window());
        if (file != null) {
            exportReport(format, file.toPath());
        }
    }

    /** Builds and writes the report off the FX thread; the file appears whole or not at all. */
    void exportReport(dev.headroom.report.Report.Format format, Path file) {
        Scenario scenario = vm.currentScenario();
        if (scenario == null) {
            alert("The report cannot be made", "Fix the marked inputs first:\n" + String.join("\n", vm.problems()));
            return;
        }
        String name = vm.getFile() == null ? null : vm.getFile().getFileName().toString();
        dev.headroom.serving.SimulationResult underLoad = serving.resultFor(scenario);
        shell.setStatus("Writing " + file.getFileName() + "\u2026");
        runInBackground(() -> {
            try {
                dev.headroom.report.PlanReport.build(vm.catalog(), scenario, name, underLoad).write(format, file);
                return file;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, written -> shell.setStatus("Report written: " + written.toAbsolutePath()), "Could not write the report");
    }

    void compareFiles(List<Path> files) {
        runInBackground(() -> {
            List<ComparePlansPane.Plan> plans = new java.util.ArrayList<>();
            for (Path file : files) {
                try {
                    plans.add(new ComparePlansPane.Plan(file.getFileName().toString(), PlanFile.read(file)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return plans;
        }, plans -> ComparePlansPane.show(window(), vm.engine(), plans), "Could not compare the plans");
    }

    private <T> void runInBackground(Supplier<T> work, java.util.function.Consumer<T> onFx, String failure) {
        CompletableFuture.supplyAsync(work, background).whenComplete((result, error) -> Platform.runLater(() -> {
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                if (cause instanceof java.io.UncheckedIOException io) {
                    cause = io.getCause();
                }
                alert(failure, cause instanceof CatalogException ce ? ce.getMessage() : String.valueOf(cause.getMessage()));
            } else {
                onFx.accept(result);
            }
        }));
    }

    /** Asks before unsaved changes are lost: save, discard, or cancel. @return whether to go on */
    boolean confirmDiscardChanges() {
        if (!vm.isDirty()) {
            return true;
        }
        ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.YES);
        ButtonType discard = new ButtonType("Discard", ButtonBar.ButtonData.NO);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "The plan has unsaved changes.", save, discard,
                ButtonType.CANCEL);
        alert.setHeaderText("Save the plan first?");
        alert.initOwner(window());
        alert.getDialogPane().setId("plan-unsaved-dialog");
        ButtonType answer = alert.showAndWait().orElse(ButtonType.CANCEL);
        if (answer == save) {
            Scenario scenario = vm.currentScenario();
            if (vm.getFile() == null || scenario == null) {
                saveAs();
                return false; // the save finishes later; the user repeats the action
            }
            try {
                PlanFile.write(vm.getFile(), scenario); // small file; the user is waiting on this answer anyway
                vm.markSaved();
                return true;
            } catch (IOException e) {
                alert("Could not save the plan", e.getMessage());
                return false;
            }
        }
        return answer == discard;
    }

    private FileChooser planChooser(String titleText) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(titleText);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Headroom plan", "*" + PlanFile.EXTENSION));
        if (vm.getFile() != null && vm.getFile().getParent() != null) {
            chooser.setInitialDirectory(vm.getFile().getParent().toFile());
        }
        return chooser;
    }

    private void alert(String header, String message) {
        Alert alert = new Alert(Alert.AlertType.ERROR, message);
        alert.setHeaderText(header);
        alert.initOwner(window());
        alert.show();
    }

    private Window window() {
        return getScene() == null ? null : getScene().getWindow();
    }
}
