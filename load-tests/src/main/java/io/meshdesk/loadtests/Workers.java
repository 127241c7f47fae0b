package io.meshdesk.loadtests;

/** The drivers' own threads: daemons, so a run that is cut short does not hang the JVM. */
final class Workers {

    private Workers() {}

    static Thread start(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
