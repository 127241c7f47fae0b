package io.meshdesk.loadtests;

/** Pauses of the drivers' pacing loops. */
final class Pause {

    private Pause() {}

    static void millis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits until System.nanoTime() reaches due, without spinning (the servers share the cores). */
    static void until(long due) {
        long left;
        while ((left = due - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }
}
