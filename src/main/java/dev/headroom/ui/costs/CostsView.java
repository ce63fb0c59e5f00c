package dev.headroom.ui.costs;

import dev.headroom.catalog.Gpu;
import dev.headroom.common.Format;
import dev.headroom.cost.BuyerComparison;
import dev.headroom.cost.CostOption;
import dev.headroom.cost.Sensitivity;
import dev.headroom.report.CostCharts;
import dev.headroom.ui.common.Forms;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.controlsfx.validation.ValidationSupport;
import org.jfree.chart.fx.ChartViewer;

/**
 * Costs: the option (from the plan or typed in) and the assumptions on the left; on the right the cumulative
 * owned-vs-cloud chart with its crossovers, every cloud offer, $ per million tokens, the sensitivity tornado and
 * the consumer vs data-center comparison.
 */
public final class CostsView extends BorderPane {
    private final CostsViewModel vm;
    private final Label planSummary = new Label();
    private final Label summary = new Label();
    private final Label problems = new Label();
    private final ChartViewer cumulative = viewer("costs-chart-cumulative", 380);
    private final ChartViewer perMillion = viewer("costs-chart-per-million", 360);
    private final ChartViewer tornado = viewer("costs-chart-tornado", 340);
    private final Label perMillionNote = muted("");
    private final Label tornadoDetail = muted("");
    private final TableView<CostOption.Versus> offers = new TableView<>();
    private final TableView<BuyerComparison.Row> buyers = new TableView<>();
    private final ValidationSupport validation = new ValidationSupport();

    private final java.util.function.Function<ChartViewer, javafx.scene.Node> exportable;

    public CostsView(CostsViewModel vm, java.util.function.Function<ChartViewer, javafx.scene.Node> exportable) {
        this.vm = vm;
        this.exportable = exportable;
        setId("costs-view");
        setTop(optionBar());
        SplitPane split = new SplitPane(assumptions(), results());
        split.setDividerPositions(0.24);
        setCenter(split);
        vm.revisionProperty().addListener((obs, old, now) -> refresh());
        refresh();
    }

    private VBox optionBar() {
        ComboBox<Gpu> gpu = Forms.choice(vm.gpuProperty(), vm.catalog().gpus().values(), g -> g.name() + " (" + g.id() + ")",
                "costs-gpu");
        gpu.setAccessibleText("GPU to cost");
        TextField count = Forms.textField(vm.countProperty(), "costs-count");
        count.setPrefColumnCount(4);
        count.setAccessibleText("Count of GPUs");
        TextField tokens = Forms.textField(vm.tokensPerSecondProperty(), "costs-tokens");
        tokens.setPromptText("unknown");
        tokens.setAccessibleText("Tokens per second of all these GPUs");
        tokens.setTooltip(Forms.tooltip("Output tokens per second of all these GPUs together (training: tokens"
                + " trained per second). The plan fills it from the sizing engine; blank leaves $ per token out."));
        Button fromPlan = new Button("Use current plan");
        fromPlan.setId("costs-use-plan");
        fromPlan.setOnAction(e -> vm.usePlan());
        fromPlan.disableProperty().bind(vm.planProperty().isNull());
        Forms.validate(validation, count, vm.problems(), "gpus");
        Forms.validate(validation, tokens, vm.problems(), "tokens");
        planSummary.textProperty().bind(vm.planSummaryProperty());
        planSummary.getStyleClass().add("text-muted");
        HBox bar = new HBox(8, fixed("GPU"), gpu, fixed("Count"), count, fixed("Tokens/s"), tokens, fromPlan);
        bar.setAlignment(Pos.CENTER_LEFT);
        fromPlan.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        VBox top = new VBox(4, bar, planSummary);
        top.setPadding(new Insets(8, 12, 8, 12));
        return top;
    }

    /** One column: label, field, and the default's source under it, so every source is visible, not only on hover. */
    private ScrollPane assumptions() {
        VBox fields = new VBox(10);
        for (CostsViewModel.Field field : CostsViewModel.FIELDS) {
            TextField text = Forms.textField(vm.valueProperty(field.key()), "costs-" + field.key());
            if (field.key().equals("gpu-price")) {
                text.setPromptText("catalog price");
            }
            text.setTooltip(Forms.tooltip(field.source()));
            Forms.validate(validation, text, vm.problems(), field.key());
            Label label = new Label(field.label());
            label.setLabelFor(text);
            label.getStyleClass().add("text-bold");
            fields.getChildren().add(new VBox(2, label, text, muted(field.source())));
        }
        Button reset = new Button("Reset to sourced defaults");
        reset.setId("costs-reset");
        reset.setOnAction(e -> vm.resetAssumptions());
        problems.setId("costs-problems");
        problems.setWrapText(true);
        problems.getStyleClass().add("danger");
        Label title = new Label("Assumptions");
        title.getStyleClass().add("title-4");
        VBox box = new VBox(8, title, reset, problems, fields);
        box.setPadding(new Insets(8, 12, 8, 12));
        ScrollPane scroll = new ScrollPane(box);
        scroll.setFitToWidth(true);
        return scroll;
    }

