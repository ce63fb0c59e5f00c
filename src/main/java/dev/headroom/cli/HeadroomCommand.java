package dev.headroom.cli;

import dev.headroom.common.Version;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

@Command(name = "headroom", scope = picocli.CommandLine.ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = HeadroomCommand.VersionProvider.class,
        description = {
            "Size the hardware an LLM needs, compare what it costs, watch the GPUs that run it.",
            "Without a command, 'java -jar headroom.jar' opens the desktop app."
        })
public final class HeadroomCommand implements Runnable {
    /**
     * The commands, in the order help lists them. Picocli reads a command's annotations when it is added, and
     * reading all twelve costs a cold start about 0.1 s, so a command line that names one adds only that one.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("catalog", CatalogCommand::new);
        commands.put("size", SizeCommand::new);
        commands.put("cost", CostCommand::new);
        commands.put("report", ReportCommand::new);
        commands.put("monitor", MonitorCommand::new);
        commands.put("exporter", ExporterCommand::new);
        commands.put("fleet", FleetCommand::new);
        commands.put("replay", ReplayCommand::new);
        commands.put("simulate", SimulateCommand::new);
        commands.put("recommend", RecommendCommand::new);
        commands.put("calibrate", CalibrateCommand::new);
        commands.put("accuracy", AccuracyCommand::new);
        return commands;
    }

    /**
     * The command line for these arguments: with only the command they name when the first argument is one
     * (its help, its errors and its run are the same as with all of them), with none for {@code --version}, else
     * with every command, so that the top-level help lists them and a mistyped name gets picocli's suggestions.
     */
    static CommandLine forArguments(String[] args) {
        CommandLine commandLine = new CommandLine(new HeadroomCommand());
        Supplier<Object> named = args.length > 0 ? COMMANDS.get(args[0]) : null;
        boolean versionOnly = args.length == 1 && ("--version".equals(args[0]) || "-V".equals(args[0]));
        if (named != null) {
            commandLine.addSubcommand(args[0], named.get());
        } else if (!versionOnly) {
            COMMANDS.forEach((name, command) -> commandLine.addSubcommand(name, command.get()));
        }
        return commandLine;
    }

    /** The command line with every command, for what inspects them all. */
    static CommandLine withAllCommands() {
        return forArguments(new String[0]);
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"headroom " + Version.current(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
