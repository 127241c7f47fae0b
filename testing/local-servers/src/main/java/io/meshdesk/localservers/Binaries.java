package io.meshdesk.localservers;

import java.io.File;

/** Finds the Debian-packaged servers the tests run for real. */
public final class Binaries {

    private Binaries() {}

    /**
     * The executable {@code name} on PATH (or in /usr/bin), or an error that says which Debian
     * package provides it; the README's test command installs them all.
     */
    public static String find(String name, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin";
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (!dir.isEmpty() && f.canExecute()) {
                return f.getPath();
            }
        }
        throw new IllegalStateException(name + " is not on PATH; install Debian's " + debianPackage
                + " (apt-get install --no-install-recommends " + debianPackage
                + "), which bin/meshdesk-test does for you when run as root");
    }
}