    private TabPane results() {
        summary.setId("costs-summary");
        summary.setWrapText(true);
        offers.setId("costs-offers");
        offers.setAccessibleText("Cloud offers against owning, with the break-even of each");
        offers.setItems(vm.shownOffers());
        offers.getColumns().setAll(List.of(
                offerColumn("Provider", CostOption.Versus::provider, 90),
                offerColumn("Instance", CostOption.Versus::instanceType, 150),
                offerColumn("Pricing", CostOption.Versus::pricing, 80),
                offerColumn("$/GPU-h", v -> money(v.gpuHourUsd()), 70),
                offerColumn("Dated", CostOption.Versus::priceDate, 85),
                offerColumn("Cloud $/month", v -> Format.usd(v.monthlyUsd()), 100),
                offerColumn("Break-even month", v -> v.breakEvenMonth() == null ? "not within horizon"
                        : Integer.toString(v.breakEvenMonth()), 120),
                offerColumn("Break-even utilization", v -> v.breakEvenUtilization() == null
                        ? (v.pricing().contains("year") ? "n/a (committed)" : "never")
                        : v.breakEvenUtilization() > 1 ? "never (> 100 %)" : Format.percent(v.breakEvenUtilization()), 140),
                offerColumn("Cloud $/Mtok", v -> v.costPerMillionTokensUsd() == null ? "-" : money(v.costPerMillionTokensUsd()), 90)));
        offers.getSelectionModel().selectedItemProperty().addListener((obs, old, v) -> {
            if (v != null) {
                vm.sensitivityOfferProperty().set(v.offer());
            }
        });
        offers.setPrefHeight(170);
        Label offersNote = muted("The cheapest catalog offer of each pricing kind for this GPU. On-demand and spot are"
                + " billed for the hours used (the utilization); 1- and 3-year commitments for every hour. Select a"
                + " row to see the sensitivity against it.");
        VBox owned = new VBox(8, summary, exportable.apply(cumulative), offersNote, offers);
        owned.setPadding(new Insets(8));
        buyers.setId("costs-buyers");
        buyers.setAccessibleText("Consumer and data-center GPUs for this plan, by cost");
        buyers.setItems(vm.buyerRows());
        buyers.getColumns().setAll(List.of(
                buyerColumn("GPU", BuyerComparison.Row::gpu, 105),
                buyerColumn("Class", BuyerComparison.Row::gpuClass, 95),
                buyerColumn("GPUs", r -> Integer.toString(r.count()), 50),
                buyerColumn("Layout", BuyerComparison.Row::layout, 90),
                buyerColumn("Capex", r -> Format.usd(r.cost().capexUsd()), 85),
                buyerColumn("kW", r -> String.format(Locale.ROOT, "%.2f", r.cost().powerKw()), 55),
                buyerColumn("Tokens/s", r -> Format.number(round(r.tokensPerSecond())), 70),
                buyerColumn("$/Mtok", r -> r.cost().costPerMillionTokensUsd() == null ? "-"
                        : money(r.cost().costPerMillionTokensUsd()), 70),
                buyerColumn("Free GiB", r -> String.format(Locale.ROOT, "%.1f", r.headroomGib()), 70),
                buyerColumn("Caveats", r -> String.join("; ", r.caveats()), 700)));
        buyers.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        buyers.setTooltip(Forms.tooltip("Free GiB: memory left per GPU on that layout. Caveats scroll to the right."));
        VBox buyersBox = new VBox(8, muted("Every catalog GPU that can run the plan, with as many as it needs, owned at"
                + " these assumptions (each at its own catalog price). Capex includes servers."), buyers);
        buyersBox.setPadding(new Insets(8));
        VBox.setVgrow(buyers, Priority.ALWAYS);
        VBox perMillionBox = new VBox(8, perMillionNote, exportable.apply(perMillion));
        perMillionBox.setPadding(new Insets(8));
        VBox tornadoBox = new VBox(8, muted("Each bar swings one input and holds the rest: how many months the"
                + " break-even moves. Electricity half to double, utilization 0.2 either side, GPU and cloud price"
                + " 25 % either side. Beyond 20 years (or never) is drawn at 20 years."), exportable.apply(tornado), tornadoDetail);
        tornadoDetail.setId("costs-tornado-detail");
        tornadoBox.setPadding(new Insets(8));
        TabPane tabs = new TabPane(tab("Owned vs cloud", owned), tab("$ per million tokens", perMillionBox),
                tab("Sensitivity", tornadoBox), new Tab("Consumer vs data-center", buyersBox));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("costs-tabs");
        tabs.setAccessibleText("Costs: owned against cloud, dollars per million tokens, sensitivity, consumer against data-center");
        return tabs;
    }

