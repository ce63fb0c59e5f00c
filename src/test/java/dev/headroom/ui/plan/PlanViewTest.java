package dev.headroom.ui.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.catalog.Gpu;
import dev.headroom.common.Format;
import dev.headroom.settings.SettingsStore;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.PlanFile;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.SizingEngine;
import dev.headroom.sizing.WeightFormat;
import dev.headroom.ui.ShellViewModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Drives the real Plan view: the wizard's controls, the results, plan files and the comparison. */
@ExtendWith(ApplicationExtension.class)
class PlanViewTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();
    private static final SizingEngine ENGINE = new SizingEngine(CATALOG);

    @TempDir
    static Path folder;

    private SettingsStore store;
    private PlanWorkspace workspace;
    private PlanView view;
    private PlanViewModel vm;

    @Start
    void start(Stage stage) {
        store = new SettingsStore(folder.resolve("settings-" + System.nanoTime() + ".json"));
        ShellViewModel shell = new ShellViewModel(CATALOG, store, store.load());
        workspace = new PlanWorkspace(shell, Runnable::run);
        view = (PlanView) workspace.view();
        vm = workspace.model();
        stage.setScene(new Scene(view, 1280, 800));
        stage.show();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private void chooseModel(FxRobot robot, String name) {
        robot.clickOn("#step-0");
        robot.clickOn("#plan-model-search").write(name.toLowerCase(Locale.ROOT));
        ListView<?> list = robot.lookup("#plan-model-list").queryAs(ListView.class);
        robot.clickOn(robot.from(list).lookup((Node n) -> n instanceof javafx.scene.control.ListCell<?> cell
                && name.equals(((dev.headroom.catalog.Model) cell.getItem() == null ? "" : ((dev.headroom.catalog.Model) cell.getItem()).name())))
                .queryAs(Node.class));
    }

    @SuppressWarnings("unchecked")
    private <T> void select(FxRobot robot, String step, String id, T value) {
        robot.clickOn(step);
        ComboBox<T> box = robot.lookup(id).queryAs(ComboBox.class);
        robot.interact(() -> box.getSelectionModel().select(value));
    }

    private String total(FxRobot robot) {
        return robot.lookup("#plan-total").queryAs(Label.class).getText();
    }

    @Test
    void llama31On4090InFp16ShowsTheEnginesTotalAndQ4KmLowersIt(FxRobot robot) {
        chooseModel(robot, "Llama 3.1 8B");
        select(robot, "#step-2", "#plan-weights", WeightFormat.FP16);
        Gpu rtx4090 = CATALOG.requireGpu("rtx-4090");
        select(robot, "#step-4", "#plan-gpu", rtx4090);

        Scenario shown = vm.currentScenario();
        assertThat(shown.model().catalogId()).isEqualTo("llama-3.1-8b");
        assertThat(shown.hardware().gpuId()).isEqualTo("rtx-4090");
        Estimate engine = ENGINE.estimate(shown);
        assertThat(total(robot)).isEqualTo(String.format(Locale.ROOT, "%.2f", engine.memory().totalBytes() / Format.GIB));
        double fp16 = Double.parseDouble(total(robot));

        select(robot, "#step-2", "#plan-weights", WeightFormat.Q4_K_M);
        assertThat(Double.parseDouble(total(robot))).isLessThan(fp16);
        assertThat(robot.lookup("#plan-fits").queryAs(Label.class).getText()).startsWith("Fits on 1 x rtx-4090");
    }

    @Test
    void anInvalidBatchShowsTheMessageAndNoStaleResult(FxRobot robot) {
        robot.clickOn("#step-3");
        robot.doubleClickOn("#plan-batch").eraseText(3).write("0");
        assertThat(robot.lookup("#plan-batch").queryAs(javafx.scene.control.TextField.class).getText()).isEqualTo("0");

        assertThat(vm.getEstimate()).isNull();
        assertThat(vm.problems()).containsExactly("batch = 0: must be between 1 and 1048576");
        assertThat(robot.lookup("#plan-problems").queryAs(Label.class).getText())
                .contains("batch = 0: must be between 1 and 1048576");
        assertThat(robot.lookup("#plan-total").tryQuery()).satisfiesAnyOf(
                total -> assertThat(total).isEmpty(),
                total -> assertThat(total.get().isVisible() && total.get().getParent().getParent().isVisible()).isFalse());
        assertThat(vm.fieldProblems()).containsKey("batch");

        robot.doubleClickOn("#plan-batch").eraseText(3).write("4");
        assertThat(vm.getEstimate()).isNotNull();
        assertThat(vm.fieldProblems()).isEmpty();
    }

    @Test
    void savingClosingAndReopeningGivesIdenticalResults(FxRobot robot) throws Exception {
        chooseModel(robot, "Qwen2.5 32B");
        select(robot, "#step-2", "#plan-weights", WeightFormat.AWQ_INT4);
        robot.clickOn("#step-3");
        robot.doubleClickOn("#plan-batch").eraseText(3).write("12");
        Estimate before = vm.getEstimate();
        Path file = folder.resolve("qwen" + PlanFile.EXTENSION);

        robot.interact(() -> view.saveTo(file));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(file).exists();
        assertThat(vm.isDirty()).isFalse();
        assertThat(robot.lookup("#plan-title").queryAs(Label.class).getText()).isEqualTo("qwen" + PlanFile.EXTENSION);

        robot.interact(vm::reset);
        assertThat(vm.getEstimate()).isNotEqualTo(before);
        robot.interact(() -> view.openFile(file));
        WaitForAsyncUtils.waitForFxEvents();

        Estimate after = vm.getEstimate();
        assertThat(after.memory()).isEqualTo(before.memory());
        assertThat(after.fit()).isEqualTo(before.fit());
        assertThat(after.performance()).isEqualTo(before.performance());
        assertThat(vm.isDirty()).isFalse();
    }

    @Test
    void anEditMarksThePlanUnsaved(FxRobot robot) {
        assertThat(vm.isDirty()).isFalse();
        robot.clickOn("#step-3");
        robot.doubleClickOn("#plan-batch").eraseText(3).write("2");
        assertThat(vm.isDirty()).isTrue();
        assertThat(robot.lookup("#plan-title").queryAs(Label.class).getText()).endsWith("*");
    }

    @Test
    void comparingTwoPlansHighlightsTheChangedFields(FxRobot robot) throws Exception {
        Scenario first = new Scenario(Scenario.ModelSpec.catalog("llama-3.1-70b"), null, null,
                new Scenario.Precision(WeightFormat.FP8, null, null, null), null,
                new Scenario.Parallelism(4, null, null, null, null, null, null, null, null, null), null,
                new Scenario.Hardware("h100-sxm", 4), null, null, null);
        Scenario second = new Scenario(first.model(), null, null,
                new Scenario.Precision(WeightFormat.AWQ_INT4, null, null, null), null, first.parallelism(), null,
                first.hardware(), null, null, null);
        Path a = folder.resolve("fp8" + PlanFile.EXTENSION);
        Path b = folder.resolve("awq" + PlanFile.EXTENSION);
        PlanFile.write(a, first);
        PlanFile.write(b, second);

        robot.interact(() -> view.compareFiles(List.of(a, b)));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#compare-table").tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();

        TableView<ComparePlansPane.Row> table = robot.lookup("#compare-table").queryAs(TableView.class);
        // The table virtualises its rows: look at the top, then at the bottom, where the results follow the inputs.
        java.util.Set<String> changed = new java.util.LinkedHashSet<>();
        for (int index : List.of(0, table.getItems().size() - 1)) {
            robot.interact(() -> table.scrollTo(index));
            WaitForAsyncUtils.waitForFxEvents();
            Set<Node> highlighted = robot.from(table).lookup(".differs").queryAll();
            highlighted.stream().map(n -> ((javafx.scene.control.TableCell<?, ?>) n).getTableRow().getItem())
                    .filter(java.util.Objects::nonNull)
                    .map(row -> ((ComparePlansPane.Row) row).field()).forEach(changed::add);
        }
        assertThat(changed).contains("Weights", "Total per GPU (GiB)").doesNotContain("Model", "GPU", "Batch");
        // KV per token is the engine's, not a formula of the comparison's own
        ComparePlansPane.Row kv = table.getItems().stream().filter(r -> r.field().equals("KV cache per token (bytes)"))
                .findFirst().orElseThrow();
        assertThat(kv.values().get(0)).isEqualTo(String.format(Locale.ROOT, "%,d",
                ENGINE.estimate(first).kvCacheBytesPerToken()));
        robot.interact(() -> Window.getWindows().stream().filter(w -> w instanceof Stage s && "Compare plans".equals(s.getTitle()))
                .toList().forEach(w -> ((Stage) w).close()));
    }

    @Test
    void theModelSearchFiltersByNameFamilySizeAndKind(FxRobot robot) {
        robot.clickOn("#plan-model-search").write("moe");
        ListView<?> list = robot.lookup("#plan-model-list").queryAs(ListView.class);
        // "moe" is a kind: exactly the catalog's models with experts, Mixtral to Kimi K2.5
        List<String> withExperts = CATALOG.models().values().stream()
                .filter(m -> m.architecture().hasExperts()).map(dev.headroom.catalog.Model::id).toList();
        assertThat(withExperts).contains("mixtral-8x7b", "deepseek-v3", "gpt-oss-120b", "kimi-k2.5");
        assertThat(list.getItems()).extracting(m -> ((dev.headroom.catalog.Model) m).id())
                .containsExactlyInAnyOrderElementsOf(withExperts);
        robot.doubleClickOn("#plan-model-search").eraseText(3).write("qwen2 72b");
        assertThat(list.getItems()).extracting(m -> ((dev.headroom.catalog.Model) m).id()).containsExactly("qwen2.5-72b");
    }

    @Test
    void importingAConfigUsesItsArchitecture(FxRobot robot) throws Exception {
        Path config = dev.headroom.SharedFixtures.hfConfig("mixtral-8x7b-v0.1");
        robot.interact(() -> view.importConfig(config));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.modelSourceProperty().get()).isEqualTo(PlanViewModel.ModelSource.IMPORTED);
        assertThat(vm.getEstimate().parameters()).isEqualTo(46_702_792_704L);
        assertThat(robot.lookup("#plan-derived-params").queryAs(Label.class).getText()).contains("46.70 B");
    }

    /**
     * Records how long an edit holds the FX thread (estimate plus every listener: results, chart, tables). It is a
     * figure for the notes, printed to the test output, not a timed assertion.
     */
    @Test
    void editsAreTimedOnTheFxThread(FxRobot robot) {
        robot.clickOn("#step-3");
        java.util.List<Double> millis = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int tokens = 1024 + 512 * i;
            robot.interact(() -> vm.inputTokensProperty().set(Integer.toString(tokens)));
            millis.add(vm.recomputeMillisProperty().get());
        }
        java.util.List<Double> warm = millis.subList(10, millis.size()).stream().sorted().toList();
        System.out.printf(Locale.ROOT, "plan edit on the FX thread: median %.2f ms, max %.2f ms (20 warm edits)%n",
                warm.get(warm.size() / 2), warm.get(warm.size() - 1));
        assertThat(millis).allSatisfy(ms -> assertThat(ms).isPositive());
        assertThat(vm.getEstimate().memory().kvCacheBytes()).isPositive();
        assertThat(Files.exists(folder)).isTrue();
    }

    /** The memory chart's Export menu and a report from the toolbar, both written off the FX thread and read back. */
    @Test
    void exportsTheMemoryChartAndThePlanReport(FxRobot robot) throws Exception {
        chooseModel(robot, "Llama 3.1 8B");
        javafx.scene.control.MenuButton export = robot.lookup("#plan-chart-memory-export")
                .queryAs(javafx.scene.control.MenuButton.class);
        assertThat(export.getItems()).extracting(javafx.scene.control.MenuItem::getText).contains(
                "Export PNG (1280 \u00d7 720)\u2026", "Export PNG for print, 300 dpi\u2026", "Export SVG\u2026",
                "Export PDF\u2026", "Copy as image");
        org.jfree.chart.fx.ChartViewer chart = robot.lookup("#plan-chart-memory")
                .queryAs(org.jfree.chart.fx.ChartViewer.class);
        Path png = folder.resolve("memory-" + System.nanoTime() + ".png");
        robot.interact(() -> dev.headroom.ui.common.ChartExportMenu.of(chart, () -> "footnote", Runnable::run, s -> { })
                .export(dev.headroom.ui.common.ChartExportMenu.Target.PNG_2X, png));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(png));
        assertThat(javax.imageio.ImageIO.read(png.toFile()).getWidth()).isEqualTo(2560);

        Path html = folder.resolve("report-" + System.nanoTime() + ".html");
        robot.interact(() -> view.exportReport(dev.headroom.report.Report.Format.HTML, html));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(html));
        assertThat(Files.readString(html)).contains("Llama 3.1 8B")
                .contains("<td>" + Format.gib(vm.getEstimate().memory().totalBytes()) + "</td>");
    }

    private javafx.scene.control.TextField field(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(javafx.scene.control.TextField.class);
    }

    private boolean resultsShow(FxRobot robot, String start) {
        return robot.lookup((Node n) -> n instanceof Label l && l.getText() != null && l.getText().startsWith(start)
                && l.isVisible()).tryQuery().isPresent();
    }

    /** A unified machine's GPU share is its own field: off for a GPU with memory of its own, on for a Mac. */
    @Test
    void theUnifiedShareFieldIsEnabledOnlyForAUnifiedMemoryGpu(FxRobot robot) {
        select(robot, "#step-4", "#plan-gpu", CATALOG.requireGpu("h100-sxm"));
        javafx.scene.control.TextField share = field(robot, "#plan-unified-gpu-share");
        assertThat(share.isDisabled()).isTrue();
        assertThat(share.getPromptText()).isEqualTo("unified-memory machines only");

        select(robot, "#step-4", "#plan-gpu", CATALOG.requireGpu("apple-m3-ultra-512gb"));
        assertThat(share.isDisabled()).isFalse();
        // the catalog's Metal working-set default, and how macOS raises it
        assertThat(share.getPromptText()).startsWith("0.75");
        assertThat(share.getTooltip().getText()).contains("sudo sysctl iogpu.wired_limit_mb");
        // what the share leaves to the CPU: 512 GiB x (1 - 0.75)
        assertThat(field(robot, "#plan-host-memory").getPromptText()).startsWith("128: what a GPU share of 0.75 leaves");
    }

    /** A saved plan's nodes, network, host memory and -ngl come back into the hardware step's controls. */
    @Test
    @SuppressWarnings("unchecked")
    void aSavedPlansNodesAndOffloadLoadBackIntoTheControls(FxRobot robot) throws Exception {
        Scenario multiNode = new Scenario(Scenario.ModelSpec.catalog("llama-3.1-8b"), null, null, null, null,
                new Scenario.Parallelism(8, null, 2, null, null, null, null, null, null, null), null,
                new Scenario.Hardware("h100-sxm", 16, new Scenario.Nodes(2, 8, "roce-400"),
                        new Scenario.Offload(null, null, 1024L << 30, null), null), null, null, null);
        Path file = folder.resolve("two-nodes" + PlanFile.EXTENSION);
        PlanFile.write(file, multiNode);
        robot.interact(() -> view.openFile(file));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#step-4");

        assertThat(field(robot, "#plan-nodes").getText()).isEqualTo("2");
        assertThat(field(robot, "#plan-gpus-per-node").getText()).isEqualTo("8");
        assertThat(robot.lookup("#plan-network").queryAs(ComboBox.class).getValue()).isEqualTo("roce-400");
        assertThat(field(robot, "#plan-host-memory").getText()).isEqualTo("1024");
        assertThat(robot.lookup("#plan-cpu-offload").queryAs(ComboBox.class).getValue())
                .isEqualTo(PlanViewModel.CpuOffload.NONE);
        assertThat(field(robot, "#plan-gpu-layers").isDisabled()).isTrue();
        // 400 GbE RoCE: one 50 GB/s port per H100 (nicsPerNode 8)
        assertThat(robot.lookup("#plan-layout").queryAs(Label.class).getText())
                .startsWith("2 nodes x 8 GPUs (NVLink 4 domain 8), 400 GbE RoCE").endsWith("50 GB/s per GPU");
        assertThat(vm.currentScenario().hardware()).isEqualTo(multiNode.hardware());
        assertThat(vm.isDirty()).isFalse();

        Scenario layers = new Scenario(Scenario.ModelSpec.catalog("llama-3.1-70b"), null, null,
                new Scenario.Precision(WeightFormat.Q4_K_M, null, null, null), null, null, null,
                new Scenario.Hardware("rtx-4090", 1, null, new Scenario.Offload(40, null, null, null), null),
                dev.headroom.sizing.RuntimeProfile.LLAMA_CPP, null, null);
        Path second = folder.resolve("ngl" + PlanFile.EXTENSION);
        PlanFile.write(second, layers);
        robot.interact(() -> view.openFile(second));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#plan-cpu-offload").queryAs(ComboBox.class).getValue())
                .isEqualTo(PlanViewModel.CpuOffload.GPU_LAYERS);
        javafx.scene.control.TextField gpuLayers = field(robot, "#plan-gpu-layers");
        assertThat(gpuLayers.getText()).isEqualTo("40");
        assertThat(gpuLayers.isVisible() && !gpuLayers.isDisabled()).isTrue();
        assertThat(field(robot, "#plan-nodes").getText()).isEmpty();
        assertThat(robot.lookup("#plan-network").queryAs(ComboBox.class).getValue()).isEqualTo("");
    }

    /**
     * Llama 3.1 70B in Q4_K_M does not fit a 24 GiB RTX 4090; with 40 GPU layers (-ngl 40) it does, and the results
     * say where the rest lives: the host line and a decode bound by host memory.
     */
    @Test
    @SuppressWarnings("unchecked")
    void gpuLayersOnAnRtx4090ShowTheHostMemoryLineInTheResults(FxRobot robot) {
        chooseModel(robot, "Llama 3.1 70B");
        select(robot, "#step-2", "#plan-weights", WeightFormat.Q4_K_M);
        select(robot, "#step-4", "#plan-gpu", CATALOG.requireGpu("rtx-4090"));
        assertThat(resultsShow(robot, "Does not fit")).isTrue();
        assertThat(resultsShow(robot, "Host memory per node")).isFalse();

        ComboBox<PlanViewModel.CpuOffload> offload = robot.lookup("#plan-cpu-offload").queryAs(ComboBox.class);
        robot.interact(() -> offload.getSelectionModel().select(PlanViewModel.CpuOffload.GPU_LAYERS));
        javafx.scene.control.TextField gpuLayers = field(robot, "#plan-gpu-layers");
        assertThat(vm.fieldProblems().get("gpu-layers")).isEqualTo("gpu-layers: is required");
        robot.interact(() -> gpuLayers.setText("40"));

        assertThat(vm.currentScenario().hardware().offload()).isEqualTo(new Scenario.Offload(40, null, null, null));
        Estimate.Host host = vm.getEstimate().host();
        assertThat(host).isNotNull();
        // -ngl counts the output head as a layer: 39 of the 80 repeating layers on the GPU, 41 on the CPU
        assertThat(resultsShow(robot, "Host memory per node")).isTrue();
        assertThat(resultsShow(robot, "39 layers on the GPU, 41 on the CPU: " + Format.gib(host.weightsBytes())
                + " weights")).isTrue();
        assertThat(resultsShow(robot, HardwareText.host(host))).isTrue();
        assertThat(HardwareText.host(host)).endsWith("of 64.0 GiB, fits");
        assertThat(robot.lookup("#plan-fits").queryAs(Label.class).getText()).startsWith("Fits on 1 x rtx-4090");
        assertThat(resultsShow(robot, ResultsPane.seconds(vm.getEstimate().performance().timePerOutputTokenSeconds())
                + " (host-memory-bound)")).isTrue();

        robot.interact(() -> gpuLayers.setText("-1"));
        assertThat(vm.problems()).containsExactly("gpu-layers = -1: must be between 0 and 100000");
    }

    /** The model step states the layer pattern; the Charts tab draws KV per token where it varies, and exports it. */
    @Test
    void slidingWindowLayersShowInTheModelStepAndAsAKvChart(FxRobot robot) throws Exception {
        chooseModel(robot, "Gemma 2 9B");
        assertThat(robot.lookup("#plan-attention-pattern").queryAs(Label.class).getText())
                .isEqualTo(vm.getAttentionPattern()).startsWith("1 sliding (4,096) : 1 full");
        assertThat(robot.lookup("#plan-ffn-layout").queryAs(Label.class).getText()).isEqualTo("42 dense");

        javafx.scene.control.TabPane tabs = robot.lookup("#plan-results-tabs").queryAs(javafx.scene.control.TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(1));
        org.jfree.chart.fx.ChartViewer kv = robot.lookup("#plan-chart-kv-per-token")
                .queryAs(org.jfree.chart.fx.ChartViewer.class);
        assertThat(kv.isVisible()).isTrue();
        assertThat(kv.getChart().getTitle().getText()).isEqualTo("KV cache per token by context length");
        Path svg = folder.resolve("kv-" + System.nanoTime() + ".svg");
        robot.interact(() -> dev.headroom.ui.common.ChartExportMenu.of(kv, () -> "footnote", Runnable::run, s -> { })
                .export(dev.headroom.ui.common.ChartExportMenu.Target.SVG, svg));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(svg));
        assertThat(Files.readString(svg)).contains("KV cache per token by context length");

        // every Llama layer keeps the whole context: no chart, and the note gives the one number
        robot.interact(() -> robot.lookup("#plan-model-search").queryAs(javafx.scene.control.TextField.class).clear());
        chooseModel(robot, "Llama 3.1 8B");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(kv.isVisible()).isFalse();
        assertThat(robot.lookup((Node n) -> n instanceof Label l && l.getText() != null
                && l.getText().contains("KV cache per token is 131,072 bytes at every context")).tryQuery()).isPresent();
    }
}
