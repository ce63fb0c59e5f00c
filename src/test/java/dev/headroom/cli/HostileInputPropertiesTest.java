package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.catalog.CatalogLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every numeric flag of every command, found through picocli so a new flag is covered without editing this test,
 * fed the values that broke the CLI before (issue 13): each run ends with exit 2 and a message naming the flag, or
 * with success only where the value is inside the flag's documented range; never exit 1 or Java exception text.
 */
class HostileInputPropertiesTest {
    static final List<String> HOSTILE = List.of("NaN", "Infinity", "-Infinity", "0", "-1", "2147483648",
            "9223372036854775808", "1e309");

    /** What the text of a Java exception looks like, which a user must never see. */
    static final List<String> EXCEPTION_TEXT = List.of("Exception", "java.", "at dev.", "null", "BigDecimal",
            "Character", "by zero");

    /**
     * The documented range of each numeric flag, as README and --help state it. A flag missing here fails the test:
     * a new flag needs its range written down before it ships.
     */
    static final Map<String, double[]> RANGES = new LinkedHashMap<>();

    /** Arguments that make a command with a valid value finish at once (no sampling, no server). */
    static final Map<String, List<String>> BASE = Map.of(
            "size", List.of("--model", "llama-3.1-8b", "--gpu", "h100-sxm"),
            "cost", List.of("--gpu", "h100-sxm", "--gpus", "8"),
            "monitor", List.of("--source", "simulated", "--once"),
            "exporter", List.of("--source", "replay:/nonexistent/headroom-recording.jsonl"),
            "fleet", List.of("--prometheus", "http://127.0.0.1:1"),
            "simulate", List.of("--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--rate", "1", "--requests", "20"),
            // the smallest search: one GPU type, one format, one GPU
            "recommend", List.of("--model", "llama-3.1-8b", "--rate", "1", "--requests", "20", "--ttft-slo", "5s",
                    "--gpus", "h100-sxm", "--formats", "bf16", "--max-gpus", "1"));

    /** Flags that need other arguments than the command's base to be meaningful. */
    static final Map<String, List<String>> SPECIAL_BASE = new LinkedHashMap<>();

