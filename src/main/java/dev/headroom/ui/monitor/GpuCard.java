package dev.headroom.ui.monitor;

import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.GpuReading;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.MetricStatus;
import dev.headroom.telemetry.ThrottleReason;
import dev.headroom.ui.common.Forms;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/**
 * One GPU at a glance. Built once and updated in place each tick (the node count never grows): a metric the GPU
 * did not report reads "n/a" with the reason on hover; a lost GPU says so across the card.
 */
final class GpuCard extends VBox {
    private final GpuInfo info;
    private final Label title = new Label();
    private final Label state = new Label();
    private final ProgressBar utilizationBar = bar();
    private final Label utilization = value("card-util");
    private final ProgressBar memoryBar = bar();
    private final Label memory = value("card-memory");
    private final ProgressBar temperatureBar = bar();
    private final Label temperature = value("card-temp");
    private final ProgressBar powerBar = bar();
    private final Label power = value("card-power");
    private final Label fan = value("card-fan");
    private final Label clocks = value("card-clocks");
    private final Label pstate = value("card-pstate");
    private final Label ecc = value("card-ecc");
    private final Label plan = value("card-plan");
    private final FlowPane badges = new FlowPane(4, 4);
    private final GridPane rows = new GridPane();
    /** The card in one line: utilization, memory, temperature and power, what nvtop's header shows per GPU. */
    private final Label summary = value("card-summary");
    private boolean compact;

    GpuCard(GpuInfo info, boolean simulated) {
        this.info = info;
        setId("gpu-card-" + info.index());
        getStyleClass().add("gpu-card");
        setSpacing(6);
        setPadding(new Insets(10));
        setPrefWidth(390);
        title.setText("GPU " + info.index() + "  " + info.name());
        title.getStyleClass().add("text-bold");
        title.setWrapText(true);
        state.setId("card-state");
        state.getStyleClass().add("card-state");
        Label badge = new Label("SIMULATED");
        badge.getStyleClass().add("simulated-badge");
        badge.setVisible(simulated);
        badge.setManaged(simulated);
        rows.setHgap(8);
        rows.setVgap(4);
        row(0, "Utilization", utilizationBar, utilization);
        row(1, "Memory", memoryBar, memory);
        row(2, "Temperature", temperatureBar, temperature);
        row(3, "Power", powerBar, power);
        rows.addRow(4, label("Fan"), fan);
        rows.addRow(5, label("Clocks SM/mem"), clocks);
        rows.addRow(6, label("P-state"), pstate);
        rows.addRow(7, label("ECC errors"), ecc);
        badges.setId("card-badges");
        getChildren().addAll(badge, title, state, summary, rows, badges, plan);
        state.setVisible(false);
        state.setManaged(false);
        setCompact(false);
    }

    /**
     * One line per GPU (title and summary) or the whole card: compact cards leave the window's height to the live
     * charts, which at 1280 x 800 were strips under eight rows of readings per card.
     */
    void setCompact(boolean compact) {
        this.compact = compact;
        for (javafx.scene.Node detail : new javafx.scene.Node[] {rows, badges}) {
            detail.setVisible(!compact);
            detail.setManaged(!compact);
        }
        summary.setVisible(compact);
        summary.setManaged(compact);
        title.setWrapText(!compact);
        setPrefWidth(compact ? 300 : 390);
        plan.setManaged(!compact);
        plan.setVisible(!compact && !plan.getText().isEmpty());
    }

    boolean isCompact() {
        return compact;
    }

    private void row(int index, String name, ProgressBar bar, Label text) {
        rows.add(label(name), 0, index);
        rows.add(bar, 1, index);
        rows.add(text, 2, index);
    }

    private static Label label(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("text-muted");
        label.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return label;
    }

    private static Label value(String id) {
        Label label = new Label();
        label.setId(id);
        label.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return label;
    }

    private static ProgressBar bar() {
        ProgressBar bar = new ProgressBar(0);
        bar.setPrefWidth(110);
        return bar;
    }

