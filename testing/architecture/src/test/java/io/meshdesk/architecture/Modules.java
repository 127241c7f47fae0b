package io.meshdesk.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/**
 * The build's modules as the parent pom lists them, each with the code the rules check: its main
 * classes, or its test classes when it has no main code (observability, reliability and the
 * terraform checks are tests only). Listing them from the pom means a new module is checked
 * without anyone remembering to add it here.
 */
record Modules(Path root, List<Module> all) {

    /** One module: its path in the tree (functions/routing) and the compiled classes to check. */
    record Module(String path, Path classes, boolean testCodeOnly) {

        /** Under testing/: harnesses that only tests (and load-tests, a harness too) may use. */
        boolean testing() {
            return path.startsWith("testing/");
        }

        /** Code that runs in production: the functions, the libraries, meshctl. */
        boolean shipped() {
            return path.startsWith("functions/") || path.startsWith("libraries/") || path.equals("mesh-config");
        }

        JavaClasses importClasses() {
            return new ClassFileImporter().importPath(classes);
        }

        @Override
        public String toString() {
            return path;
        }
    }

    static final String SELF = "testing/architecture";

    /** The tree this module sits in (testing/architecture), read from the parent pom. */
    static Modules ofThisBuild() {
        Path root = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
        Path pom = root.resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            throw new IllegalStateException(
                    "no parent pom at " + pom + ": run this test from testing/architecture (Maven does)");
        }
        List<Module> modules = new ArrayList<>();
        for (String path : moduleNames(pom)) {
            if (path.equals(SELF)) {
                continue;
            }
            Path dir = root.resolve(path);
            if (hasJava(dir.resolve("src/main/java"))) {
                modules.add(new Module(path, compiled(path, dir.resolve("target/classes")), false));
            } else if (hasJava(dir.resolve("src/test/java"))) {
                modules.add(new Module(path, compiled(path, dir.resolve("target/test-classes")), true));
            }
            // Modules without Java (faces, the baseline app) have no packages to check.
        }
        return new Modules(root, List.copyOf(modules));
    }

    private static List<String> moduleNames(Path pom) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(pom.toFile());
            NodeList nodes = doc.getElementsByTagName("module");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                names.add(nodes.item(i).getTextContent().trim());
            }
            return names;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the module list of " + pom + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasJava(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The classes directory, which must hold classes: a rule over nothing would pass for nothing. */
    private static Path compiled(String module, Path classes) {
        boolean any;
        try (Stream<Path> files = Files.isDirectory(classes) ? Files.walk(classes) : Stream.empty()) {
            any = files.anyMatch(f -> f.toString().endsWith(".class"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!any) {
            throw new IllegalStateException("module " + module + " has Java sources but no classes in " + classes
                    + "; build it first: ./mvnw -pl testing/architecture -am verify (a module added to the parent "
                    + "pom belongs in testing/architecture/pom.xml's dependencies too)");
        }
        return classes;
    }
}
