package io.meshdesk.meshconfig.cli;

import io.meshdesk.meshconfig.model.ConfigError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** meshctl: the mesh from declarative files. Run from the repository root, no flags needed. */
@Command(name = "meshctl", mixinStandardHelpOptions = true, version = "meshctl 0.1.0",
        description = "Renders mesh-config/topology.yaml and mesh-config/canaries/ into every region's Istio and "
                + "Knative resources, checks them, compares them with a cluster and applies them.",
        subcommands = {RenderCommand.class, ValidateCommand.class, DiffCommand.class, ApplyCommand.class,
                ExplainCommand.class})
public final class Meshctl implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code: 0 ok, 1 findings or differences, 2 bad input. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Meshctl());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigError) {
                commandLine.getErr().println("meshctl: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