    void update(GpuReading r, Double plannedBytes) {
        boolean lost = r.state() != MetricStatus.OK;
        state.setVisible(lost);
        state.setManaged(lost);
        rows.setDisable(lost);
        if (lost) {
            state.setText(r.state() == MetricStatus.GPU_LOST
                    ? "GPU LOST: it stopped answering (fallen off the bus?); Headroom keeps asking"
                    : r.state() == MetricStatus.DRIVER_GONE
                    ? "DRIVER NOT LOADED: the NVIDIA driver went away; starting NVML again at a backoff"
                    : "Cannot be read: " + r.state().description());
        }
        show(utilization, utilizationBar, r, Metric.UTILIZATION_GPU, v -> String.format(Locale.ROOT, "%.0f %%%s", v,
                r.has(Metric.SM_ACTIVE) && r.has(Metric.TENSOR_ACTIVE) ? String.format(Locale.ROOT,
                        " (SM %.0f %%, tensor %.0f %%)", 100 * r.value(Metric.SM_ACTIVE),
                        100 * r.value(Metric.TENSOR_ACTIVE)) : ""), 100);
        if (r.has(Metric.MEMORY_USED) && r.has(Metric.MEMORY_TOTAL)) {
            double used = r.value(Metric.MEMORY_USED);
            double total = r.value(Metric.MEMORY_TOTAL);
            memory.setText(String.format(Locale.ROOT, "%.1f / %.1f GiB", used / (1L << 30), total / (1L << 30)));
            memoryBar.setProgress(total > 0 ? used / total : 0);
            memory.setTooltip(null);
        } else {
            notAvailable(memory, memoryBar, r.status(Metric.MEMORY_USED));
        }
        Integer slowdown = info.temperatureSlowdownC();
        show(temperature, temperatureBar, r, Metric.TEMPERATURE, v -> String.format(Locale.ROOT, "%.0f °C%s%s", v,
                slowdown == null ? "" : " / " + slowdown + " slowdown", r.has(Metric.MEMORY_TEMPERATURE)
                        ? String.format(Locale.ROOT, ", HBM %.0f °C", r.value(Metric.MEMORY_TEMPERATURE)) : ""),
                slowdown == null ? 100 : slowdown);
        double limit = r.has(Metric.POWER_LIMIT) ? r.value(Metric.POWER_LIMIT)
                : info.powerLimitMaxWatts() == null ? 0 : info.powerLimitMaxWatts();
        show(power, powerBar, r, Metric.POWER, v -> String.format(Locale.ROOT, "%.0f / %.0f W", v, limit), limit);
        text(fan, r, Metric.FAN, v -> String.format(Locale.ROOT, "%.0f %%", v));
        if (r.has(Metric.CLOCK_SM)) {
            clocks.setText(String.format(Locale.ROOT, "%.0f / %s MHz", r.value(Metric.CLOCK_SM),
                    r.has(Metric.CLOCK_MEMORY) ? String.format(Locale.ROOT, "%.0f", r.value(Metric.CLOCK_MEMORY)) : "n/a"));
            clocks.setTooltip(null);
        } else {
            notAvailable(clocks, null, r.status(Metric.CLOCK_SM));
        }
        text(pstate, r, Metric.PSTATE, v -> String.format(Locale.ROOT, "P%.0f", v));
        double errors = (r.has(Metric.ECC_CORRECTED) ? r.value(Metric.ECC_CORRECTED) : 0)
                + (r.has(Metric.ECC_UNCORRECTED) ? r.value(Metric.ECC_UNCORRECTED) : 0);
        double remapped = (r.has(Metric.REMAPPED_ROWS_CORRECTABLE) ? r.value(Metric.REMAPPED_ROWS_CORRECTABLE) : 0)
                + (r.has(Metric.REMAPPED_ROWS_UNCORRECTABLE) ? r.value(Metric.REMAPPED_ROWS_UNCORRECTABLE) : 0);
        boolean remapFailed = r.has(Metric.ROW_REMAP_FAILURE) && r.value(Metric.ROW_REMAP_FAILURE) > 0;
        int xid = r.has(Metric.XID) ? (int) r.value(Metric.XID) : 0;
        boolean eccShown = errors > 0 || remapFailed || dev.headroom.telemetry.XidCatalog.needsAction(xid);
        String rows = remapFailed ? "; ROW REMAPPING FAILED: the GPU needs service"
                : remapped > 0 ? String.format(Locale.ROOT, "; %.0f rows remapped", remapped) : "";
        String xids = xid == 0 ? "" : String.format(Locale.ROOT, "; XID %d%s (%.0f since start)", xid,
                dev.headroom.telemetry.XidCatalog.message(xid).isEmpty() ? ""
                        : ": " + dev.headroom.telemetry.XidCatalog.message(xid), r.value(Metric.XID_EVENTS));
        ecc.setText((errors > 0 ? String.format(Locale.ROOT, "%.0f corrected, %.0f uncorrected",
                r.value(Metric.ECC_CORRECTED), r.value(Metric.ECC_UNCORRECTED)) : "none") + rows + xids);
        ecc.getStyleClass().removeAll("text-danger");
        if (eccShown) {
            ecc.getStyleClass().add("text-danger");
        }
        updateBadges(r);
        summary.setText(lost ? state.getText() : String.join("  ·  ", utilization.getText().replaceFirst(" \\(.*", ""),
                memory.getText(), temperature.getText().replaceFirst(" /.*", ""), power.getText()));
        if (plannedBytes != null && r.has(Metric.MEMORY_USED)) {
            double actual = r.value(Metric.MEMORY_USED);
            double difference = actual - plannedBytes;
            plan.setText(String.format(Locale.ROOT, "Plan %.1f GiB, actual %.1f GiB: %+.1f GiB (%+.1f %%)",
                    plannedBytes / (1L << 30), actual / (1L << 30), difference / (1L << 30), 100 * difference / plannedBytes));
            plan.setVisible(!compact);
        } else {
            plan.setText("");
            plan.setVisible(false);
        }
    }

