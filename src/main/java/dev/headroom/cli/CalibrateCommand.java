package dev.headroom.cli;

import dev.headroom.calibration.CalibrationStore;
import dev.headroom.calibration.Calibrator;
import dev.headroom.calibration.MeasuredPoint;
import dev.headroom.calibration.MeasurementFiles;
import dev.headroom.common.Format;
import dev.headroom.sizing.PlanFile;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import dev.headroom.sizing.SizingEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "calibrate", description = "Fit a plan's prefill and bandwidth efficiencies, overhead and"
        + " fragmentation to your measurements, and save them as a named profile for its GPU and runtime (size,"
        + " simulate and recommend take --calibration NAME). Measurements: a CSV (" + MeasurementFiles.CSV_HEADER
        + "), a vLLM bench serve result JSON, llama-bench -o json output, or a Headroom Monitor recording (peak"
        + " memory).")
final class CalibrateCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--plan", paramLabel = "FILE", description = "The plan the measurements were taken under (.headroom-plan).")
    Path plan;

    @Option(names = "--measured", paramLabel = "FILE", description = "A measurement file; repeat for more.")
    List<Path> measured = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME", description = "The profile to save (letters, digits, . _ -).")
    String name;

    @Option(names = "--list", description = "List the saved profiles.") boolean list;

    @Option(names = "--remove", paramLabel = "NAME", description = "Remove a saved profile.") String remove;

    @Option(names = "--json", description = "Print JSON.") boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CalibrationStore store = CalibrationStore.standard();
        try {
            if (list) {
                List<String> names = store.list();
                if (json) {
                    out.println(Json.write(names));
                } else if (names.isEmpty()) {
                    out.println("No calibration profiles in " + store.dir());
                } else {
                    names.forEach(out::println);
                }
                return 0;
            }
            if (remove != null) {
                if (!store.remove(remove)) {
                    err.println("headroom: remove = '" + Format.echo(remove) + "': no such profile in " + store.dir());
                    return Cli.EXIT_USAGE;
                }
                out.println("Removed " + remove);
                return 0;
            }
        } catch (IllegalArgumentException | IOException e) {
            err.println("headroom: " + e.getMessage());
            return Cli.EXIT_USAGE;
        }
        List<String> problems = new ArrayList<>();
        if (plan == null) {
            problems.add("plan: --plan FILE is required (the plan the measurements were taken under)");
        }
        if (measured.isEmpty()) {
            problems.add("measured: --measured FILE is required (CSV, vLLM bench result, llama-bench JSON or a recording)");
        }
        try {
            CalibrationStore.checkName(name);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        Scenario scenario = null;
        List<MeasuredPoint> points = new ArrayList<>();
        if (plan != null) {
            try {
                scenario = PlanFile.read(plan);
                if (scenario.hardware() == null || scenario.hardware().gpuId() == null) {
                    problems.add("plan: " + plan + " names no GPU; a calibration holds for one GPU and runtime");
                    scenario = null;
                }
            } catch (IOException e) {
                problems.add("plan: " + e.getMessage());
            }
        }
        if (scenario != null) {
            for (Path file : measured) {
                try {
                    points.addAll(MeasurementFiles.read(file, scenario));
                } catch (IOException e) {
                    problems.add("measured: " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("headroom: " + p));
            return Cli.EXIT_USAGE;
        }
        Calibrator.Result result;
        Path saved;
        try {
            result = new Calibrator(new SizingEngine(CatalogCommand.load(spec.commandLine()))).fit(name, scenario,
                    points);
            saved = store.save(result);
        } catch (ScenarioException e) {
            e.problems().forEach(p -> err.println("headroom: plan: " + p));
            return Cli.EXIT_USAGE;
        } catch (IOException e) {
            err.println("headroom: cannot save the profile: " + e.getMessage());
            return 1;
        }
        if (json) {
            out.println(Json.write(CalibrationStore.document(result, saved)));
            return 0;
        }
        out.printf(Locale.ROOT, "Calibration '%s' for %s with %s, from %d points%n%n", name,
                result.calibration().gpu(), scenario.runtime().label(), points.size());
        TextTable fitted = new TextTable("PARAMETER", "VALUE", "FITTED");
        for (Calibrator.Fitted f : result.fitted()) {
            fitted.add(f.name(), f.name().equals("overheadBytes") ? Format.gib((long) f.value())
                    : String.format(Locale.ROOT, "%.3f", f.value()), f.fitted() ? "yes" : f.note());
        }
        fitted.print(out);
        out.println();
        TextTable table = new TextTable("POINT", "QUANTITY", "MEASURED", "BEFORE", "ERROR", "AFTER", "ERROR")
                .alignRight(2, 3, 4, 5, 6);
        for (Calibrator.PointResult p : result.points()) {
            table.add(p.origin(), p.quantity(), value(p.measured(), p.unit()), value(p.estimatedBefore(), p.unit()),
                    percent(p.errorBefore()), value(p.estimatedAfter(), p.unit()), percent(p.errorAfter()));
        }
        table.print(out);
        out.println();
        out.println("Saved " + saved + "; use it with --calibration " + name);
        return 0;
    }

    private static String value(double v, String unit) {
        return unit.equals("bytes") ? Format.gib((long) v) : Format.time(v);
    }

    private static String percent(double e) {
        return String.format(Locale.ROOT, "%+.1f %%", e * 100);
    }
}
