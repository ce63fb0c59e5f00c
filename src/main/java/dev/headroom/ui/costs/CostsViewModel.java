package dev.headroom.ui.costs;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.Gpu;
import dev.headroom.common.Format;
import dev.headroom.cost.BuyerComparison;
import dev.headroom.cost.CostAssumptions;
import dev.headroom.cost.CostEngine;
import dev.headroom.cost.CostOption;
import dev.headroom.cost.Sensitivity;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import dev.headroom.sizing.SizingEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;

/**
 * State of the Costs workspace. The option (GPU, count, throughput) comes from the current plan or is typed in;
 * every assumption is a text field that starts at its sourced default. Each edit recomputes on the spot: the cost
 * engine is arithmetic over a few dozen offers (microseconds), so nothing here waits.
 */
public final class CostsViewModel {
    /** One assumption: the engine's field name (as in messages and CLI flags), its label and where the default is from. */
    public record Field(String key, String label, String source, Function<CostAssumptions, Number> value) {
    }

    public static final List<Field> FIELDS = List.of(
            new Field("gpu-price", "GPU price ($ each)", "Blank: the catalog's dated price for the GPU.",
                    CostAssumptions::gpuPriceUsd),
            new Field("server-overhead", "Server cost \u00d7 GPU price", "Epoch AI: servers cost 1.64\u00d7 their GPUs.",
                    CostAssumptions::serverOverhead),
            new Field("network-fraction", "Network share (beyond one node)",
                    "Epoch AI: cluster interconnect is 19 % of total cost; one node needs none.",
                    CostAssumptions::networkFraction),
            new Field("life-years", "Depreciation (years)", "Epoch AI: 5 years straight-line for hardware from 2023 on.",
                    CostAssumptions::lifeYears),
            new Field("electricity", "Electricity ($/kWh)", "Epoch AI: US industrial average 2025, $0.0826/kWh.",
                    CostAssumptions::electricityUsdPerKwh),
            new Field("pue", "PUE", "Epoch AI: 1.25 for data centers; LBNL measures 1.5-2.1 in small server rooms.",
                    CostAssumptions::pue),
            new Field("utilization", "Utilization (0-1)",
                    "Assumption: GPUs do useful work 60 % of hours. Set your own.", CostAssumptions::utilization),
            new Field("load-fraction", "Load while working (0-1)", "Epoch AI: average draw is 75 % of server power.",
                    CostAssumptions::loadFraction),
            new Field("idle-fraction", "Idle draw (0-1)",
                    "Derived: GPUs idle at 5-15 % of TDP (nvidia-smi captures); 0 if servers are off between jobs.",
                    CostAssumptions::idleFraction),
            new Field("server-power", "Server power \u00d7 GPU TDP",
                    "DGX H100: 10.2 kW for 8 GPUs of 700 W = 1.82\u00d7.", CostAssumptions::serverPowerMultiplier),
            new Field("colo", "Colocation ($/kW-month)",
                    "CBRE North America H2 2024: $184.06/kW-month. 0 in your own room.",
                    CostAssumptions::coloUsdPerKwMonth),
            new Field("maintenance", "Maintenance (share of capex/yr)", "Assumption: support and spares, 10 % a year.",
                    CostAssumptions::maintenanceFraction),
            new Field("staff", "Staff ($/year)", "Assumption: 0. People to run the hardware, spread over its GPUs.",
                    CostAssumptions::staffUsdPerYear),
            new Field("horizon-months", "Horizon (months)", "How far the cumulative chart runs.",
                    CostAssumptions::horizonMonths));

    private final Catalog catalog;
    private final CostEngine engine;
    private final SizingEngine sizing;
    private final BuyerComparison buyers;
    private final Map<String, StringProperty> values = new LinkedHashMap<>();
    private final ObjectProperty<Gpu> gpu = new SimpleObjectProperty<>(this, "gpu");
    private final StringProperty count = new SimpleStringProperty(this, "count", "1");
    private final StringProperty tokensPerSecond = new SimpleStringProperty(this, "tokensPerSecond", "");
    private final StringProperty sensitivityOffer = new SimpleStringProperty(this, "sensitivityOffer");
    private final ObjectProperty<Scenario> plan = new SimpleObjectProperty<>(this, "plan");
    private final ReadOnlyStringWrapper planSummary = new ReadOnlyStringWrapper(this, "planSummary", "");
    private final ReadOnlyObjectWrapper<CostOption> option = new ReadOnlyObjectWrapper<>(this, "option");
    private final ReadOnlyObjectWrapper<Sensitivity.Result> sensitivity = new ReadOnlyObjectWrapper<>(this, "sensitivity");
    private final ObservableList<CostOption.Versus> shownOffers = FXCollections.observableArrayList();
    private final ObservableList<BuyerComparison.Row> buyerRows = FXCollections.observableArrayList();
    private final ObservableMap<String, String> problems = FXCollections.observableHashMap();
    private final javafx.beans.property.ReadOnlyIntegerWrapper revision = new javafx.beans.property.ReadOnlyIntegerWrapper(this, "revision");
    private boolean loading;