    private void updateBadges(GpuReading r) {
        var reasons = r.throttleReasons();
        // Reuse badge labels; add only when more reasons are active than ever before (at most 9).
        while (badges.getChildren().size() < reasons.size()) {
            Label badge = new Label();
            badge.getStyleClass().add("throttle-badge");
            badges.getChildren().add(badge);
        }
        for (int i = 0; i < badges.getChildren().size(); i++) {
            Label badge = (Label) badges.getChildren().get(i);
            boolean used = i < reasons.size();
            badge.setVisible(used);
            badge.setManaged(used);
            if (used) {
                ThrottleReason reason = reasons.get(i);
                if (!reason.key().equals(badge.getText())) {
                    badge.setText(reason.key());
                    badge.setTooltip(Forms.tooltip(reason.label())); // a Tooltip is a window: make one per change
                }
                badge.getStyleClass().removeAll("slowdown");
                if (reason.slowsDown()) {
                    badge.getStyleClass().add("slowdown");
                }
            }
        }
    }

    private static void show(Label text, ProgressBar bar, GpuReading r, Metric metric,
                             java.util.function.DoubleFunction<String> format, double full) {
        if (r.has(metric)) {
            double v = r.value(metric);
            text.setText(format.apply(v));
            text.setTooltip(null);
            bar.setProgress(full > 0 ? Math.min(1, v / full) : 0);
        } else {
            notAvailable(text, bar, r.status(metric));
        }
    }

    private static void text(Label text, GpuReading r, Metric metric, java.util.function.DoubleFunction<String> format) {
        if (r.has(metric)) {
            text.setText(format.apply(r.value(metric)));
            text.setTooltip(null);
        } else {
            notAvailable(text, null, r.status(metric));
        }
    }

    private static void notAvailable(Label text, ProgressBar bar, MetricStatus why) {
        text.setText("n/a");
        if (text.getTooltip() == null || !text.getTooltip().getText().equals(why.description())) {
            text.setTooltip(Forms.tooltip(why.description())); // a Tooltip is a window: make one per change
        }
        if (bar != null) {
            bar.setProgress(0);
        }
    }
}
