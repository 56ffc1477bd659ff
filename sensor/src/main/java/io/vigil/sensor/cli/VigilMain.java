package io.vigil.sensor.cli;

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
    subcommands = {ReplayCommand.class, CaptureCommand.class, DecodeCommand.class, DevicesCommand.class, EvaluateCommand.class,
        SimulateCommand.class, CommandLine.HelpCommand.class})
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
     * sets the same): slf4j-simple reads these when its first logger is made, Chronicle when it loads.
     * The Kafka client would warn on every reconnect during an outage; the forwarder says it once.
     */
    static void quietLibraries() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        setIfAbsent("org.slf4j.simpleLogger.log.net.openhft", "warn");
        setIfAbsent("chronicle.analytics.disable", "true");
        setIfAbsent("chronicle.announcer.disable", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
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
