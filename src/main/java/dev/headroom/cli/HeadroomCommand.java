package dev.headroom.cli;

import dev.headroom.common.Version;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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
     * The commands, in the order help lists them. Picocli reflects on a command's fields and mixins when it is
     * added, about 0.1 s of a cold start for all twelve, so a command line adds only what it needs.
     */
    private static final Map<String, Class<?>> COMMANDS = commands();

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        commands.put("catalog", CatalogCommand.class);
        commands.put("size", SizeCommand.class);
        commands.put("cost", CostCommand.class);
        commands.put("report", ReportCommand.class);
        commands.put("monitor", MonitorCommand.class);
        commands.put("exporter", ExporterCommand.class);
        commands.put("fleet", FleetCommand.class);
        commands.put("replay", ReplayCommand.class);
        commands.put("simulate", SimulateCommand.class);
        commands.put("recommend", RecommendCommand.class);
        commands.put("calibrate", CalibrateCommand.class);
        commands.put("accuracy", AccuracyCommand.class);
        return commands;
    }

    /**
     * The command line for these arguments: with only the command they name when the first argument is one
     * (its help, its errors and its run are the same as with all of them); with none for {@code --version}; for
     * the top-level {@code --help}, with each command as a name and its first line of description, which is all
     * that help lists; else with every command, so that a mistyped name gets picocli's suggestions.
     */
    static CommandLine forArguments(String[] args) {
        CommandLine commandLine = new CommandLine(new HeadroomCommand());
        Class<?> named = args.length > 0 ? COMMANDS.get(args[0]) : null;
        boolean alone = args.length == 1;
        if (named != null) {
            commandLine.addSubcommand(args[0], named);
        } else if (alone && ("--version".equals(args[0]) || "-V".equals(args[0]))) {
            return commandLine;
        } else if (alone && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
            COMMANDS.forEach((name, type) -> {
                CommandSpec listed = CommandSpec.create().name(name);
                listed.usageMessage().description(type.getAnnotation(Command.class).description()[0]);
                commandLine.addSubcommand(name, new CommandLine(listed));
            });
        } else {
            COMMANDS.forEach(commandLine::addSubcommand);
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