    public CostsViewModel(Catalog catalog) {
        this.catalog = catalog;
        this.engine = new CostEngine(catalog);
        this.sizing = new SizingEngine(catalog);
        this.buyers = new BuyerComparison(catalog);
        for (Field field : FIELDS) {
            StringProperty value = new SimpleStringProperty(this, field.key());
            values.put(field.key(), value);
            value.addListener((obs, old, now) -> recompute());
        }
        resetAssumptions();
        gpu.set(catalog.gpu("h100-sxm").orElse(catalog.gpus().values().iterator().next()));
        gpu.addListener((obs, old, now) -> followDefaults(old, now));
        count.addListener((obs, old, now) -> recompute());
        tokensPerSecond.addListener((obs, old, now) -> recompute());
        sensitivityOffer.addListener((obs, old, now) -> recompute());
        plan.addListener((obs, old, now) -> usePlan());
        recompute();
    }

    /** Every assumption back to its sourced default for the selected GPU. */
    public void resetAssumptions() {
        loading = true;
        CostAssumptions defaults = defaultsOf(gpu.get());
        for (Field field : FIELDS) {
            values.get(field.key()).set(text(field.value().apply(defaults)));
        }
        loading = false;
        recompute();
    }

    /**
     * A new GPU brings its own defaults (a unified machine or a rack price takes no server multiple): fields still
     * at the old GPU's default follow; a value the user typed stays.
     */
    private void followDefaults(Gpu old, Gpu now) {
        CostAssumptions before = defaultsOf(old);
        CostAssumptions after = defaultsOf(now);
        loading = true;
        for (Field field : FIELDS) {
            StringProperty value = values.get(field.key());
            if (text(field.value().apply(before)).equals(value.get())) {
                value.set(text(field.value().apply(after)));
            }
        }
        loading = false;
        recompute();
    }

    private static CostAssumptions defaultsOf(Gpu gpu) {
        return gpu == null ? CostAssumptions.DEFAULTS : CostAssumptions.defaultsFor(gpu);
    }

    private static String text(Number value) {
        return value == null ? "" : Format.plain(value.doubleValue());
    }

    /** The GPU, count and throughput of the current plan, when there is one; the buyer comparison follows it. */
    public void usePlan() {
        Scenario s = plan.get();
        if (s == null) {
            planSummary.set("No plan yet: pick a GPU and count, or size one in Plan.");
            recompute();
            return;
        }
        try {
            Estimate e = sizing.estimate(s);
            loading = true;
            catalog.gpu(s.hardware().gpuId()).ifPresent(gpu::set);
            count.set(Integer.toString(s.hardware().count()));
            Double tokens = e.performance().outputTokensPerSecond() != null ? e.performance().outputTokensPerSecond()
                    : e.performance().trainingTokensPerSecond();
            tokensPerSecond.set(tokens == null ? "" : Format.plain(tokens));
            planSummary.set(String.format("From the plan: %s, %s on %d\u00d7 %s", e.model(),
                    s.workload().isTraining() ? "training" : "inference", s.hardware().count(), s.hardware().gpuId()));
        } catch (ScenarioException ex) {
            planSummary.set("The plan has problems (" + String.join("; ", ex.problems()) + "); pick by hand.");
        } finally {
            loading = false;
        }
        recompute();
    }

    public void recompute() {
        if (loading) {
            return;
        }
        Map<String, String> found = new LinkedHashMap<>();
        Map<String, Double> parsed = new LinkedHashMap<>();
        for (Field field : FIELDS) {
            String text = values.get(field.key()).get();
            if (text == null || text.isBlank()) {
                continue;
            }
            try {
                parsed.put(field.key(), Double.parseDouble(text.trim()));
            } catch (NumberFormatException ex) {
                found.put(field.key(), field.key() + " = " + text.trim() + ": not a number");
            }
        }
        Integer n = parseInt("gpus", count.get(), found);
        Double tokens = null;
        if (tokensPerSecond.get() != null && !tokensPerSecond.get().isBlank()) {
            try {
                tokens = Double.parseDouble(tokensPerSecond.get().trim());
                if (!(tokens > 0)) {
                    found.put("tokens", "tokens/s = " + tokensPerSecond.get().trim() + ": must be above 0");
                }
            } catch (NumberFormatException ex) {
                found.put("tokens", "tokens/s = " + tokensPerSecond.get().trim() + ": not a number");
            }
        }
        Double horizon = parsed.get("horizon-months");
        if (horizon != null && horizon != Math.rint(horizon)) {
            found.put("horizon-months", "horizon-months = " + Format.plain(horizon) + ": must be a whole number");
        }
        CostAssumptions assumptions = new CostAssumptions(parsed.get("gpu-price"), parsed.get("server-overhead"),
                parsed.get("network-fraction"), parsed.get("life-years"), parsed.get("electricity"), parsed.get("pue"),
                parsed.get("utilization"), parsed.get("load-fraction"), parsed.get("idle-fraction"), parsed.get("server-power"), parsed.get("colo"),
                parsed.get("maintenance"), parsed.get("staff"), horizon == null ? null : (int) Math.round(horizon));
        for (String problem : assumptions.problems()) {
            found.putIfAbsent(problem.substring(0, problem.indexOf(' ')), problem);
        }
        CostOption result = null;
        if (found.isEmpty() && n != null && gpu.get() != null) {
            try {
                result = engine.owned(gpu.get(), n, tokens == null || tokens <= 0 ? null : tokens, assumptions);
            } catch (IllegalArgumentException ex) {
                for (String line : ex.getMessage().split("\n")) {
                    found.put(line.startsWith("gpus") ? "gpus" : "gpu-price", line);
                }
            }
        }
        problems.clear();
        problems.putAll(found);
        option.set(result);
        shownOffers.setAll(result == null ? List.of() : cheapestPerPricing(result.versus()));
        sensitivity.set(result == null ? null : tornado(result, n, assumptions));
        buyerRows.setAll(plan.get() == null || !found.isEmpty() ? List.of() : compareBuyers(assumptions));
        revision.set(revision.get() + 1);
    }

