package io.meshdesk.routing;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;

/** Runs {@link RoutingInstance#sweep()} on a timer; instances sweeping at once is safe. */
@ApplicationScoped
public class RoutingSweep {

    private final RoutingInstance routing;

    RoutingSweep(RoutingInstance routing) {
        this.routing = routing;
    }

    @Scheduled(
            every = "${meshdesk.routing.sweep-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        routing.sweep();
    }
}
