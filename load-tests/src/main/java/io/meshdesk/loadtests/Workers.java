package io.meshdesk.loadtests;

import io.meshdesk.etcd.DaemonThreads;

/** The drivers' own threads: daemons, so a run that is cut short does not hang the JVM. */
final class Workers {

    private Workers() {}

    static Thread start(String name, Runnable work) {
        Thread t = DaemonThreads.named(name).newThread(work);
        t.start();
        return t;
    }
}