    private void refresh() {
        validation.revalidate();
        problems.setText(String.join("\n", vm.problems().values()));
        CostOption o = vm.getOption();
        if (o == null) {
            summary.setText("Fix the marked fields to see costs.");
            show(cumulative, null);
            show(perMillion, null);
            show(tornado, null);
            return;
        }
        summary.setText(String.format(Locale.ROOT, "Owning %d\u00d7 %s: capex %s (%s per GPU with its server share),"
                        + " opex %s a month, %s per useful GPU-hour (fixed %s/h over utilization + energy %s/h + idle %s/h while idle), %.2f kW"
                        + " provisioned.%s",
                o.count(), o.gpuName(), Format.usd(o.capexUsd()), Format.usd(o.capexPerGpuUsd()),
                Format.usd(o.monthlyOpexUsd()), money(o.costPerUsefulGpuHourUsd()), money(o.fixedPerGpuHourUsd()),
                money(o.energyPerBusyGpuHourUsd()), money(o.idlePerGpuHourUsd()), o.powerKw(),
                o.costPerMillionTokensUsd() == null ? " Throughput unknown: $ per token left out."
                        : String.format(Locale.ROOT, " %s per million tokens, %,.0f tokens per $, %.3f tokens/s per W,"
                                + " %.3f kWh per million tokens.", money(o.costPerMillionTokensUsd()), o.tokensPerDollar(),
                                o.tokensPerSecondPerWatt(), o.energyPerMillionTokensKwh())));
        show(cumulative, CostCharts.cumulative(o, vm.shownOffers()));
        List<CostCharts.Amount> amounts = new ArrayList<>();
        if (o.costPerMillionTokensUsd() != null) {
            amounts.add(new CostCharts.Amount(String.format("Owned %d\u00d7 %s", o.count(), o.gpu()),
                    o.costPerMillionTokensUsd()));
            for (CostOption.Versus v : vm.shownOffers()) {
                if (v.costPerMillionTokensUsd() != null) {
                    amounts.add(new CostCharts.Amount(String.format("Rent %d\u00d7 %s, %s %s", o.count(), o.gpu(),
                            v.provider(), v.pricing()), v.costPerMillionTokensUsd()));
                }
            }
        }
        for (BuyerComparison.Row r : vm.buyerRows()) {
            Double usd = r.cost().costPerMillionTokensUsd();
            String label = String.format("Owned %d\u00d7 %s", r.count(), r.gpu());
            if (usd != null && amounts.stream().noneMatch(a -> a.label().equals(label))) {
                amounts.add(new CostCharts.Amount(label, usd));
            }
        }
        perMillionNote.setText(amounts.isEmpty() ? "Give the throughput (tokens/s), or use a plan, to compare $ per"
                + " million tokens." : "Owned options at the assumed utilization; cloud offers for this GPU at the"
                + " same throughput. With a plan, every GPU that can run it is included.");
        show(perMillion, amounts.isEmpty() ? null : CostCharts.perMillionTokens(amounts));
        vm.shownOffers().stream().filter(v -> v.offer().equals(vm.sensitivityOfferProperty().get())).findFirst()
                .ifPresent(v -> offers.getSelectionModel().select(v));
        Sensitivity.Result s = vm.sensitivityProperty().get();
        show(tornado, s == null ? null : CostCharts.tornado(s));
        tornadoDetail.setText(s == null ? "No cloud offer for this GPU in the catalog: nothing to break even against."
                : "Base case against " + s.offer() + ": " + CostCharts.months(s.baseMonths()) + ".\n"
                        + s.bars().stream().map(b -> b.input() + ": " + b.lowLabel() + " \u2192 "
                                + CostCharts.months(b.lowMonths()) + ", " + b.highLabel() + " \u2192 "
                                + CostCharts.months(b.highMonths())).collect(java.util.stream.Collectors.joining("\n")));
    }

    /** ChartViewer takes no null chart: with nothing to draw the viewer steps out of the layout. */
    private static void show(ChartViewer viewer, org.jfree.chart.JFreeChart chart) {
        viewer.setVisible(chart != null);
        viewer.setManaged(chart != null);
        if (chart != null) {
            viewer.setChart(chart);
        }
    }

    private static Tab tab(String title, VBox content) {
        ScrollPane scroll = new ScrollPane(content);
        scroll.setFitToWidth(true);
        return new Tab(title, scroll);
    }

    private static ChartViewer viewer(String id, double height) {
        ChartViewer viewer = new ChartViewer();
        viewer.setId(id);
        viewer.setPrefHeight(height);
        viewer.setMinHeight(height - 40);
        return viewer;
    }

    private static Label fixed(String text) {
        Label label = new Label(text);
        label.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return label;
    }

    private static Label muted(String text) {
        Label label = new Label(text);
        label.setWrapText(true);
        label.getStyleClass().add("text-muted");
        return label;
    }

    private static String money(double usd) {
        return String.format(Locale.ROOT, "$%.3f", usd);
    }

    private static Double round(Double value) {
        return value == null ? null : Math.rint(value);
    }

    private static <T> TableColumn<T, String> column(String title, Function<T, String> value, double width) {
        TableColumn<T, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return column;
    }

    private static TableColumn<CostOption.Versus, String> offerColumn(String title,
                                                                     Function<CostOption.Versus, String> value,
                                                                     double width) {
        return column(title, value, width);
    }

    private static TableColumn<BuyerComparison.Row, String> buyerColumn(String title,
                                                                       Function<BuyerComparison.Row, String> value,
                                                                       double width) {
        return column(title, value, width);
    }
}