    private Sensitivity.Result tornado(CostOption result, int n, CostAssumptions assumptions) {
        if (result.versus().isEmpty()) {
            return null;
        }
        String chosen = sensitivityOffer.get();
        String offer = chosen != null && result.versus().stream().anyMatch(v -> v.offer().equals(chosen)) ? chosen
                : cheapestPerPricing(result.versus()).get(0).offer();
        return new Sensitivity(engine).tornado(gpu.get(), n, assumptions, offer);
    }

    private List<BuyerComparison.Row> compareBuyers(CostAssumptions assumptions) {
        try {
            return buyers.compare(plan.get(), assumptions);
        } catch (IllegalArgumentException ex) { // a ScenarioException is one too
            return List.of();
        }
    }

    /** The cheapest offer of each pricing kind (on-demand, spot, 1-year, 3-year), on-demand first. */
    static List<CostOption.Versus> cheapestPerPricing(List<CostOption.Versus> offers) {
        Map<String, CostOption.Versus> cheapest = new LinkedHashMap<>();
        offers.stream().sorted(Comparator.comparing((CostOption.Versus v) -> !v.pricing().equals("on-demand"))
                        .thenComparingDouble(CostOption.Versus::gpuHourUsd))
                .forEach(v -> cheapest.putIfAbsent(v.pricing(), v));
        return new ArrayList<>(cheapest.values());
    }

    private static Integer parseInt(String key, String text, Map<String, String> found) {
        try {
            int n = Integer.parseInt(text == null ? "" : text.trim());
            if (n < 1 || n > 1_000_000) {
                found.put(key, key + " = " + n + ": must be between 1 and 1000000");
                return null;
            }
            return n;
        } catch (NumberFormatException ex) {
            found.put(key, key + " = " + text + ": must be a whole number between 1 and 1000000");
            return null;
        }
    }

    /** The line under an exported Costs chart: every assumption in force and where the defaults come from. */
    public String footnote() {
        StringBuilder note = new StringBuilder("Assumptions: ");
        for (Field field : FIELDS) {
            String value = values.get(field.key()).get();
            note.append(field.key()).append(' ').append(value == null || value.isBlank() ? "catalog" : value.trim())
                    .append("; ");
        }
        return note.append("sources: Epoch AI (overhead, network, life, $/kWh, PUE, load), DGX H100 (server power),"
                + " CBRE H2 2024 (colocation); GPU and cloud prices from the catalog, each dated.").toString();
    }

    /** Moves once per recompute, after every output is set: the one thing the view listens to. */
    public javafx.beans.property.ReadOnlyIntegerProperty revisionProperty() { return revision.getReadOnlyProperty(); }
    public Catalog catalog() { return catalog; }
    public StringProperty valueProperty(String key) { return values.get(key); }
    public ObjectProperty<Gpu> gpuProperty() { return gpu; }
    public StringProperty countProperty() { return count; }
    public StringProperty tokensPerSecondProperty() { return tokensPerSecond; }
    public StringProperty sensitivityOfferProperty() { return sensitivityOffer; }
    public ObjectProperty<Scenario> planProperty() { return plan; }
    public ReadOnlyStringProperty planSummaryProperty() { return planSummary.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<CostOption> optionProperty() { return option.getReadOnlyProperty(); }
    public CostOption getOption() { return option.get(); }
    public ReadOnlyObjectProperty<Sensitivity.Result> sensitivityProperty() { return sensitivity.getReadOnlyProperty(); }
    public ObservableList<CostOption.Versus> shownOffers() { return shownOffers; }
    public ObservableList<BuyerComparison.Row> buyerRows() { return buyerRows; }
    public ObservableMap<String, String> problems() { return problems; }
}
