package io.meshdesk.terraform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.bertramlabs.plugins.hcl4j.HCLParser;

/** The Terraform tree as parsed files, grouped by module folder. */
final class TerraformModules {

    static final Path ROOT = Paths.get(System.getProperty("terraform.root", "."));

    /** One parsed .tf file. */
    record TfFile(Path path, String text, Map<String, Object> blocks) {}

    /** A module folder (a module or a root stack) and its files. */
    record Module(Path dir, List<TfFile> files) {

        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> blocks(String type) {
            Map<String, Map<String, Object>> all = new LinkedHashMap<>();
            for (TfFile f : files) {
                Object b = f.blocks().get(type);
                if (b instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> all.put((String) k, (Map<String, Object>) v));
                }
            }
            return all;
        }

        String name() {
            return ROOT.relativize(dir).toString();
        }
    }

    static List<Module> all() {
        List<Module> modules = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(ROOT)) {
            for (Path dir : dirs.filter(Files::isDirectory)
                    .filter(d -> !d.toString().contains("target")
                            && !d.toString().contains("src")
                            && !d.toString().contains(".terraform"))
                    .toList()) {
                List<TfFile> files = new ArrayList<>();
                try (Stream<Path> tfs = Files.list(dir)) {
                    for (Path tf : tfs.filter(p -> p.toString().endsWith(".tf"))
                            .sorted()
                            .toList()) {
                        files.add(parse(tf));
                    }
                }
                if (!files.isEmpty()) {
                    modules.add(new Module(dir, files));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return modules;
    }

    static TfFile parse(Path tf) {
        try {
            String text = Files.readString(tf, StandardCharsets.UTF_8);
            return new TfFile(tf, text, new HCLParser().parse(text));
        } catch (Exception e) {
            throw new AssertionError(ROOT.relativize(tf) + " does not parse as HCL: " + e.getMessage(), e);
        }
    }
}