    static {
        SPECIAL_BASE.put("size --params", List.of("--gpu", "h100-sxm"));
        SPECIAL_BASE.put("exporter --process-metrics-limit", List.of("--source",
                "replay:/nonexistent/headroom-recording.jsonl", "--process-metrics"));
        SPECIAL_BASE.put("size --largest-layer", List.of("--params", "7e9", "--gpu", "h100-sxm"));
        SPECIAL_BASE.put("size --active-experts", List.of("--model", "mixtral-8x7b", "--gpu", "h100-sxm"));
        SPECIAL_BASE.put("size --experts", List.of("--model", "mixtral-8x7b", "--gpu", "h100-sxm"));
        List<String> load = List.of("--rate", "1", "--requests", "20");
        for (String flag : List.of("--params", "--largest-layer", "--active-experts", "--experts")) {
            List<String> args = new ArrayList<>(SPECIAL_BASE.get("size " + flag));
            args.addAll(load);
            SPECIAL_BASE.put("simulate " + flag, args);
        }
        List<String> plan = List.of("--model", "llama-3.1-8b", "--gpu", "h100-sxm");
        SPECIAL_BASE.put("simulate --rate", concat(plan, "--requests", "20"));
        List<String> small = List.of("--model", "llama-3.1-8b", "--ttft-slo", "5s", "--gpus", "h100-sxm", "--formats",
                "bf16", "--max-gpus", "1");
        SPECIAL_BASE.put("recommend --rate", concat(small, "--requests", "20"));
        SPECIAL_BASE.put("recommend --requests", concat(small, "--rate", "1"));
        SPECIAL_BASE.put("recommend --max-gpus", List.of("--model", "llama-3.1-8b", "--ttft-slo", "5s", "--gpus",
                "h100-sxm", "--formats", "bf16", "--rate", "1", "--requests", "20"));
        for (String flag : List.of("--params", "--largest-layer", "--active-experts", "--experts")) {
            List<String> args = new ArrayList<>(SPECIAL_BASE.get("size " + flag));
            args.removeAll(List.of("--gpu", "h100-sxm"));
            args.addAll(List.of("--rate", "1", "--requests", "20", "--ttft-slo", "5s", "--gpus", "h100-sxm",
                    "--formats", "bf16", "--max-gpus", "1"));
            SPECIAL_BASE.put("recommend " + flag, args);
        }
        SPECIAL_BASE.put("simulate --requests", concat(plan, "--rate", "1"));
        SPECIAL_BASE.put("simulate --duration", concat(plan, "--rate", "1"));
        SPECIAL_BASE.put("simulate --users", concat(plan, "--think-time", "1s", "--requests", "20"));
        SPECIAL_BASE.put("simulate --think-time", concat(plan, "--users", "2", "--requests", "20"));
        for (String flag : List.of("--min-replicas", "--max-replicas", "--scale-up-delay", "--cooldown")) {
            SPECIAL_BASE.put("simulate " + flag, concat(plan, "--rate", "1", "--requests", "20", "--autoscale", "queue:4"));
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    static {
        double tokens = 1 << 24;
        double[] efficiency = {0.01, 1};
        range("size --params", 1e6, 1e14);
        range("size --largest-layer", 1, 7e9);
        range("size --layers", 1, 1000);
        range("size --hidden", 1, 1 << 20);
        range("size --heads", 1, 4096);
        range("size --kv-heads", 1, 4096);
        range("size --head-dim", 1, 4096);
        range("size --ffn", 1, 1 << 22);
        range("size --vocab", 1, 1 << 24);
        range("size --experts", 2, 1 << 16);
        range("size --active-experts", 1, 1 << 16);
        range("size --max-context", 1, 1 << 30);
        range("size --lora-rank", 1, 65536);
        range("size --group-size", 8, 65536);
        range("size --batch", 1, 1 << 20);
        range("size --seq", 1, tokens);
        range("size --output-tokens", 1, tokens);
        range("size --micro-batch", 1, 1 << 20);
        range("size --grad-accum", 1, 1 << 20);
        range("size --train-tokens", 1, 1e16);
        range("size --zero", 0, 3);
        range("size --tp", 1, 1024);
        range("size --pp", 1, 1024);
        range("size --dp", 1, 1 << 20);
        range("size --virtual-stages", 1, 64);
        range("size --expert-parallel", 1, 1024);
        range("size --paged-block", 0, 4096);
        range("size --shared-prefix", 0, tokens);
        range("size --gpus", 1, 1 << 20);
        range("size --nodes", 1, 1 << 20);
        range("size --gpus-per-node", 1, 1024);
        range("size --gpu-layers", 0, 100_000);
        range("size --cpu-offload-gb", 0, 1 << 20);
        range("size --host-memory", 1, 1 << 24);
        range("size --host-bandwidth", 1, 10_000);
        range("size --unified-gpu-share", 0.05, 1);
        RANGES.put("size --mfu", efficiency);
        RANGES.put("size --prefill-efficiency", efficiency);
        RANGES.put("size --bandwidth-efficiency", efficiency);
        RANGES.put("size --interconnect-efficiency", efficiency);
        range("size --gpu-memory-utilization", 0.05, 1);
        range("size --prefill-chunk", 0, tokens);
        range("cost --gpus", 1, 1e6);
        range("cost --gpu-price", 1, 1e7);
        range("cost --server-overhead", 1, 10);
        range("cost --network-fraction", 0, 0.9);
        range("cost --life-years", 0.5, 15);
        range("cost --electricity", 0, 5);
        range("cost --pue", 1, 4);
        range("cost --utilization", 0.01, 1);
        range("cost --load-fraction", 0.05, 1);
        range("cost --idle-fraction", 0, 1);
        range("cost --server-power", 1, 5);
        range("cost --colo", 0, 5000);
        range("cost --maintenance", 0, 1);
        range("cost --staff", 0, 1e8);
        range("cost --horizon-months", 1, 240);
        // Durations, in the plain-seconds spelling the values above take.
        double year = 366 * 24 * 3600;
        range("monitor --interval", 0.1, year);
        range("monitor --duration", 0.001, year);
        range("monitor --speed", 0.01, 1000);
        range("exporter --interval", 0.1, year);
        range("exporter --duration", 0.001, year);
        range("exporter --process-metrics-limit", 1, 100_000);
        range("fleet --timeout", 0.001, year);
        // simulate takes size's scenario flags (not its shape: --batch, --seq, --output-tokens are its own).
        for (String flag : List.copyOf(RANGES.keySet())) {
            if (flag.startsWith("size ") && !List.of("size --batch", "size --seq", "size --output-tokens").contains(flag)) {
                RANGES.put("simulate " + flag.substring("size ".length()), RANGES.get(flag));
            }
        }
        range("simulate --rate", Double.MIN_VALUE, 1e6);
        range("simulate --users", 1, 1e6);
        range("simulate --think-time", 0, 86_400);
        range("simulate --prefix-hit-rate", 0, 1);
        range("simulate --duration", 0.001, year);
        range("simulate --requests", 1, 1e8);
        range("simulate --replicas", 1, 10_000);
        range("simulate --min-replicas", 1, 10_000);
        range("simulate --max-replicas", 1, 10_000);
        range("simulate --scale-up-delay", 0, year);
        range("simulate --cooldown", 0, year);
        range("simulate --max-batched-tokens", 16, 1 << 20);
        range("simulate --max-seqs", 1, 1 << 16);
        range("simulate --priority-share", 0, 1);
        range("simulate --ttft-slo", 0.001, 3600);
        range("simulate --tpot-slo", 0.001, 3600);
        range("simulate --seed", -9.3e18, 9.3e18); // any long: a seed has no range
        // recommend takes size's model flags (the hardware ones are what it searches) and a few of simulate's.
        List<String> hardware = List.of("--tp", "--pp", "--dp", "--virtual-stages", "--expert-parallel", "--gpus",
                "--nodes", "--gpus-per-node", "--gpu-layers", "--cpu-offload-gb", "--host-memory", "--host-bandwidth",
                "--unified-gpu-share");
        for (String flag : List.copyOf(RANGES.keySet())) {
            String name = flag.substring(flag.indexOf(' ') + 1);
            if (flag.startsWith("simulate ") && !hardware.contains(name)) {
                RANGES.put("recommend " + name, RANGES.get(flag));
            }
        }
        range("recommend --budget-usd-month", 1, 1e9);
        range("recommend --max-gpus", 1, 4096);
        range("recommend --top", 1, 1000);
        range("recommend --deadline-days", 0.01, 3650);
        range("recommend --global-batch", 1, 1 << 24);
        range("recommend --seq", 1, 1 << 24);
        range("recommend --storage-bandwidth", 0.001, 1e6);
    }

    private static void range(String flag, double min, double max) {
        RANGES.put(flag, new double[] {min, max});
    }

    private static String previousUserDir;
    private static Path userDir;

    @BeforeContainer
    static void isolateUserCatalog() throws Exception {
        userDir = Files.createTempDirectory("headroom-hostile");
        previousUserDir = System.getProperty(CatalogLoader.USER_DIR_PROPERTY);
        System.setProperty(CatalogLoader.USER_DIR_PROPERTY, userDir.toString());
    }

    @AfterContainer
    static void restoreUserCatalog() throws Exception {
        if (previousUserDir == null) {
            System.clearProperty(CatalogLoader.USER_DIR_PROPERTY);
        } else {
            System.setProperty(CatalogLoader.USER_DIR_PROPERTY, previousUserDir);
        }
        Files.deleteIfExists(userDir);
    }

    /** "size --tp" for every option of every command whose value is a number or a duration. */
    static List<String> numericFlags() {
        List<String> flags = new ArrayList<>();
        collect(HeadroomCommand.withAllCommands().getCommandSpec(), flags);
        return flags;
    }

    private static void collect(CommandSpec command, List<String> flags) {
        for (OptionSpec option : command.options()) {
            Class<?> type = option.type();
            boolean numeric = type == int.class || type == Integer.class || type == long.class || type == Long.class
                    || type == double.class || type == Double.class || type == float.class || type == Float.class;
            if (numeric || "DURATION".equals(option.paramLabel())) {
                flags.add(command.name() + " " + option.longestName());
            }
        }
        command.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), flags));
    }

    @Provide
    Arbitrary<String> flags() {
        return Arbitraries.of(numericFlags());
    }

    @Provide
    Arbitrary<String> hostileValues() {
        return Arbitraries.of(HOSTILE);
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 5000)
    void everyNumericFlagRejectsAHostileValueByName(@ForAll("flags") String flag,
                                                    @ForAll("hostileValues") String value) {
        String[] parts = flag.split(" ");
        String command = parts[0];
        String option = parts[1];
        assertThat(RANGES).as("the documented range of %s (add it to RANGES)", flag).containsKey(flag);
        List<String> args = new ArrayList<>();
        args.add(command);
        args.addAll(SPECIAL_BASE.getOrDefault(flag, BASE.get(command)));
        args.add(option);
        args.add(value);

        CliTest.Run run = run(args);

        String context = String.join(" ", args) + " -> exit " + run.code() + ", stderr: " + run.err();
        assertThat(run.code()).as(context).isIn(0, 2, MonitorCommand.EXIT_NO_SOURCE);
        for (String text : EXCEPTION_TEXT) {
            assertThat(run.err()).as(context).doesNotContain(text);
        }
        double[] range = RANGES.get(flag);
        double number = Double.parseDouble(value);
        if (run.code() == 2) {
            assertThat(run.err()).as(context).contains(option.substring(2));
            assertThat(run.err().lines().count()).as(context).isLessThanOrEqualTo(4);
        } else {
            // Accepted (or past validation, stopped only by the missing source): the value must be in range.
            assertThat(number >= range[0] && number <= range[1]).as(context + " accepted outside "
                    + range[0] + ".." + range[1]).isTrue();
        }
    }

    @Property(tries = 1)
    void theEnumerationFindsTheFlagsOfEveryCommand() {
        assertThat(numericFlags()).contains("size --tp", "size --mfu", "size --largest-layer", "cost --pue",
                "cost --horizon-months", "monitor --interval", "monitor --speed", "exporter --duration",
                "fleet --timeout");
    }

    static CliTest.Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new CliTest.Run(code, out.toString(), err.toString());
    }
}
