package dev.headroom.ui.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.settings.SettingsStore;
import dev.headroom.ui.ShellViewModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
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

/**
 * Issue 21: every control of every step and result tab has a name a screen reader says, each step has a mnemonic,
 * and the plan's result can be reached and read without a mouse.
 */
@ExtendWith(ApplicationExtension.class)
class PlanKeyboardTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();

    @TempDir
    static Path folder;

    private SettingsStore store;
    private PlanView view;

    @Start
    void start(Stage stage) {
        store = new SettingsStore(folder.resolve("settings-" + System.nanoTime() + ".json"));
        ShellViewModel shell = new ShellViewModel(CATALOG, store, store.load());
        view = (PlanView) new PlanWorkspace(shell, Runnable::run).view();
        stage.setScene(new Scene(view, 1280, 800));
        stage.show();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private List<String> unnamed(FxRobot robot) {
        List<String> unnamed = new ArrayList<>();
        robot.interact(() -> unnamed.addAll(dev.headroom.ui.ScreenReaderNames.unnamed(view)));
        return unnamed;
    }

    @Test
    void everyControlOfEveryStepAndTabHasAName(FxRobot robot) {
        List<String> unnamed = new ArrayList<>();
        for (int step = 0; step < PlanView.STEPS.length; step++) {
            robot.clickOn("#step-" + step);
            WaitForAsyncUtils.waitForFxEvents();
            unnamed.addAll(unnamed(robot).stream().map(u -> u + " (step " + (step(robot)) + ")").toList());
        }
        TabPane tabs = robot.lookup("#plan-results-tabs").queryAs(TabPane.class);
        for (Tab tab : tabs.getTabs()) {
            robot.interact(() -> tabs.getSelectionModel().select(tab));
            WaitForAsyncUtils.waitForFxEvents();
            unnamed.addAll(unnamed(robot).stream().map(u -> u + " (tab " + tab.getText() + ")").toList());
        }
        assertThat(unnamed.stream().distinct().toList()).as("controls without a name").isEmpty();
    }

    private static String step(FxRobot robot) {
        for (Node node : robot.lookup(".wizard-step").queryAll()) {
            if (node instanceof ToggleButton button && button.isSelected()) {
                return button.getText();
            }
        }
        return "?";
    }

    @Test
    void eachStepHasAMnemonic(FxRobot robot) {
        for (int step = 0; step < PlanView.STEPS.length; step++) {
            ToggleButton button = robot.lookup("#step-" + step).queryAs(ToggleButton.class);
            assertThat(button.isMnemonicParsing()).isTrue();
            assertThat(button.getText()).startsWith("_" + (step + 1));
        }
    }

    /** Tab from the step's last field reaches the verdict, which reads the whole result. */
    @Test
    void thePlansResultIsReachedAndReadWithoutAMouse(FxRobot robot) {
        Label verdict = robot.lookup("#plan-fits").queryAs(Label.class);

        assertThat(verdict.isFocusTraversable()).isTrue();
        assertThat(verdict.getAccessibleText()).startsWith(verdict.getText())
                .contains("Per GPU: weights ", "KV cache", ", total ", " usable.", "Minimum GPUs: 1");
        robot.interact(verdict::requestFocus);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(verdict.isFocused()).isTrue();
    }

    /**
     * The scene registers Alt and each step's number for that step's button (the key dispatch itself is the
     * platform's: Monocle's robot sends no mnemonic key text), and firing it selects the step.
     */
    @Test
    void eachStepsNumberIsAMnemonicOfTheScene(FxRobot robot) {
        robot.interact(() -> {
            var mnemonics = view.getScene().getMnemonics();
            for (int step = 0; step < PlanView.STEPS.length; step++) {
                ToggleButton button = robot.lookup("#step-" + step).queryAs(ToggleButton.class);
                String number = String.valueOf(step + 1);
                boolean registered = mnemonics.values().stream().flatMap(List::stream)
                        .anyMatch(m -> m.getNode() == button && m.getKeyCombination().getName().contains(number));
                assertThat(registered).as("mnemonic of step " + (step + 1)).isTrue();
            }
            robot.lookup("#step-3").queryAs(ToggleButton.class).fire();
        });
        assertThat(robot.lookup("#step-3").queryAs(ToggleButton.class).isSelected()).isTrue();
    }
}
