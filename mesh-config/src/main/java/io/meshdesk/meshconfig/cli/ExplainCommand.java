package io.meshdesk.meshconfig.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "explain", mixinStandardHelpOptions = true, description = "Not written yet.")
final class ExplainCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
