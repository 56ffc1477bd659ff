package io.vigil.sensor.cli;

import io.vigil.export.spool.ChronicleDefaults;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vigil} command. User mistakes (unknown option, missing file) end with one line on
 * stderr and exit code 2; unreadable capture content with exit code 1 only when nothing at all
 * could be read.
 */
@Command(name = "vigil", mixinStandardHelpOptions = true, version = "vigil " + VigilMain.VERSION,
    description = "Passive network anomaly sensor for converged IT/OT/IoT networks.",
    subcommands = {ReplayCommand.class, CaptureCommand.class, DecodeCommand.class, DevicesCommand.class, AlertsCommand.class,
        EvaluateCommand.class, SimulateCommand.class, CommandLine.HelpCommand.class})
public final class VigilMain implements Runnable {
    /** Written into model files, so a file names the vigil that wrote it. */
    public static final String VERSION = "0.1.0";
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        quietLibraries();
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Library logging and phone-home defaults for {@code java -jar} as much as for the launcher (which
     * sets the same), before any library logs or Chronicle loads.
     */
    static void quietLibraries() {
        ChronicleDefaults.setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        ChronicleDefaults.apply();
    }

    /** Runs the CLI without exiting the JVM, for tests. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(new VigilMain());
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setParameterExceptionHandler((ex, a) -> {
            String where = ex.getCommandLine().getCommandSpec().qualifiedName();
            ex.getCommandLine().getErr().println("vigil: " + oneLine(ex.getMessage()) + " (see '" + where + " --help')");
            return EXIT_USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof UserError) {
                c.getErr().println("vigil: " + ex.getMessage());
                return EXIT_USAGE;
            }
            c.getErr().println("vigil: internal error: " + ex);
            ex.printStackTrace(c.getErr());
            return EXIT_FAILED;
        });
        return cmd.execute(args);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replace("\r", " ").replace('\n', ' ').trim();
    }
}
