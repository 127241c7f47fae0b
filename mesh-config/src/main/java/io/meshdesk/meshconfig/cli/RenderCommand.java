package io.meshdesk.meshconfig.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.meshdesk.meshconfig.render.Manifests;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "render",
        mixinStandardHelpOptions = true,
        description = "Writes istio/<region>/ and knative/<region>/, one resource per file, and removes files it "
                + "rendered before that are no longer rendered.")
final class RenderCommand implements Callable<Integer> {

    @Mixin
    Sources sources;

    @Option(
            names = "--check",
            description = "Write nothing; exit 1 when the checked-in files are not what render would write.")
    boolean check;

    @Override
    public Integer call() {
        Map<String, String> files = Manifests.render(sources.load());
        if (check) {
            List<String> stale = Manifests.stale(sources.root, files);
            stale.forEach(s -> System.out.println("stale: " + s));
            if (!stale.isEmpty()) {
                System.out.println("run bin/meshctl render and commit the result");
            }
            return stale.isEmpty() ? 0 : 1;
        }
        List<String> changed = Manifests.write(sources.root, files);
        changed.forEach(System.out::println);
        System.out.println(files.size() + " resources rendered, " + changed.size() + " files changed");
        return 0;
    }
}
