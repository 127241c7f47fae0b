package io.meshdesk.meshconfig.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "apply", mixinStandardHelpOptions = true, description = "Not written yet.")
final class ApplyCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
