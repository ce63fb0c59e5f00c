package dev.headroom.cli;

import dev.headroom.common.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

@Command(name = "headroom", scope = picocli.CommandLine.ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = HeadroomCommand.VersionProvider.class,
        description = {
            "Size the hardware an LLM needs, compare what it costs, watch the GPUs that run it.",
            "Without a command, 'java -jar headroom.jar' opens the desktop app."
        },
        subcommands = {CatalogCommand.class, SizeCommand.class, CostCommand.class, ReportCommand.class, MonitorCommand.class, ExporterCommand.class, FleetCommand.class, ReplayCommand.class, SimulateCommand.class, RecommendCommand.class, CalibrateCommand.class, AccuracyCommand.class})
public final class HeadroomCommand implements Runnable {

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
