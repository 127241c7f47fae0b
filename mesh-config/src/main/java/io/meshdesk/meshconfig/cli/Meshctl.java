package io.meshdesk.meshconfig.cli;

import io.meshdesk.meshconfig.model.ConfigError;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** meshctl: the mesh from declarative files. Run from the repository root, no flags needed. */
@Command(
        name = "meshctl",
        mixinStandardHelpOptions = true,
        version = "meshctl 0.1.0",
        description = "Renders mesh-config/topology.yaml and mesh-config/canaries/ into every region's Istio and "
                + "Knative resources, checks them, compares them with a cluster and applies them.",
        subcommands = {
            RenderCommand.class,
            ValidateCommand.class,
            DiffCommand.class,
            ApplyCommand.class,
            ExplainCommand.class,
            CanaryCommand.class
        })
public final class Meshctl implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs a command line and returns its exit code: 0 ok, 1 findings or differences, 2 bad input
     * (a file, a field, a missing kube context), 4 a cluster that cannot be reached or refused a call.
     */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Meshctl());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigError) {
                commandLine.getErr().println("meshctl: " + e.getMessage());
                return 2;
            }
            if (e instanceof ClusterError) {
                commandLine.getErr().println("meshctl: " + e.getMessage());
                return 4;
            }
            // Anything else is a bug in meshctl; say so in one line instead of a stack trace.
            commandLine.getErr().println("meshctl: internal error, please report it: " + e);
            return 70;
        });
        return cli.execute(args);
    }
}
