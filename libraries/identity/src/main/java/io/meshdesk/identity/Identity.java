package io.meshdesk.identity;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/** Who is calling the function now: what {@link BearerAuthentication} verified for this request. */
@ApplicationScoped
public class Identity {

    private final CurrentVertxRequest request;

    Identity(CurrentVertxRequest request) {
        this.request = request;
    }

    /** The verified caller; 401 if there is none (a path that {@link BearerAuthentication} left open). */
    public Caller caller() {
        RoutingContext ctx = request.getCurrent();
        Caller caller = ctx == null ? null : ctx.get(BearerAuthentication.CALLER);
        if (caller == null) {
            throw AuthProblem.unauthenticated(
                    "this call carries no verified identity; send 'Authorization: Bearer <jwt>'");
        }
        return caller;
    }
}
